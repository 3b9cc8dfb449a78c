/**
 * Yearly runs (袁府办字〔2023〕25号 奖励认定2–4; docs/subsidy-rules.md "Workflow"):
 *
 *   draft ──review──▶ reviewed ──publicise──▶ publicised ──approve──▶ approved ──pay──▶ partially_paid ──▶ paid
 *   (recompute)       (amounts frozen from here: PostgreSQL refuses any change of lines or figures)
 *
 * - `createRun` loads the year set-wise (load.ts), calls the pure `computeRun`, stores run and lines in bulk.
 * - Approval is refused (409) before the publicity period has passed or while an objection is open; it posts the
 *   ledger entries (postings.ts) in the same transaction. One approved regular run per policy and year (a unique
 *   index); a correction is an `adjustment` run whose approval posts the difference.
 * - A finance principal pays its own body's share; the payment is spread over the run's enterprises pro rata to what
 *   each is still owed (postings.ts `allocatePayment`); overpaying is refused, and the payables' floor refuses it in
 *   PostgreSQL too.
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseError } from 'pg';
import { addDays, todayInChina } from '../../dates';
import { keysetSql, pageOfRows, type Keyset, type Sort, type SortColumn } from '../../db/keyset';
import type { Queryable } from '../../db/pool';
import { DomainError } from '../../errors';
import { balances, ensureAccounts, MAX_ENTRIES_PER_BATCH, postMany, type AccountDefinition } from '../../ledger';
import { formatYuan, type Fen } from '../../money';
import { computeRun, RunComputation } from '../engine';
import type { BodyAmount, RunResult } from '../types';
import { APPROVED_STATUSES, loadRunInput } from './load';
import {
  allocatePayment,
  approvalEntries,
  expenseAccount,
  payableAccount,
  paymentEntry,
  planApproval,
  subsidyAccountCodes,
  treasuryAccount,
  type EarlierPayable,
  type EnterpriseBodyAmount,
} from './postings';
import { NO_PROGRESS, type RunProgress } from './progress';
import { getPolicy } from './reference-data';
import {
  INLINE_LINES_MAX,
  insertLines,
  readLines,
  readObjections,
  readPayments,
  readRun,
  RUN_COLUMNS,
  storedResultOf,
  toRun,
  type RunRow,
  type Objection,
  type PaymentRecord,
  type RunKind,
  type StoredLine,
  type SubsidyRun,
} from './store';

/** The publicity period's default length (袁府办字〔2023〕25号 奖励认定4 "公示"; the document gives no length). */
export const PUBLICITY_DEFAULT_DAYS = 7;

export interface RunView extends SubsidyRun {
  lines: StoredLine[];
  /** Present when the run has more lines than are carried inline: page on with GET …/lines?cursor=. */
  linesNextCursor: number | null;
  objections: Objection[];
  payments: PaymentRecord[];
}

export async function getRun(db: Queryable, id: string, inlineLines = INLINE_LINES_MAX): Promise<RunView> {
  const run = await readRun(db, id);
  // One after the other: on a transaction's client, queries run in sequence anyway.
  const lines = await readLines(db, id, 0, inlineLines, run.lineCount);
  const objections = await readObjections(db, id);
  const payments = await readPayments(db, id);
  return { ...run, lines, linesNextCursor: run.lineCount > lines.length ? (lines.at(-1)?.lineNo ?? 0) : null, objections, payments };
}

export async function getLines(db: Queryable, id: string, afterLineNo: number, limit: number): Promise<{ lines: StoredLine[]; nextCursor: number | null }> {
  const run = await readRun(db, id);
  const lines = await readLines(db, id, afterLineNo, limit, run.lineCount);
  const last = lines.at(-1)?.lineNo ?? afterLineNo;
  return { lines, nextCursor: lines.length === limit && last < run.lineCount ? last : null };
}

