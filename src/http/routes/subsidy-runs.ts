/**
 * Yearly subsidy runs (`POST /api/v1/subsidy-runs`, `GET …/{id}`, `…/transitions`, `…/payments`): the
 * shapes on the wire. Money as "123.45"; a line is `{ loanId, enterpriseUscc, amount, shares: [{ body, amount }],
 * eligible, reasons, trace }` (plus its number, kind and right type). The trace is served as the engine wrote it.
 */
import { z } from 'zod';
import { timeSubsidyRun } from '../../metrics';
import { formatYuan, type Fen } from '../../money';
import { REASON_CODES, type BodyAmount } from '../../subsidy/types';
import { decodeKeyset, encodeKeyset, parseSort, sortValues, UUID_PATTERN, type Keyset, type Sort } from '../../db/keyset';
import { INLINE_LINES_MAX, LINE_PAGE_MAX, LINE_SORT_COLUMNS, readLinePage, readRun, RUN_STATUSES, type StoredLine, type SubsidyRun } from '../../subsidy/runs/store';
import {
  createRun,
  discardRun,
  getRun,
  listRuns,
  RUN_SORT_COLUMNS,
  raiseObjection,
  recomputeRun,
  recordPayment,
  resolveObjection,
  transitionRun,
  type RunView,
} from '../../subsidy/runs/workflow';
import type { PaymentRecord, Objection } from '../../subsidy/runs/store';
import { namesOfRuns, type RunNames } from '../../subsidy/runs/names';
import { reasonTextZh } from '../../subsidy/conditions-zh';
import { readNameLookup, type NameLookup } from '../../reports/ledger-names';
import type { Queryable } from '../../db/pool';
import { NO_PROGRESS, readProgress, recordProgress, RUN_STAGES, type RunProgress } from '../../subsidy/runs/progress';
import type { AppContext, RouteRegistry } from '../route';
import { FundingBody, Identifier, IsoDate, Money, PastDate, PositiveMoney, Uuid } from '../schemas';

const READERS = ['staff', 'finance', 'auditor'] as const;
const RunParams = z.object({ id: Uuid });
const Year = z.number().int().min(2000).max(2100);
/** A run's budget names each funding body once; ten bodies is far more than any scheme has. */
const Budget = z
  .array(z.object({ body: FundingBody, amount: Money }).strict())
  .max(10)
  .refine((items) => new Set(items.map((item) => item.body)).size === items.length, 'names a funding body twice');