/** The columns the runs may be sorted by (src/db/keyset.ts). */
export const RUN_SORT_COLUMNS = {
  createdAt: { sql: 'created_at', type: 'timestamptz' },
  year: { sql: 'year', type: 'integer' },
  total: { sql: 'total_fen', type: 'bigint' },
} satisfies Record<string, SortColumn>;

export async function listRuns(
  db: Queryable,
  filter: { year?: number | undefined; policyId?: string | undefined; status?: string | undefined },
  page: { limit: number; sort: Sort<keyof typeof RUN_SORT_COLUMNS>; after?: Keyset | undefined },
): Promise<{ items: SubsidyRun[]; next: string | null }> {
  const params: unknown[] = [filter.year ?? null, filter.policyId ?? null, filter.status ?? null];
  const keyset = keysetSql(RUN_SORT_COLUMNS, page.sort, 'id', 'uuid', page.after, params);
  params.push(page.limit + 1);
  const result = await db.query<RunRow & { sort_value: string }>(
    `select ${keyset.sortValue} as sort_value, ${RUN_COLUMNS} from subsidy_run
      where ($1::int is null or year = $1) and ($2::text is null or policy_id = $2) and ($3::text is null or status = $3)
        and ${keyset.where}
      order by ${keyset.orderBy} limit $${params.length}`,
    params,
  );
  const paged = pageOfRows(result.rows, page.limit, page.sort);
  return { items: paged.rows.map(toRun), next: paged.next };
}

export interface NewRun {
  policyId: string;
  policyVersion?: number | undefined;
  year: number;
  budget?: BodyAmount[] | undefined;
  kind?: RunKind | undefined;
}

async function approvedRegularRun(db: Queryable, policyId: string, year: number): Promise<string | null> {
  const found = await db.query<{ id: string }>(
    `select id from subsidy_run where policy_id = $1 and year = $2 and kind = 'regular' and status = any($3::text[])`,
    [policyId, year, APPROVED_STATUSES],
  );
  return found.rows[0]?.id ?? null;
}

async function compute(
  db: Queryable,
  policyId: string,
  policyVersion: number | undefined,
  year: number,
  budget: BodyAmount[] | undefined,
  progress: RunProgress,
) {
  const stored = await getPolicy(db, policyId, policyVersion);
  await progress.stage('loading');
  // The loans evaluated a batch at a time while the next is read (load.ts `onLoans`); the rest of the run once all are in.
  let computation: RunComputation | undefined;
  const loaded = await loadRunInput(db, stored.policy, year, {
    budget,
    onLoans: (input, loans) => {
      computation ??= new RunComputation(input);
      computation.add(loans);
    },
  });
  await progress.stage('computing');
  const result = computation ? computation.finish() : computeRun(loaded.input);
  await progress.stage('storing');
  return { policy: stored.policy, result, counts: loaded.counts };
}

/** The lines stored so far, as progress through the storing stage. */
const storingProgress = (progress: RunProgress) => (written: number, total: number) => progress.stage('storing', written / total);

function budgetJson(budget: BodyAmount[] | undefined): string | null {
  return budget && budget.length > 0 ? JSON.stringify(budget.map((item) => ({ body: item.body, amountFen: item.amountFen.toString() }))) : null;
}

function totalsJson(result: RunResult): string {
  return JSON.stringify(result.totals.map((item) => ({ body: item.body, amountFen: item.amountFen.toString() })));
}

/** Computes a draft run (`POST /api/v1/subsidy-runs`, docs/api.md "Subsidy runs"). */
export async function createRun(
  db: Queryable,
  input: NewRun,
  createdBy: string,
  progress: RunProgress = NO_PROGRESS,
  today = todayInChina(),
): Promise<RunView> {
  const kind = input.kind ?? 'regular';
  // A run pays days that have happened: none of a later year has. What a year to come would cost is a simulation.
  const currentYear = Number(today.slice(0, 4));
  if (input.year > currentYear) {
    throw new DomainError('validation_failed', `year ${input.year} has not begun (today in China is ${today}): a run pays what has happened; price a year to come with POST /api/v1/simulations`, [
      { path: 'year', message: `must not be after ${currentYear}, the current year` },
    ]);
  }
  const approved = await approvedRegularRun(db, input.policyId, input.year);
  if (kind === 'regular' && approved) {
    throw new DomainError(
      'conflict',
      `policy ${input.policyId} already has an approved run for ${input.year} (${approved}); a correction is a run of kind "adjustment"`,
      [{ path: 'kind', message: 'an approved regular run exists for this policy and year: use "adjustment"' }],
      { approvedRunId: approved },
    );
  }
  if (kind === 'adjustment' && !approved) {
    throw new DomainError('conflict', `policy ${input.policyId} has no approved run for ${input.year} to adjust`, [
      { path: 'kind', message: 'an adjustment needs an approved regular run of the same policy and year' },
    ]);
  }
  const { policy, result, counts } = await compute(db, input.policyId, input.policyVersion, input.year, input.budget, progress);
  const inserted = await db.query<{ id: string }>(
    `insert into subsidy_run (policy_id, policy_version, year, kind, adjusts_run_id, status, budget, total_fen, totals, result,
                              line_count, computed_at, created_by)
     values ($1, $2, $3, $4, $5, 'draft', $6::jsonb, $7, $8::jsonb, $9::jsonb, $10, now(), $11) returning id`,
    [
      policy.id,
      policy.version,
      input.year,
      kind,
      kind === 'adjustment' ? approved : null,
      budgetJson(input.budget),
      result.totalFen.toString(),
      totalsJson(result),
      JSON.stringify(storedResultOf(result, counts)),
      result.lines.length + result.supportLines.length,
      createdBy,
    ],
  );
  const runId = inserted.rows[0]!.id;
  await insertLines(db, runId, result, storingProgress(progress));
  await progress.stage('reading');
  return getRun(db, runId);
}

/**
 * Discards a draft: nothing of it was reviewed, published or paid, so it goes with its lines (the database deletes
 * only a draft, `subsidy_run_guard`); the request's audit row keeps what it was. A reviewed run is never discarded.
 */
export async function discardRun(db: Queryable, runId: string): Promise<{ id: string; policyId: string; year: number; kind: string; totalFen: Fen }> {
  const run = await readRun(db, runId, true);
  if (run.status !== 'draft') {
    throw new DomainError('state_transition_refused', `run ${runId} is ${run.status}: only a draft is discarded`, [], {
      detailZh: `该批次${STATUS_ZH[run.status] ?? run.status}，只有草稿可以删除`,
    });
  }
  await db.query(`delete from subsidy_run_line where run_id = $1`, [runId]);
  await db.query(`delete from subsidy_run where id = $1`, [runId]);
  return { id: run.id, policyId: run.policyId, year: run.year, kind: run.kind, totalFen: run.totalFen };
}

/** Recomputes a draft with the current inputs (same policy version unless another is given; same budget unless given). */
export async function recomputeRun(
  db: Queryable,
  runId: string,
  changes: { policyVersion?: number | undefined; budget?: BodyAmount[] | undefined },
  progress: RunProgress = NO_PROGRESS,
): Promise<RunView> {
  const run = await readRun(db, runId, true);
  if (run.status !== 'draft') {
    throw new DomainError('state_transition_refused', `run ${runId} is ${run.status}: only a draft is recomputed; its amounts are frozen`);
  }
  const budget = changes.budget ?? run.budget ?? undefined;
  const { policy, result, counts } = await compute(db, run.policyId, changes.policyVersion ?? run.policyVersion, run.year, budget, progress);
  await db.query(`delete from subsidy_run_line where run_id = $1`, [runId]);
  await db.query(
    `update subsidy_run set policy_version = $2, budget = $3::jsonb, total_fen = $4, totals = $5::jsonb, result = $6::jsonb,
            line_count = $7, computed_at = now() where id = $1`,
    [
      runId,
      policy.version,
      budgetJson(budget),
      result.totalFen.toString(),
      totalsJson(result),
      JSON.stringify(storedResultOf(result, counts)),
      result.lines.length + result.supportLines.length,
    ],
  );
  await insertLines(db, runId, result, storingProgress(progress));
  await progress.stage('reading');
  return getRun(db, runId);
}