const BodyAmountOut = z.object({ body: z.string(), amount: z.string() });
const LineOut = z.object({
  lineNo: z.number(),
  kind: z.string(),
  loanId: z.string().nullable(),
  enterpriseUscc: z.string(),
  rightType: z.string().nullable(),
  originYear: z.number().nullable(),
  amount: z.string(),
  shares: z.array(BodyAmountOut),
  eligible: z.boolean(),
  enterpriseName: z.string().nullable().meta({ description: 'for people: the enterprise registered under enterpriseUscc' }),
  contractNo: z.string().nullable().meta({ description: "for people: the loan's contract number" }),
  bankName: z.string().nullable().meta({ description: "for people: the lending bank's name" }),
  reasons: z.array(
    z.object({
      code: z.enum(REASON_CODES),
      message: z.string().meta({ description: 'English, for programs; the console renders its own text from code and params' }),
      reference: z.string().meta({ description: 'the clause of the policy document behind the rule' }),
      params: z
        .record(z.string(), z.union([z.string(), z.number()]))
        .meta({ description: 'the values the message uses (dates, amounts as "123.45", asset numbers, division codes), by name' }),
      messageZh: z.string().meta({ description: 'the same in Chinese (for clerks), from code and params' }),
    }),
  ),
  trace: z.record(z.string(), z.unknown()),
});
const ObjectionOut = z.object({
  id: z.string(),
  enterpriseUscc: z.string().nullable(),
  loanId: z.string().nullable(),
  text: z.string(),
  raisedBy: z.string().nullable(),
  raisedAt: z.string(),
  resolution: z.enum(['upheld', 'dismissed']).nullable(),
  resolutionText: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
const PaymentOut = z.object({
  id: z.string(),
  runId: z.string(),
  body: z.string(),
  amount: z.string(),
  date: z.string(),
  reference: z.string(),
  ledgerEntryId: z.string(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
  parts: z.array(z.object({ enterpriseUscc: z.string(), amount: z.string() })),
});
const RunSummaryOut = z.object({
  id: z.string(),
  policy: z.object({ id: z.string(), version: z.number() }),
  policyId: z.string(),
  policyVersion: z.number(),
  year: z.number(),
  kind: z.enum(['regular', 'adjustment']),
  adjustsRunId: z.string().nullable(),
  status: z.enum(RUN_STATUSES),
  budget: z.array(BodyAmountOut).nullable(),
  total: z.string(),
  totals: z.array(BodyAmountOut),
  lineCount: z.number(),
  publicityFrom: z.string().nullable(),
  publicityTo: z.string().nullable(),
  computedAt: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedOn: z.string().nullable().meta({ description: 'the day it was reviewed' }),
  publicisedBy: z.string().nullable(),
  publicisedAt: z.string().nullable(),
  publicisedOn: z.string().nullable().meta({ description: 'the day it was publicised' }),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvedOn: z.string().nullable(),
  title: z.string().meta({ description: 'for people: the policy\'s short title, the year and the policy version ("袁州区专利权质押贷款贴息 2024 年度 第 1 版")' }),
  createdByName: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  publicisedByName: z.string().nullable(),
  approvedByName: z.string().nullable(),
});
const RunOut = RunSummaryOut.extend({
  lines: z.array(LineOut),
  supportLines: z.array(LineOut),
  linesNextCursor: z.string().nullable(),
  carryOut: z.array(z.object({ uscc: z.string(), originYear: z.number(), amount: z.string(), shares: z.array(BodyAmountOut) })),
  lapsed: z.array(z.object({ uscc: z.string(), originYear: z.number(), amount: z.string() })),
  contributions: z.array(z.record(z.string(), z.unknown())),
  budgetScaling: z.array(z.object({ body: z.string(), budget: z.string(), approved: z.string(), paid: z.string(), factor: z.string() })),
  objections: z.array(ObjectionOut),
  payments: z.array(PaymentOut),
});

const bodyAmounts = (items: BodyAmount[]) => items.map((item) => ({ body: item.body, amount: formatYuan(item.amountFen) }));
const fenTextToYuan = (text: string) => formatYuan(BigInt(text));

/** What the lines' names need: their loans, banks and enterprises, read once per answer. */
const lineLookup = (db: Queryable, lines: readonly StoredLine[]) =>
  readNameLookup(db, lines.flatMap((line) => [line.loanId ?? '', line.enterpriseUscc]));

function lineOut(line: StoredLine, lookup: NameLookup) {
  const loan = line.loanId ? lookup.loans.get(line.loanId.toLowerCase()) : undefined;
  return {
    lineNo: line.lineNo,
    kind: line.kind,
    loanId: line.loanId,
    enterpriseUscc: line.enterpriseUscc,
    rightType: line.rightType,
    originYear: line.originYear,
    amount: formatYuan(line.amountFen),
    shares: bodyAmounts(line.shares),
    eligible: line.eligible,
    enterpriseName: lookup.enterprises.get(line.enterpriseUscc) ?? null,
    contractNo: loan?.contractNo ?? null,
    bankName: (loan && lookup.banks.get(loan.bankId)?.name) ?? null,
    reasons: line.reasons.map((reason) => ({ ...reason, messageZh: reasonTextZh(reason) })),
    trace: line.trace as unknown as Record<string, unknown>,
  };
}

function runSummaryOut(run: SubsidyRun, names: RunNames) {
  return {
    ...names,
    id: run.id,
    policy: { id: run.policyId, version: run.policyVersion },
    policyId: run.policyId,
    policyVersion: run.policyVersion,
    year: run.year,
    kind: run.kind,
    adjustsRunId: run.adjustsRunId,
    status: run.status,
    budget: run.budget ? bodyAmounts(run.budget) : null,
    total: formatYuan(run.totalFen),
    totals: bodyAmounts(run.totals),
    lineCount: run.lineCount,
    publicityFrom: run.publicityFrom,
    publicityTo: run.publicityTo,
    computedAt: run.computedAt,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
    reviewedBy: run.reviewedBy,
    reviewedAt: run.reviewedAt,
    reviewedOn: run.reviewedOn,
    publicisedBy: run.publicisedBy,
    publicisedAt: run.publicisedAt,
    publicisedOn: run.publicisedOn,
    approvedBy: run.approvedBy,
    approvedAt: run.approvedAt,
    approvedOn: run.approvedOn,
  };
}

function paymentOut(runId: string, payment: PaymentRecord) {
  return {
    id: payment.id,
    runId,
    body: payment.body,
    amount: formatYuan(payment.amountFen),
    date: payment.date,
    reference: payment.reference,
    ledgerEntryId: payment.ledgerEntryId.toString(),
    recordedBy: payment.recordedBy,
    recordedAt: payment.recordedAt,
    parts: payment.parts.map((part) => ({ enterpriseUscc: part.uscc, amount: formatYuan(part.amountFen) })),
  };
}

const objectionOut = (objection: Objection) => objection;

export async function runOut(db: Queryable, view: RunView) {
  const { result } = view;
  const [names] = await namesOfRuns(db, [view]);
  const lookup = await lineLookup(db, view.lines);
  const lineOf = (line: StoredLine) => lineOut(line, lookup);
  return {
    ...runSummaryOut(view, names!),
    lines: view.lines.filter((line) => line.kind === 'interest').map(lineOf),
    supportLines: view.lines.filter((line) => line.kind !== 'interest').map(lineOf),
    linesNextCursor: view.linesNextCursor === null ? null : encodeKeyset({ sort: 'lineNo', value: String(view.linesNextCursor), id: String(view.linesNextCursor) }),
    carryOut: result.carryOut.map((carry) => ({
      uscc: carry.uscc,
      originYear: carry.originYear,
      amount: fenTextToYuan(carry.amountFen),
      shares: carry.shares.map((share) => ({ body: share.body, amount: fenTextToYuan(share.amountFen) })),
    })),
    lapsed: result.lapsed.map((item) => ({ uscc: item.uscc, originYear: item.originYear, amount: fenTextToYuan(item.amountFen) })),
    contributions: result.contributions.map((item) =>
      Object.fromEntries(
        Object.entries(item).map(([key, value]) =>
          key.endsWith('Fen') ? [key.slice(0, -3), typeof value === 'string' ? fenTextToYuan(value) : value] : [key, value],
        ),
      ),
    ),
    budgetScaling: result.budget.map((item) => ({
      body: item.body,
      budget: fenTextToYuan(item.budgetFen),
      approved: fenTextToYuan(item.approvedFen),
      paid: fenTextToYuan(item.paidFen),
      factor: item.factor,
    })),
    objections: view.objections.map(objectionOut),
    payments: view.payments.map((payment) => paymentOut(view.id, payment)),
  };
}

/**
 * The cursor of a page of lines: a keyset of the sort asked (src/db/keyset.ts), or — in line order only — the bare line
 * number earlier answers carried.
 */
function lineCursor(cursor: string | undefined, sort: Sort<keyof typeof LINE_SORT_COLUMNS>): Keyset | undefined {
  if (cursor !== undefined && sort.column === 'lineNo' && !sort.descending && /^[A-Za-z0-9_-]+$/.test(cursor)) {
    const legacy = Buffer.from(cursor, 'base64url').toString('utf8');
    if (/^\d{1,9}$/.test(legacy)) return { sort: 'lineNo', value: legacy, id: legacy };
  }
  return decodeKeyset(cursor, sort, LINE_SORT_COLUMNS, /^\d{1,9}$/);
}

/** A progress id: a UUID the client makes for one computation, to poll GET /api/v1/subsidy-run-progress/{id}. */
const ProgressId = Uuid.meta({ description: 'a new UUID per computation: its progress is read at GET /api/v1/subsidy-run-progress/{progressId}' });

async function progressOf(app: AppContext, progressId: string | undefined, principalId: string): Promise<RunProgress> {
  if (!progressId) return NO_PROGRESS;
  return recordProgress(app.pool, progressId.toLowerCase(), principalId, (error) => app.logger.warn({ err: error, progressId }, 'run progress not written'));
}

/** The computation, with its failure written as the last stage (the refusal itself is the request's answer). */
async function withProgress<T>(progress: RunProgress, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await progress.failed(error instanceof Error ? error.message : String(error));
    throw error;
  }
}

const budgetIn = (items: Array<{ body: string; amount: Fen }> | undefined) => items?.map((item) => ({ body: item.body, amountFen: item.amount }));

export function registerSubsidyRunRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'post',
    path: '/api/v1/subsidy-runs',
    summary: 'Compute a yearly run as a draft: one line per loan attributed to the year, eligible or not, with its trace',
    tag: 'subsidy runs',
    roles: ['staff'],
    body: z
      .object({
        policyId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a policy id such as "yuanzhou-2023"'),
        year: Year,
        policyVersion: z.number().int().min(1).optional(),
        budget: Budget.optional(),
        kind: z.enum(['regular', 'adjustment']).optional(),
        progressId: ProgressId.optional(),
      })
      .strict(),
    responses: { 201: { description: `the draft run (at most ${INLINE_LINES_MAX} lines inline; page on with GET …/lines)`, schema: RunOut } },
    handler: async ({ db, body, principal, audit, app }) => {
      const progress = await progressOf(app, body.progressId, principal.id);
      const view = await withProgress(progress, () =>
        timeSubsidyRun('create', () =>
          createRun(
            db,
            { policyId: body.policyId, year: body.year, policyVersion: body.policyVersion, budget: budgetIn(body.budget), kind: body.kind },
            principal.id,
            progress,
          ),
        ),
      );
      await audit('subsidy_run.created', {
        runId: view.id,
        policyId: view.policyId,
        policyVersion: view.policyVersion,
        year: view.year,
        kind: view.kind,
        total: formatYuan(view.totalFen),
      });
      return { status: 201, body: await runOut(db, view) };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/subsidy-runs/{id}/recompute',
    summary: 'Recompute a draft with the current inputs (optionally another policy version or budget)',
    tag: 'subsidy runs',
    roles: ['staff'],
    params: RunParams,
    body: z
      .object({ policyVersion: z.number().int().min(1).optional(), budget: Budget.optional(), progressId: ProgressId.optional() })
      .strict()
      .optional(),
    responses: { 200: { description: 'the recomputed draft', schema: RunOut } },
    handler: async ({ db, params, body, audit, app, principal }) => {
      const progress = await progressOf(app, body?.progressId, principal.id);
      const view = await withProgress(progress, () =>
        timeSubsidyRun('recompute', () => recomputeRun(db, params.id, { policyVersion: body?.policyVersion, budget: budgetIn(body?.budget) }, progress)),
      );
      await audit('subsidy_run.recomputed', { runId: view.id, policyVersion: view.policyVersion, total: formatYuan(view.totalFen) });
      return { status: 200, body: await runOut(db, view) };
    },
  });

  registry.add({
    method: 'delete',
    path: '/api/v1/subsidy-runs/{id}',
    summary: 'Discard a draft run (a reviewed run is never discarded: 409); the audit log keeps what it was',
    tag: 'subsidy runs',
    roles: ['staff'],
    params: RunParams,
    responses: {
      200: { description: 'discarded', schema: z.object({ id: z.string(), discarded: z.literal(true) }) },
      409: { description: 'the run is no longer a draft' },
    },
    handler: async ({ db, params, audit }) => {
      const run = await discardRun(db, params.id);
      await audit('subsidy_run.discarded', { runId: run.id, policyId: run.policyId, year: run.year, kind: run.kind, total: formatYuan(run.totalFen) });
      return { status: 200, body: { id: run.id, discarded: true } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/subsidy-run-progress/{progressId}',
    summary:
      'How far the computation of a run has got (the `progressId` its POST sent): stage (loading, computing, storing, reading, failed) and percentage',
    tag: 'subsidy runs',
    roles: ['staff'],
    params: z.object({ progressId: ProgressId }),
    responses: {
      200: {
        description: 'the progress',
        schema: z.object({
          progressId: z.string(),
          stage: z.enum(RUN_STAGES),
          percent: z.number().int(),
          detail: z.string().nullable(),
          startedAt: z.string(),
          updatedAt: z.string(),
          stages: z.array(z.object({ stage: z.enum(RUN_STAGES), percent: z.number().int(), at: z.string() })),
        }),
      },
      404: { description: 'no run has reported this progress id (yet)' },
    },
    handler: async ({ db, params }) => ({ status: 200, body: await readProgress(db, params.progressId) }),
  });

  registry.add({
    method: 'get',
    path: '/api/v1/subsidy-runs',
    summary: 'Runs (without their lines), filtered and sorted on the server (default: oldest first)',
    tag: 'subsidy runs',
    roles: READERS,
    query: z.object({
      year: z.coerce.number().int().min(2000).max(2100).optional(),
      policyId: z.string().max(63).optional(),
      status: z.enum(RUN_STATUSES).optional(),
      sort: z.enum(sortValues(RUN_SORT_COLUMNS)).optional().meta({ description: 'createdAt (default), year or total, "-" first for descending' }),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(500).optional(),
    }),
    responses: { 200: { description: 'runs', schema: z.object({ items: z.array(RunSummaryOut), nextCursor: z.string().nullable() }) } },
    handler: async ({ db, query }) => {
      const sort = parseSort(RUN_SORT_COLUMNS, query.sort, { column: 'createdAt', descending: false });
      const after = decodeKeyset(query.cursor, sort, RUN_SORT_COLUMNS, UUID_PATTERN);
      const page = await listRuns(db, { year: query.year, policyId: query.policyId, status: query.status }, { limit: query.limit, sort, after });
      const names = await namesOfRuns(db, page.items);
      return { status: 200, body: { items: page.items.map((run, index) => runSummaryOut(run, names[index]!)), nextCursor: page.next } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/subsidy-runs/{id}',
    summary: `A run with its status, lines (up to ${INLINE_LINES_MAX} inline), total and totals per funding body, objections and payments`,
    tag: 'subsidy runs',
    roles: READERS,
    params: RunParams,
    responses: { 200: { description: 'the run', schema: RunOut } },
    handler: async ({ db, params }) => ({ status: 200, body: await runOut(db, await getRun(db, params.id)) }),
  });

  registry.add({
    method: 'get',
    path: '/api/v1/subsidy-runs/{id}/lines',
    summary: "A run's lines (interest and support lines), filtered and sorted on the server (default: line order), a page at a time",
    tag: 'subsidy runs',
    roles: READERS,
    params: RunParams,
    query: z.object({
      eligible: z.enum(['true', 'false']).optional(),
      enterpriseUscc: z.string().regex(/^[0-9A-Z]{18}$/, 'must be an 18-character USCC').optional(),
      kind: z.string().regex(/^[a-z_]{1,40}$/).optional().meta({ description: 'interest, or a support line kind' }),
      sort: z.enum(sortValues(LINE_SORT_COLUMNS)).optional().meta({ description: 'lineNo (default) or amount, "-" first for descending' }),
      limit: z.coerce.number().int().min(1).max(LINE_PAGE_MAX).default(500),
      cursor: z.string().max(500).optional(),
    }),
    responses: { 200: { description: 'lines', schema: z.object({ items: z.array(LineOut), nextCursor: z.string().nullable() }) } },
    handler: async ({ db, params, query }) => {
      await readRun(db, params.id);
      const sort = parseSort(LINE_SORT_COLUMNS, query.sort, { column: 'lineNo', descending: false });
      const page = await readLinePage(
        db,
        params.id,
        { eligible: query.eligible === undefined ? undefined : query.eligible === 'true', enterpriseUscc: query.enterpriseUscc, kind: query.kind },
        { limit: query.limit, sort, after: lineCursor(query.cursor, sort) },
      );
      const lookup = await lineLookup(db, page.lines);
      return { status: 200, body: { items: page.lines.map((line) => lineOut(line, lookup)), nextCursor: page.next } };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/subsidy-runs/{id}/transitions',
    summary:
      'Move a run on, on the day it happened (`date`, default today; never in the future, never before the previous transition): draft → reviewed (amounts frozen) → publicised (publicity period, default date .. date + 7) → approved (after the period, no open objection; posts the ledger entries dated that day)',
    tag: 'subsidy runs',
    roles: ['staff'],
    params: RunParams,
    body: z
      .object({
        to: z.enum(['reviewed', 'publicised', 'approved']),
        date: PastDate.optional().meta({ description: 'when it happened (default today), never in the future; staff load earlier years\' runs this way' }),
        publicityFrom: IsoDate.optional().meta({ description: 'with to: "publicised"; default `date`' }),
        publicityTo: IsoDate.optional().meta({ description: 'with to: "publicised"; default publicityFrom + 7 days' }),
      })
      .strict()
      .refine((body) => !body.publicityFrom || !body.publicityTo || body.publicityFrom <= body.publicityTo, {
        message: 'must not be before publicityFrom',
        path: ['publicityTo'],
      }),
    responses: { 200: { description: 'the run after the step', schema: RunOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const view = await transitionRun(db, params.id, body, principal.id);
      await audit(`subsidy_run.${body.to}`, {
        runId: view.id,
        status: view.status,
        total: formatYuan(view.totalFen),
        date: body.to === 'reviewed' ? view.reviewedOn : body.to === 'publicised' ? view.publicisedOn : view.approvedOn,
        ...(body.to === 'publicised' ? { publicityFrom: view.publicityFrom, publicityTo: view.publicityTo } : {}),
      });
      return { status: 200, body: await runOut(db, view) };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/subsidy-runs/{id}/objections',
    summary: 'Record an objection raised against a reviewed or publicised run (approval waits until it is resolved)',
    tag: 'subsidy runs',
    roles: ['staff'],
    params: RunParams,
    body: z
      .object({
        enterpriseUscc: z.string().regex(/^[0-9A-Z]{18}$/, 'must be an 18-character USCC').optional(),
        loanId: Uuid.optional(),
        text: z.string().trim().min(1).max(2000),
      })
      .strict(),
    responses: { 201: { description: 'the objection', schema: ObjectionOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const objection = await raiseObjection(db, params.id, body, principal.id);
      await audit('subsidy_run.objection_raised', { runId: params.id, objectionId: objection.id });
      return { status: 201, body: objection };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/subsidy-runs/{id}/objections/{objectionId}/resolution',
    summary: 'Resolve an objection (upheld or dismissed), once',
    tag: 'subsidy runs',
    roles: ['staff'],
    params: z.object({ id: Uuid, objectionId: Uuid }),
    body: z.object({ resolution: z.enum(['upheld', 'dismissed']), text: z.string().trim().min(1).max(2000) }).strict(),
    responses: { 200: { description: 'the resolved objection', schema: ObjectionOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const objection = await resolveObjection(db, params.id, params.objectionId, body, principal.id);
      await audit('subsidy_run.objection_resolved', { runId: params.id, objectionId: objection.id, resolution: body.resolution });
      return { status: 200, body: objection };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/subsidy-runs/{id}/payments',
    summary:
      "A funding body pays (part of) its share of an approved run on `date` (not in the future, not before the approval): spread over the run's enterprises pro rata to what each is still owed; overpaying is refused (409)",
    tag: 'subsidy runs',
    roles: ['finance'],
    params: RunParams,
    body: z.object({ body: FundingBody, amount: PositiveMoney, date: PastDate, reference: Identifier(200).trim().min(1) }).strict(),
    responses: { 201: { description: 'the payment and the run status after it', schema: PaymentOut.extend({ runStatus: z.enum(RUN_STATUSES) }) } },
    handler: async ({ db, params, body, principal, audit }) => {
      const { payment, run } = await recordPayment(db, params.id, { body: body.body, amountFen: body.amount, date: body.date, reference: body.reference }, principal);
      await audit('subsidy_run.payment_recorded', { runId: params.id, paymentId: payment.id, body: payment.body, amount: formatYuan(payment.amountFen) });
      return { status: 201, body: { ...paymentOut(params.id, payment), runStatus: run.status } };
    },
  });
}