export type TransitionTarget = 'reviewed' | 'publicised' | 'approved';

export interface TransitionInput {
  to: TransitionTarget;
  /** The day it happened (default today): never in the future, never before the previous transition. */
  date?: string | undefined;
  publicityFrom?: string | undefined;
  publicityTo?: string | undefined;
}

const NEXT: Record<string, TransitionTarget | undefined> = { draft: 'reviewed', reviewed: 'publicised', publicised: 'approved' };

/**
 * Moves a run one step along the workflow on the day it happened; approval posts the ledger entries, dated that day,
 * in the same transaction. Staff load an earlier year's run with its real dates this way (袁府办字〔2023〕25号 奖励认定2–4).
 */
export async function transitionRun(db: Queryable, runId: string, input: TransitionInput, by: string, today = todayInChina()): Promise<RunView> {
  const run = await readRun(db, runId, true);
  if (NEXT[run.status] !== input.to) {
    throw new DomainError(
      'state_transition_refused',
      `run ${runId} is ${run.status}: it cannot move to ${input.to}${NEXT[run.status] ? ` (its next step is ${NEXT[run.status]})` : ''}`,
      [],
      { runStatus: run.status },
    );
  }
  if (input.to !== 'publicised' && (input.publicityFrom || input.publicityTo)) {
    throw new DomainError('validation_failed', 'publicityFrom and publicityTo belong to the move to "publicised"', [
      { path: input.publicityFrom ? 'publicityFrom' : 'publicityTo', message: 'only with to: "publicised"' },
    ]);
  }
  const date = input.date ?? today;
  if (date > today) {
    throw new DomainError('validation_failed', `a transition is recorded when it happened: ${date} is after today (${today})`, [
      { path: 'date', message: `must not be in the future (today in China is ${today})` },
    ]);
  }
  const previous = input.to === 'publicised' ? { name: 'reviewed', on: run.reviewedOn } : input.to === 'approved' ? { name: 'publicised', on: run.publicisedOn } : null;
  if (previous?.on && date < previous.on) {
    throw new DomainError('validation_failed', `run ${runId} was ${previous.name} on ${previous.on}; it cannot be ${input.to} before that (${date})`, [
      { path: 'date', message: `must not be before ${previous.on}, when the run was ${previous.name}` },
    ]);
  }
  // Amounts are frozen from review on (袁府办字〔2023〕25号 奖励认定2–4): a run is reviewed once its year has ended, so it
  // never freezes days that had not happened. A draft of the current year is a preview.
  const yearEnded = `${run.year + 1}-01-01`;
  if (input.to === 'reviewed' && date < yearEnded) {
    throw new DomainError('validation_failed', `run ${runId} is of ${run.year}: it can be reviewed from ${yearEnded}, when its year has ended (the review is dated ${date})`, [
      { path: 'date', message: `must be on or after ${yearEnded}, when year ${run.year} has ended` },
    ]);
  }
  if (input.to === 'reviewed') await refuseSecondInReview(db, run);
  switch (input.to) {
    case 'reviewed':
      await db.query(`update subsidy_run set status = 'reviewed', reviewed_by = $2, reviewed_at = now(), reviewed_on = $3 where id = $1`, [runId, by, date]);
      break;
    case 'publicised': {
      const from = input.publicityFrom ?? date;
      const to = input.publicityTo ?? addDays(from, PUBLICITY_DEFAULT_DAYS);
      if (to < from) throw new DomainError('validation_failed', 'publicityTo is before publicityFrom', [{ path: 'publicityTo', message: 'must not be before publicityFrom' }]);
      await db.query(
        `update subsidy_run set status = 'publicised', publicity_from = $2, publicity_to = $3, publicised_by = $4, publicised_at = now(),
                publicised_on = $5
          where id = $1`,
        [runId, from, to, by, date],
      );
      break;
    }
    case 'approved':
      await approve(db, run, by, date);
      break;
  }
  return getRun(db, runId);
}

const STATUS_ZH: Record<string, string> = { reviewed: '已复核', publicised: '公示中', approved: '已批准', partially_paid: '部分拨付', paid: '已拨付' };

/**
 * One run of a policy, year and kind goes through review at a time: a second draft reviewed beside it could never be
 * approved (one approved regular run per policy and year) nor discarded (only a draft may be), and would wait in every
 * list for good. Reviews of a policy's runs of one year and kind take turns on a transaction's advisory lock (each
 * holds its own run's row already, so locking the others' rows could deadlock two reviews); the next one then reads
 * the first's commit.
 */
async function refuseSecondInReview(db: Queryable, run: SubsidyRun): Promise<void> {
  await db.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`subsidy_run_review:${run.policyId}:${run.year}:${run.kind}`]);
  const others = await db.query<{ id: string; status: string }>(
    `select id, status from subsidy_run where policy_id = $1 and year = $2 and kind = $3 and id <> $4 order by id`,
    [run.policyId, run.year, run.kind, run.id],
  );
  const busy = others.rows.find((other) => other.status === 'reviewed' || other.status === 'publicised' || (run.kind === 'regular' && other.status !== 'draft'));
  if (busy) {
    throw new DomainError(
      'state_transition_refused',
      `run ${busy.id} of ${run.policyId} for ${run.year} is ${busy.status}: one ${run.kind} run of a policy and year is reviewed at a time; discard this draft (DELETE)`,
      [],
      { otherRunId: busy.id, detailZh: `同一政策同一年度已有批次 ${busy.id.slice(0, 8)}（${STATUS_ZH[busy.status] ?? busy.status}），一次只能有一个批次进入复核；本草稿可删除` },
    );
  }
}

/** Approval on `date` (the day it happened): after the publicity period, with no open objection. */
async function approve(db: Queryable, run: SubsidyRun, by: string, date: string): Promise<void> {
  if (!run.publicityTo || date <= run.publicityTo) {
    throw new DomainError(
      'state_transition_refused',
      `run ${run.id} is publicised until ${run.publicityTo} inclusive; it can be approved from ${run.publicityTo ? addDays(run.publicityTo, 1) : '?'} (the approval is dated ${date})`,
      [],
      {
        publicityTo: run.publicityTo,
        detailZh: `公示期至 ${run.publicityTo ?? '?'}（含当日），${run.publicityTo ? addDays(run.publicityTo, 1) : '?'} 起方可批准（批准日期为 ${date}）`,
      },
    );
  }
  const open = await db.query<{ id: string }>(`select id from subsidy_objection where run_id = $1 and resolution is null order by raised_at, id`, [run.id]);
  if (open.rows.length > 0) {
    throw new DomainError(
      'state_transition_refused',
      `run ${run.id} has ${open.rows.length} open objection(s); resolve them before approval`,
      [],
      { openObjections: open.rows.map((row) => row.id), detailZh: `还有 ${open.rows.length} 条异议未处理，处理后方可批准` },
    );
  }
  if (run.kind === 'regular') {
    const approved = await approvedRegularRun(db, run.policyId, run.year);
    if (approved) {
      throw new DomainError('conflict', `policy ${run.policyId} already has an approved run for ${run.year} (${approved}); approve an adjustment run instead`, [], {
        approvedRunId: approved,
      });
    }
  }

  // What the run grants, per enterprise and body (set-wise over its lines).
  const grants = await db.query<{ uscc: string; body: string; amount_fen: bigint }>(
    `select l.enterprise_uscc as uscc, s ->> 'body' as body, sum((s ->> 'amountFen')::bigint)::bigint as amount_fen
       from subsidy_run_line l cross join lateral jsonb_array_elements(l.shares) s
      where l.run_id = $1 group by 1, 2 having sum((s ->> 'amountFen')::bigint) <> 0 order by 1, 2`,
    [run.id],
  );
  const amounts: EnterpriseBodyAmount[] = grants.rows.map((row) => ({ uscc: row.uscc, body: row.body, amountFen: row.amount_fen }));
  // Pair assertion: the lines add up to the run's stored totals.
  const byBody = new Map<string, Fen>();
  for (const item of amounts) byBody.set(item.body, (byBody.get(item.body) ?? 0n) + item.amountFen);
  for (const total of run.totals) {
    if ((byBody.get(total.body) ?? 0n) !== total.amountFen) throw new Error(`run ${run.id}: lines of ${total.body} do not add up to its total`);
  }

  let previouslyPosted: EnterpriseBodyAmount[] = [];
  let earlierPayables: EarlierPayable[] = [];
  if (run.kind === 'adjustment') {
    const posted = await db.query<{ uscc: string; body: string; amount_fen: bigint }>(
      `select s.enterprise_uscc as uscc, s.body, sum(s.amount_fen)::bigint as amount_fen
         from subsidy_approval_share s join subsidy_run r on r.id = s.run_id
        where r.policy_id = $1 and r.year = $2 group by 1, 2`,
      [run.policyId, run.year],
    );
    previouslyPosted = posted.rows.map((row) => ({ uscc: row.uscc, body: row.body, amountFen: row.amount_fen }));
    const payables = await db.query<{ run_id: string; uscc: string; body: string }>(
      `select distinct s.payable_run_id as run_id, s.enterprise_uscc as uscc, s.body, r.approved_at
         from subsidy_approval_share s join subsidy_run r on r.id = s.payable_run_id
        where r.policy_id = $1 and r.year = $2 order by r.approved_at desc, s.enterprise_uscc, s.body`,
      [run.policyId, run.year],
    );
    const codes = payables.rows.map((row) => subsidyAccountCodes.payable(row.body, row.run_id, row.uscc));
    const found = await balances(db, codes);
    earlierPayables = payables.rows.map((row, index) => ({
      runId: row.run_id,
      uscc: row.uscc,
      body: row.body,
      outstandingFen: found.get(codes[index]!)?.balanceFen ?? 0n,
    }));
  }
  const shares = planApproval(run.id, amounts, previouslyPosted, earlierPayables);

  const definitions = new Map<string, AccountDefinition>();
  for (const share of shares) {
    const expense = expenseAccount(share.body);
    definitions.set(expense.code, expense);
    if (share.payableRunId === run.id) {
      const payable = payableAccount(share.body, run.id, share.uscc);
      definitions.set(payable.code, payable);
    }
  }
  await ensureAccounts(db, [...definitions.values()]);
  const entries = approvalEntries(run, shares, date);
  const entryIdByUscc = new Map<string, bigint>();
  for (let start = 0; start < entries.length; start += MAX_ENTRIES_PER_BATCH) {
    const batch = entries.slice(start, start + MAX_ENTRIES_PER_BATCH);
    const posted = await postMany(db, batch);
    posted.forEach((entry, index) => entryIdByUscc.set(batch[index]!.idempotencyKey.split(':').at(-1)!, entry.id));
  }
  if (shares.length > 0) {
    await db.query(
      `insert into subsidy_approval_share (run_id, enterprise_uscc, body, payable_run_id, amount_fen, ledger_entry_id)
       select $1, * from unnest($2::text[], $3::text[], $4::uuid[], $5::bigint[], $6::bigint[])`,
      [
        run.id,
        shares.map((share) => share.uscc),
        shares.map((share) => share.body),
        shares.map((share) => share.payableRunId),
        shares.map((share) => share.amountFen.toString()),
        shares.map((share) => entryIdByUscc.get(share.uscc)!.toString()),
      ],
    );
  }
  // A run that grants nothing is paid as soon as it is approved.
  const status = shares.some((share) => share.payableRunId === run.id) ? 'approved' : 'paid';
  try {
    await db.query(`update subsidy_run set status = 'approved', approved_by = $2, approved_at = now(), approved_on = $3 where id = $1`, [run.id, by, date]);
    if (status === 'paid') await db.query(`update subsidy_run set status = 'paid' where id = $1`, [run.id]);
  } catch (error) {
    if ((error as DatabaseError).constraint === 'subsidy_run_one_approved') {
      throw new DomainError('conflict', `policy ${run.policyId} already has an approved run for ${run.year}; approve an adjustment run instead`);
    }
    throw error;
  }
}

// ---- objections -------------------------------------------------------------------------------------------------

export async function raiseObjection(
  db: Queryable,
  runId: string,
  input: { enterpriseUscc?: string | undefined; loanId?: string | undefined; text: string },
  by: string,
): Promise<Objection> {
  const run = await readRun(db, runId, true);
  if (run.status !== 'reviewed' && run.status !== 'publicised') {
    throw new DomainError('state_transition_refused', `run ${runId} is ${run.status}: objections are raised against a reviewed or publicised run`);
  }
  if (input.loanId || input.enterpriseUscc) {
    const line = await db.query(
      `select 1 from subsidy_run_line where run_id = $1 and ($2::uuid is null or loan_id = $2) and ($3::text is null or enterprise_uscc = $3) limit 1`,
      [runId, input.loanId ?? null, input.enterpriseUscc ?? null],
    );
    if (line.rowCount === 0) {
      const path = input.loanId ? 'loanId' : 'enterpriseUscc';
      throw new DomainError('validation_failed', `run ${runId} has no line for that ${path}`, [{ path, message: 'not a line of this run' }]);
    }
  }
  const inserted = await db.query<{ id: string }>(
    `insert into subsidy_objection (run_id, enterprise_uscc, loan_id, text, raised_by) values ($1, $2, $3, $4, $5) returning id`,
    [runId, input.enterpriseUscc ?? null, input.loanId ?? null, input.text, by],
  );
  return (await readObjections(db, runId)).find((objection) => objection.id === inserted.rows[0]!.id)!;
}

export async function resolveObjection(
  db: Queryable,
  runId: string,
  objectionId: string,
  input: { resolution: 'upheld' | 'dismissed'; text: string },
  by: string,
): Promise<Objection> {
  const run = await readRun(db, runId, true);
  if (run.status !== 'reviewed' && run.status !== 'publicised') {
    throw new DomainError('state_transition_refused', `run ${runId} is ${run.status}: its objections were settled before approval`);
  }
  const updated = await db.query(
    `update subsidy_objection set resolution = $3, resolution_text = $4, resolved_by = $5, resolved_at = now()
      where run_id = $1 and id = $2 and resolution is null`,
    [runId, objectionId, input.resolution, input.text, by],
  );
  if (updated.rowCount === 0) {
    const exists = await db.query(`select 1 from subsidy_objection where run_id = $1 and id = $2`, [runId, objectionId]);
    if (exists.rowCount === 0) throw new DomainError('not_found', `run ${runId} has no objection ${objectionId}`);
    throw new DomainError('state_transition_refused', `objection ${objectionId} is already resolved`);
  }
  return (await readObjections(db, runId)).find((objection) => objection.id === objectionId)!;
}

// ---- payments ---------------------------------------------------------------------------------------------------

export interface PaymentInput {
  body: string;
  amountFen: Fen;
  date: string;
  reference: string;
}

/** The run's payables of one body (or all bodies) with their ledger balances, in USCC order. */
export async function runPayables(db: Queryable, runId: string, body?: string): Promise<Array<{ uscc: string; body: string; code: string; outstandingFen: Fen }>> {
  const rows = await db.query<{ uscc: string; body: string }>(
    `select distinct enterprise_uscc as uscc, body from subsidy_approval_share
      where payable_run_id = $1 and ($2::text is null or body = $2) order by 1, 2`,
    [runId, body ?? null],
  );
  const codes = rows.rows.map((row) => subsidyAccountCodes.payable(row.body, runId, row.uscc));
  const found = await balances(db, codes);
  return rows.rows.map((row, index) => ({ uscc: row.uscc, body: row.body, code: codes[index]!, outstandingFen: found.get(codes[index]!)?.balanceFen ?? 0n }));
}

/** A payment by `payer` (a finance principal of `payer.body`) of that body's share of an approved run. */
export async function recordPayment(
  db: Queryable,
  runId: string,
  input: PaymentInput,
  payer: { id: string; body: string | null },
  today = todayInChina(),
): Promise<{ payment: PaymentRecord; run: SubsidyRun }> {
  if (payer.body !== input.body) {
    throw new DomainError('forbidden', `you pay for ${payer.body ?? 'no funding body'}, not for ${input.body}`, [
      { path: 'body', message: `must be your own funding body (${payer.body ?? 'none'})` },
    ]);
  }
  const run = await readRun(db, runId, true);
  if (run.status !== 'approved' && run.status !== 'partially_paid') {
    throw new DomainError('state_transition_refused', `run ${runId} is ${run.status}: only an approved run not yet paid in full is paid`, [], {
      runStatus: run.status,
    });
  }
  if (input.date > today) {
    throw new DomainError('validation_failed', `a payment is recorded when made: ${input.date} is after today (${today})`, [
      { path: 'date', message: 'must not be in the future' },
    ]);
  }
  if (input.date < run.approvedOn!) {
    throw new DomainError('validation_failed', `the run was approved on ${run.approvedOn}; a payment cannot precede it`, [
      { path: 'date', message: `must be on or after ${run.approvedOn}` },
    ]);
  }
  const payables = await runPayables(db, runId, input.body);
  const owed = payables.reduce((sum, payable) => sum + payable.outstandingFen, 0n);
  if (input.amountFen > owed) {
    throw new DomainError(
      'conflict',
      `${input.body} still owes ${formatYuan(owed)} under run ${runId}; a payment of ${formatYuan(input.amountFen)} would overpay its share`,
      [{ path: 'amount', message: `at most ${formatYuan(owed)}` }],
      { outstanding: formatYuan(owed) },
    );
  }
  const parts = allocatePayment(input.amountFen, payables.map((payable) => ({ uscc: payable.uscc, outstandingFen: payable.outstandingFen })));
  const paymentId = randomUUID();
  await ensureAccounts(db, [treasuryAccount(input.body)]);
  const [posted] = await postMany(db, [paymentEntry({ id: paymentId, runId, body: input.body, date: input.date, reference: input.reference }, parts)]);
  await db.query(
    `insert into subsidy_payment (id, run_id, body, amount_fen, paid_on, reference, ledger_entry_id, recorded_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [paymentId, runId, input.body, input.amountFen.toString(), input.date, input.reference, posted!.id.toString(), payer.id],
  );
  await db.query(
    `insert into subsidy_payment_share (payment_id, enterprise_uscc, amount_fen) select $1, * from unnest($2::text[], $3::bigint[])`,
    [paymentId, parts.map((part) => part.uscc), parts.map((part) => part.amountFen.toString())],
  );
  const remaining = (await runPayables(db, runId)).reduce((sum, payable) => sum + payable.outstandingFen, 0n);
  const status = remaining === 0n ? 'paid' : 'partially_paid';
  if (status !== run.status) await db.query(`update subsidy_run set status = $2 where id = $1`, [runId, status]);
  const payment = (await readPayments(db, runId)).find((item) => item.id === paymentId)!;
  return { payment, run: await readRun(db, runId) };
}
