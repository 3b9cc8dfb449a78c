/**
 * The risk-compensation fund's operations (issue 5; POLICY.md "Risk-compensation fund"). Each function runs on the
 * caller's transaction (`db`), gathers the facts set-wise, lets the pure functions of ./compute.ts decide the amounts,
 * and writes the row and its ledger entry together. Money moves only through the ledger (./accounts.ts), whose limits
 * PostgreSQL enforces: the fund's cash never goes below zero even under concurrent payments.
 *
 * Loans are read through src/loans (`getLoan`, its status SQL) and the loans' tables, read-only.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { todayInChina } from '../dates';
import { withSavepoint } from '../db/savepoint';
import { DomainError, validationError } from '../errors';
import { keysetSql, pageOfRows, type Keyset, type Sort, type SortColumn } from '../db/keyset';
import { balance, balances, ensureAccounts, post, reverse, statement, statementPage, trialBalance, type StatementLine, type StatementPosition } from '../ledger';
import { getLoan } from '../loans/loans';
import { EVENT_SUMMARY_SQL, STATUS_SQL } from '../loans/status';
import { formatYuan, type Fen } from '../money';
import type { Principal } from '../principals';
import {
  approvalEntry,
  claimsPayableDefinition,
  contributionEntry,
  fundAccountCodes,
  fundAccountDefinitions,
  MOVEMENT_KIND,
  paymentEntry,
  recoverableDefinition,
  recoveryEntry,
  writeOffEntry,
} from './accounts';
import { computeClaim, coveredPrincipal, leverageLimitFen, ratioText, recoveryShare, suspension, type ClaimTrace } from './compute';
import {
  assertFundParameters,
  loadParameters,
  storeParameters,
  versionInForce,
  type FundParameters,
  type FundVersion,
  type StoredFundParameters,
} from './parameters';

export interface Fund {
  id: string;
  code: string;
  name: string;
  createdAt: string;
  /** Every version, oldest first. */
  versions: FundVersion[];
}

const scopeOf = (principal: Principal): { bankId: string | null } => ({ bankId: principal.role === 'bank' ? principal.bankId : null });

function assertNotFuture(path: string, date: string): void {
  if (date > todayInChina()) throw validationError(path, `must not be in the future (today in China is ${todayInChina()})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Funds and their versions

async function assertBodiesAndBanksExist(db: Queryable, parameters: FundParameters): Promise<void> {
  const bodies = await db.query<{ code: string }>(`select code from funding_body where code = any($1::text[])`, [parameters.bodies]);
  const knownBodies = new Set(bodies.rows.map((row) => row.code));
  const problems = parameters.bodies
    .map((body, index) => ({ body, index }))
    .filter(({ body }) => !knownBodies.has(body))
    .map(({ body, index }) => ({ path: `bodies.${index}`, message: `no funding body ${body}` }));
  if (parameters.partnerBankIds) {
    const banks = await db.query<{ id: string }>(`select id from bank where id = any($1::uuid[])`, [parameters.partnerBankIds]);
    const knownBanks = new Set(banks.rows.map((row) => row.id));
    parameters.partnerBankIds.forEach((bankId, index) => {
      if (!knownBanks.has(bankId)) problems.push({ path: `partnerBankIds.${index}`, message: `no bank ${bankId}` });
    });
  }
  if (problems.length > 0) {
    throw new DomainError('validation_failed', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  }
}

export interface NewFundVersion {
  effectiveFrom: string;
  reference: string;
  parameters: FundParameters;
}

export async function createFund(
  db: Queryable,
  principal: Principal,
  input: { code: string; name: string } & NewFundVersion,
): Promise<Fund> {
  assertFundParameters(input.parameters);
  await assertBodiesAndBanksExist(db, input.parameters);
  const inserted = await db.query<{ id: string }>(
    `insert into fund (code, name, created_by) values ($1, $2, $3) on conflict (code) do nothing returning id`,
    [input.code, input.name, principal.id],
  );
  const id = inserted.rows[0]?.id;
  if (!id) throw new DomainError('conflict', `a fund with code ${input.code} exists`, [{ path: 'code', message: 'already used' }]);
  await db.query(
    `insert into fund_version (fund_id, version, effective_from, reference, parameters, created_by) values ($1, 1, $2, $3, $4, $5)`,
    [id, input.effectiveFrom, input.reference, JSON.stringify(storeParameters(input.parameters)), principal.id],
  );
  await ensureAccounts(db, fundAccountDefinitions(input.code, input.parameters.bodies));
  return getFund(db, id);
}

/** A change of rule: a new version from its effective date; earlier versions stay as they were. */
export async function addFundVersion(db: Queryable, principal: Principal, fundId: string, input: NewFundVersion): Promise<Fund> {
  assertFundParameters(input.parameters);
  await assertBodiesAndBanksExist(db, input.parameters);
  const fund = await getFund(db, fundId, { lock: true });
  if (fund.versions.some((v) => v.effectiveFrom === input.effectiveFrom)) {
    throw new DomainError('conflict', `the fund already has a version effective from ${input.effectiveFrom}`, [
      { path: 'effectiveFrom', message: 'a version with this date exists; add one with another date' },
    ]);
  }
  await db.query(
    `insert into fund_version (fund_id, version, effective_from, reference, parameters, created_by) values ($1, $2, $3, $4, $5, $6)`,
    [fundId, fund.versions.length + 1, input.effectiveFrom, input.reference, JSON.stringify(storeParameters(input.parameters)), principal.id],
  );
  await ensureAccounts(db, fundAccountDefinitions(fund.code, input.parameters.bodies));
  return getFund(db, fundId);
}

/** `lock`: holds the fund's row until the transaction ends, serialising enrolments and claims of one fund. */
export async function getFund(db: Queryable, fundId: string, options: { lock?: boolean } = {}): Promise<Fund> {
  const row = await db.query<{ id: string; code: string; name: string; created_at: Date }>(
    `select id, code, name, created_at from fund where id = $1${options.lock ? ' for update' : ''}`,
    [fundId],
  );
  const fund = row.rows[0];
  if (!fund) throw new DomainError('fund_not_found', `no fund ${fundId}`);
  const versions = await db.query<{ version: number; effective_from: string; reference: string; parameters: StoredFundParameters }>(
    `select version, effective_from, reference, parameters from fund_version where fund_id = $1 order by version`,
    [fundId],
  );
  return {
    id: fund.id,
    code: fund.code,
    name: fund.name,
    createdAt: fund.created_at.toISOString(),
    versions: versions.rows.map((v) => ({
      fundId: fund.id,
      version: v.version,
      effectiveFrom: v.effective_from,
      reference: v.reference,
      parameters: loadParameters(v.parameters),
    })),
  };
}

export async function listFunds(db: Queryable): Promise<Fund[]> {
  const ids = await db.query<{ id: string }>(`select id from fund order by code`);
  const funds: Fund[] = [];
  for (const { id } of ids.rows) funds.push(await getFund(db, id));
  return funds;
}

function inForce(fund: Fund, date: string): FundVersion {
  const version = versionInForce(fund.versions, date);
  if (!version) {
    throw new DomainError(
      'fund_parameters_not_in_force',
      `fund ${fund.code} has no parameters in force on ${date}; its first version is effective from ${fund.versions[0]?.effectiveFrom}`,
    );
  }
  return version;
}

// ---------------------------------------------------------------------------------------------------------------
// Contributions

export interface Contribution {
  id: string;
  fundId: string;
  body: string;
  amountFen: Fen;
  date: string;
  entryId: string;
}

/** Capital paid in by a funding body (staff, or that body's finance principal): one ledger entry into the cash. */
export async function contribute(
  db: Queryable,
  principal: Principal,
  fundId: string,
  input: { body: string; amountFen: Fen; date: string },
): Promise<Contribution> {
  if (principal.role === 'finance' && principal.body !== input.body) {
    throw new DomainError('forbidden', `a finance principal of ${principal.body} records only ${principal.body}'s contributions`);
  }
  assertNotFuture('date', input.date);
  const fund = await getFund(db, fundId);
  const version = inForce(fund, input.date);
  if (!version.parameters.bodies.includes(input.body)) {
    throw validationError('body', `is not a contributing body of fund ${fund.code} on ${input.date} (${version.parameters.bodies.join(', ')})`);
  }
  const id = randomUUID();
  const entry = await post(db, contributionEntry(fund, { id, body: input.body, amountFen: input.amountFen, date: input.date }));
  await db.query(
    `insert into fund_contribution (id, fund_id, body, amount_fen, contributed_on, ledger_entry_id, created_by)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [id, fundId, input.body, input.amountFen.toString(), input.date, entry.id.toString(), principal.id],
  );
  return { id, fundId, body: input.body, amountFen: input.amountFen, date: input.date, entryId: entry.id.toString() };
}

/** The fund's contributions by date (then id), optionally of one funding body, a page at a time. */
/** The columns the fund's lists may be sorted by (src/db/keyset.ts). */
export const CONTRIBUTION_SORT_COLUMNS = {
  date: { sql: 'contributed_on', type: 'date' },
  amount: { sql: 'amount_fen', type: 'bigint' },
} satisfies Record<string, SortColumn>;

export async function listContributions(
  db: Queryable,
  fundId: string,
  page: { limit: number; sort: Sort<keyof typeof CONTRIBUTION_SORT_COLUMNS>; after?: Keyset | undefined; body?: string | undefined },
): Promise<{ items: Contribution[]; next: string | null }> {
  await getFund(db, fundId);
  const params: unknown[] = [fundId, page.body ?? null];
  const keyset = keysetSql(CONTRIBUTION_SORT_COLUMNS, page.sort, 'id', 'uuid', page.after, params);
  params.push(page.limit + 1);
  const rows = await db.query<{ id: string; sort_value: string; fund_id: string; body: string; amount_fen: bigint; contributed_on: string; ledger_entry_id: string }>(
    `select id, ${keyset.sortValue} as sort_value, fund_id, body, amount_fen, contributed_on, ledger_entry_id::text as ledger_entry_id
       from fund_contribution
      where fund_id = $1 and ($2::text is null or body = $2) and ${keyset.where}
      order by ${keyset.orderBy} limit $${params.length}`,
    params,
  );
  const paged = pageOfRows(rows.rows, page.limit, page.sort);
  return {
    items: paged.rows.map((row) => ({
      id: row.id,
      fundId: row.fund_id,
      body: row.body,
      amountFen: BigInt(row.amount_fen),
      date: row.contributed_on,
      entryId: row.ledger_entry_id,
    })),
    next: paged.next,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Enrolments

export interface Enrolment {
  id: string;
  fundId: string;
  loanId: string;
  bankId: string;
  enrolledOn: string;
  coveredPrincipalFen: Fen;
  withdrawnOn: string | null;
}

interface EnrolmentRow {
  id: string;
  fund_id: string;
  loan_id: string;
  bank_id: string;
  enrolled_on: string;
  covered_principal_fen: bigint;
  withdrawn_on: string | null;
}

const toEnrolment = (row: EnrolmentRow): Enrolment => ({
  id: row.id,
  fundId: row.fund_id,
  loanId: row.loan_id,
  bankId: row.bank_id,
  enrolledOn: row.enrolled_on,
  coveredPrincipalFen: row.covered_principal_fen,
  withdrawnOn: row.withdrawn_on,
});

/** The covered principal of the fund's enrolments active at the end of `asOf` (null: now): not withdrawn, loan not settled. */
export async function coveredPrincipalOf(db: Queryable, fundId: string, asOf: string | null): Promise<Fen> {
  const result = await db.query<{ covered: bigint }>(
    `select coalesce(sum(e.covered_principal_fen), 0)::bigint as covered
       from fund_enrolment e
      where e.fund_id = $1
        and ($2::date is null or e.enrolled_on <= $2::date)
        and (e.withdrawn_on is null or ($2::date is not null and e.withdrawn_on > $2::date))
        and not exists (select 1 from loan_event s where s.loan_id = e.loan_id and s.type = 'settlement'
                         and ($2::date is null or s.effective_date <= $2::date))`,
    [fundId, asOf],
  );
  return result.rows[0]!.covered;
}

async function capitalOf(db: Queryable, fund: Fund, asOf: string | null): Promise<Fen> {
  const capital = await trialBalance(db, { asOf, prefix: fundAccountCodes(fund.code).capitalPrefix });
  return capital.accounts.reduce((sum, account) => sum + account.balanceFen, 0n);
}

/**
 * Enrols a bank's IP-pledge loan (staff, or the bank for its own loan). Refused for a loan of a bank that is not a
 * partner of the fund, a loan with no pledged IP, a settled loan, or when the fund's covered principal would exceed
 * capital × leverage (capital as of the enrolment date; covered principal of every active enrolment).
 */
export async function enrol(db: Queryable, principal: Principal, fundId: string, input: { loanId: string; date: string }): Promise<Enrolment> {
  assertNotFuture('date', input.date);
  const fund = await getFund(db, fundId, { lock: true });
  const version = inForce(fund, input.date);
  const loan = await getLoan(db, scopeOf(principal), input.loanId, input.date);
  const refusals: string[] = [];
  const partners = version.parameters.partnerBankIds;
  if (partners && !partners.includes(loan.bankId)) refusals.push(`the loan's bank is not a partner bank of fund ${fund.code}`);
  if (loan.pledges.length === 0) refusals.push('the loan pledges no intellectual property: it is not an IP-pledge loan');
  if (input.date < loan.startDate) refusals.push(`the loan starts on ${loan.startDate}, after the enrolment date`);
  if (loan.status === 'settled') refusals.push(`the loan was settled on ${loan.settlementDate}`);
  if (loan.ipPledgedFen === null) {
    refusals.push('the loan is a combination loan whose IP-pledged part is not stated: the fund covers only the IP share of a loan');
  }
  if (refusals.length > 0) {
    throw new DomainError('enrolment_refused', refusals.join('; '), [{ path: 'loanId', message: refusals.join('; ') }]);
  }
  const active = await db.query(`select 1 from fund_enrolment where fund_id = $1 and loan_id = $2 and withdrawn_on is null`, [fundId, loan.id]);
  if (active.rowCount) throw new DomainError('conflict', `loan ${loan.id} is already enrolled in fund ${fund.code}`);

  const coveredFen = coveredPrincipal({ ...loan, ipPledgedFen: loan.ipPledgedFen! });
  // One client runs one query at a time: sequential awaits, not Promise.all.
  const capitalFen = await capitalOf(db, fund, input.date);
  const coveredBeforeFen = await coveredPrincipalOf(db, fundId, null);
  const limitFen = leverageLimitFen(capitalFen, version.parameters.leverage);
  if (coveredBeforeFen + coveredFen > limitFen) {
    throw new DomainError(
      'leverage_limit_exceeded',
      `covered principal would be ${formatYuan(coveredBeforeFen + coveredFen)} (${formatYuan(coveredBeforeFen)} enrolled + ` +
        `${formatYuan(coveredFen)} for this loan), above capital ${formatYuan(capitalFen)} × leverage ${version.parameters.leverage} = ` +
        `${formatYuan(limitFen)}`,
      [{ path: 'loanId', message: 'enrolling this loan would exceed the fund’s leverage limit' }],
      {
        capital: formatYuan(capitalFen),
        leverage: version.parameters.leverage,
        limit: formatYuan(limitFen),
        coveredPrincipalBefore: formatYuan(coveredBeforeFen),
        coveredPrincipal: formatYuan(coveredFen),
      },
    );
  }
  const row = await db.query<EnrolmentRow>(
    `insert into fund_enrolment (id, fund_id, loan_id, bank_id, enrolled_on, covered_principal_fen, created_by)
     values ($1, $2, $3, $4, $5, $6, $7)
     returning id, fund_id, loan_id, bank_id, enrolled_on, covered_principal_fen, withdrawn_on`,
    [randomUUID(), fundId, loan.id, loan.bankId, input.date, coveredFen.toString(), principal.id],
  );
  return toEnrolment(row.rows[0]!);
}

export async function getEnrolment(db: Queryable, principal: Principal, fundId: string, enrolmentId: string, lock = false): Promise<Enrolment> {
  const scope = scopeOf(principal);
  const row = await db.query<EnrolmentRow>(
    `select id, fund_id, loan_id, bank_id, enrolled_on, covered_principal_fen, withdrawn_on from fund_enrolment
      where id = $1 and fund_id = $2 and ($3::uuid is null or bank_id = $3)${lock ? ' for update' : ''}`,
    [enrolmentId, fundId, scope.bankId],
  );
  if (!row.rows[0]) throw new DomainError('enrolment_not_found', `no enrolment ${enrolmentId} in fund ${fundId}`);
  return toEnrolment(row.rows[0]);
}

export const ENROLMENT_SORT_COLUMNS = {
  date: { sql: 'enrolled_on', type: 'date' },
  coveredPrincipal: { sql: 'covered_principal_fen', type: 'bigint' },
} satisfies Record<string, SortColumn>;

export interface EnrolmentFilter {
  /** active: not withdrawn; withdrawn: withdrawn. */
  status?: 'active' | 'withdrawn' | undefined;
  bankId?: string | undefined;
  loanId?: string | undefined;
}

/** A page of the fund's enrolments (a bank sees only its own), filtered and sorted on the server. */
export async function listEnrolments(
  db: Queryable,
  principal: Principal,
  fundId: string,
  filter: EnrolmentFilter,
  page: { limit: number; sort: Sort<keyof typeof ENROLMENT_SORT_COLUMNS>; after?: Keyset | undefined },
): Promise<{ items: Enrolment[]; next: string | null; totals: { count: number; activeCount: number; activeCoveredPrincipalFen: Fen } }> {
  await getFund(db, fundId);
  const filterParams = [fundId, scopeOf(principal).bankId, filter.bankId ?? null, filter.loanId ?? null, filter.status ?? null];
  const matching = `fund_id = $1 and ($2::uuid is null or bank_id = $2) and ($3::uuid is null or bank_id = $3)
        and ($4::uuid is null or loan_id = $4)
        and ($5::text is null or ($5 = 'active') = (withdrawn_on is null))`;
  const params: unknown[] = [...filterParams];
  const keyset = keysetSql(ENROLMENT_SORT_COLUMNS, page.sort, 'id', 'uuid', page.after, params);
  params.push(page.limit + 1);
  const rows = await db.query<EnrolmentRow & { sort_value: string }>(
    `select id, ${keyset.sortValue} as sort_value, fund_id, loan_id, bank_id, enrolled_on, covered_principal_fen, withdrawn_on
       from fund_enrolment
      where ${matching} and ${keyset.where}
      order by ${keyset.orderBy} limit $${params.length}`,
    params,
  );
  // Over every matching enrolment, not only the page: what the fund covers now.
  const totals = await db.query<{ count: string; active_count: string; active_covered_fen: bigint }>(
    `select count(*)::text as count, count(*) filter (where withdrawn_on is null)::text as active_count,
            coalesce(sum(covered_principal_fen) filter (where withdrawn_on is null), 0)::bigint as active_covered_fen
       from fund_enrolment where ${matching}`,
    filterParams,
  );
  const paged = pageOfRows(rows.rows, page.limit, page.sort);
  const total = totals.rows[0]!;
  return {
    items: paged.rows.map(toEnrolment),
    next: paged.next,
    totals: { count: Number(total.count), activeCount: Number(total.active_count), activeCoveredPrincipalFen: BigInt(total.active_covered_fen) },
  };
}

/** Withdraws an enrolment once its loan is settled (settlement on or before the withdrawal date). */
export async function withdraw(db: Queryable, principal: Principal, fundId: string, enrolmentId: string, input: { date: string }): Promise<Enrolment> {
  assertNotFuture('date', input.date);
  const enrolment = await getEnrolment(db, principal, fundId, enrolmentId, true);
  if (enrolment.withdrawnOn) throw new DomainError('state_transition_refused', `enrolment ${enrolmentId} was withdrawn on ${enrolment.withdrawnOn}`);
  const loan = await getLoan(db, { bankId: null }, enrolment.loanId, input.date);
  if (loan.status !== 'settled') {
    throw new DomainError('enrolment_refused', `the loan is ${loan.status} on ${input.date}: an enrolment is withdrawn when its loan is settled`);
  }
  if (input.date < enrolment.enrolledOn) throw validationError('date', `must not be before the enrolment date ${enrolment.enrolledOn}`);
  const row = await db.query<EnrolmentRow>(
    `update fund_enrolment set withdrawn_on = $2, withdrawn_by = $3 where id = $1
     returning id, fund_id, loan_id, bank_id, enrolled_on, covered_principal_fen, withdrawn_on`,
    [enrolmentId, input.date, principal.id],
  );
  return toEnrolment(row.rows[0]!);
}

// ---------------------------------------------------------------------------------------------------------------
// Claims

export type ClaimStatus = 'submitted' | 'approved' | 'paid' | 'rejected';

export interface Claim {
  id: string;
  fundId: string;
  loanId: string;
  bankId: string;
  enrolmentId: string;
  date: string;
  fundVersion: number;
  status: ClaimStatus;
  amountFen: Fen;
  coveredLossFen: Fen;
  fundPartFen: Fen;
  approvedOn: string | null;
  paidOn: string | null;
  rejectedOn: string | null;
  rejectionReason: string | null;
  trace: ClaimTrace;
}

interface ClaimRow {
  id: string;
  fund_id: string;
  loan_id: string;
  bank_id: string;
  enrolment_id: string;
  claim_date: string;
  fund_version: number;
  status: ClaimStatus;
  amount_fen: bigint;
  covered_loss_fen: bigint;
  fund_part_fen: bigint;
  approved_on: string | null;
  approval_entry_id: bigint | null;
  paid_on: string | null;
  rejected_on: string | null;
  rejection_reason: string | null;
  trace: ClaimTrace;
}

const CLAIM_COLUMNS = `id, fund_id, loan_id, bank_id, enrolment_id, claim_date, fund_version, status, amount_fen, covered_loss_fen,
  fund_part_fen, approved_on, approval_entry_id, paid_on, rejected_on, rejection_reason, trace`;

const toClaim = (row: ClaimRow): Claim => ({
  id: row.id,
  fundId: row.fund_id,
  loanId: row.loan_id,
  bankId: row.bank_id,
  enrolmentId: row.enrolment_id,
  date: row.claim_date,
  fundVersion: row.fund_version,
  status: row.status,
  amountFen: row.amount_fen,
  coveredLossFen: row.covered_loss_fen,
  fundPartFen: row.fund_part_fen,
  approvedOn: row.approved_on,
  paidOn: row.paid_on,
  rejectedOn: row.rejected_on,
  rejectionReason: row.rejection_reason,
  trace: row.trace,
});

/**
 * A bank's non-performing covered principal at the end of `asOf`: its enrolments active then whose loan is overdue or
 * defaulted by the status rule of src/loans/status.ts. One query for every bank of the fund (or one bank).
 */
export async function bankPortfolios(
  db: Queryable,
  fundId: string,
  asOf: string,
  bankId: string | null = null,
): Promise<Map<string, { coveredFen: Fen; nonPerformingCoveredFen: Fen }>> {
  const result = await db.query<{ bank_id: string; covered: bigint; non_performing: bigint }>(
    `select e.bank_id,
            coalesce(sum(e.covered_principal_fen), 0)::bigint as covered,
            coalesce(sum(e.covered_principal_fen) filter (where ${STATUS_SQL} in ('overdue', 'defaulted')), 0)::bigint as non_performing
       from fund_enrolment e
       join loan l on l.id = e.loan_id
       left join lateral (${EVENT_SUMMARY_SQL('$2')}) ev on true
      where e.fund_id = $1 and e.enrolled_on <= $2::date and (e.withdrawn_on is null or e.withdrawn_on > $2::date)
        and ${STATUS_SQL} <> 'settled'
        and ($3::uuid is null or e.bank_id = $3)
      group by e.bank_id`,
    [fundId, asOf, bankId],
  );
  return new Map(result.rows.map((row) => [row.bank_id, { coveredFen: row.covered, nonPerformingCoveredFen: row.non_performing }]));
}

/**
 * A bank's claim for its own enrolled loan (POLICY.md "Claim"): computed by `computeClaim` with the version in force on
 * the claim date. Refused (422 `claim_not_allowed`, every reason named, the trace attached) when the loan is not
 * enrolled, not in default, not overdue long enough, the bank is suspended, or nothing is left to claim.
 * The fund's row is locked so that two claims of one bank cannot both use the same yearly headroom.
 */
export async function submitClaim(db: Queryable, principal: Principal, fundId: string, input: { loanId: string; date: string }): Promise<Claim> {
  if (principal.role !== 'bank' || !principal.bankId) throw new DomainError('forbidden', 'only a bank claims, for its own loans');
  assertNotFuture('date', input.date);
  const fund = await getFund(db, fundId, { lock: true });
  const version = inForce(fund, input.date);
  const loan = await getLoan(db, { bankId: principal.bankId }, input.loanId, input.date);
  const enrolment = await db.query<{ id: string }>(
    `select id from fund_enrolment where fund_id = $1 and loan_id = $2 and enrolled_on <= $3
        and (withdrawn_on is null or withdrawn_on > $3) order by enrolled_on desc limit 1`,
    [fundId, loan.id, input.date],
  );
  const enrolmentId = enrolment.rows[0]?.id;
  if (!enrolmentId) {
    throw new DomainError('claim_not_allowed', `loan ${loan.id} is not enrolled in fund ${fund.code} on ${input.date}`, [], {
      reasons: [{ code: 'not_enrolled', message: `the loan is not enrolled in fund ${fund.code} on ${input.date}` }],
    });
  }
  const events = await db.query<{ first_overdue: string | null; first_default: string | null; settlement: string | null }>(
    `select min(effective_date) filter (where type = 'overdue') as first_overdue,
            min(effective_date) filter (where type = 'default') as first_default,
            min(effective_date) filter (where type = 'settlement') as settlement
       from loan_event where loan_id = $1 and effective_date <= $2`,
    [loan.id, input.date],
  );
  // Everything the caps count, in one pass over the fund's claims that are not rejected.
  const year = input.date.slice(0, 4);
  const claimed = await db.query<{ on_loan: bigint; borrower_in_year: bigint; bank_in_year: bigint; fund_in_year: bigint }>(
    `select coalesce(sum(c.amount_fen) filter (where c.loan_id = $2), 0)::bigint as on_loan,
            coalesce(sum(c.amount_fen) filter (where l.enterprise_uscc = $5 and c.claim_date between $4::date and $6::date), 0)::bigint
              as borrower_in_year,
            coalesce(sum(c.amount_fen) filter (where c.bank_id = $3 and c.claim_date between $4::date and $6::date), 0)::bigint
              as bank_in_year,
            coalesce(sum(c.amount_fen) filter (where c.claim_date between $4::date and $6::date), 0)::bigint as fund_in_year
       from fund_claim c join loan l on l.id = c.loan_id
      where c.fund_id = $1 and c.status <> 'rejected'`,
    [fundId, loan.id, principal.bankId, `${year}-01-01`, loan.enterpriseUscc, `${year}-12-31`],
  );
  const sums = claimed.rows[0]!;
  // An enrolled loan states its IP part (enrolment refuses one that does not).
  if (loan.ipPledgedFen === null) throw new Error(`loan ${loan.id} is enrolled but its IP-pledged part is not stated`);
  const ipPledgedFen = loan.ipPledgedFen;
  const portfolios = await bankPortfolios(db, fundId, input.date, principal.bankId);
  const facts = events.rows[0]!;
  const result = computeClaim({
    version,
    claimDate: input.date,
    loan: {
      loanId: loan.id,
      principalFen: loan.principalFen,
      collateral: loan.collateral,
      ipPledgedFen,
      outstandingFen: loan.outstandingFen,
      firstOverdueDate: facts.first_overdue,
      firstDefaultDate: facts.first_default,
      settlementDate: facts.settlement,
    },
    alreadyClaimedOnLoanFen: sums.on_loan,
    borrowerClaimedInYearFen: sums.borrower_in_year,
    bankClaimedInYearFen: sums.bank_in_year,
    fundClaimedInYearFen: sums.fund_in_year,
    bank: portfolios.get(principal.bankId) ?? { coveredFen: 0n, nonPerformingCoveredFen: 0n },
  });
  if (result.refusals.length > 0) {
    throw new DomainError('claim_not_allowed', result.refusals.map((r) => r.message).join('; '), [], {
      reasons: result.refusals,
      trace: result.trace,
    });
  }
  const row = await db.query<ClaimRow>(
    `insert into fund_claim (id, fund_id, enrolment_id, loan_id, bank_id, claim_date, fund_version, covered_loss_fen,
                             fund_part_fen, amount_fen, trace, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning ${CLAIM_COLUMNS}`,
    [
      randomUUID(), fundId, enrolmentId, loan.id, principal.bankId, input.date, version.version,
      result.coveredLossFen.toString(), result.fundPartFen.toString(), result.amountFen.toString(),
      JSON.stringify(result.trace), principal.id,
    ],
  );
  return toClaim(row.rows[0]!);
}

/** One claim as `principal` may see it: another bank's claim is `claim_not_found`, like one that does not exist. */
export async function getClaim(db: Queryable, principal: Principal, fundId: string, claimId: string, lock = false): Promise<Claim> {
  const row = await db.query<ClaimRow>(
    `select ${CLAIM_COLUMNS} from fund_claim where id = $1 and fund_id = $2 and ($3::uuid is null or bank_id = $3)${lock ? ' for update' : ''}`,
    [claimId, fundId, scopeOf(principal).bankId],
  );
  if (!row.rows[0]) throw new DomainError('claim_not_found', `no claim ${claimId} in fund ${fundId}`);
  return toClaim(row.rows[0]);
}

export const CLAIM_SORT_COLUMNS = {
  date: { sql: 'claim_date', type: 'date' },
  amount: { sql: 'amount_fen', type: 'bigint' },
} satisfies Record<string, SortColumn>;

/** A page of the fund's claims (a bank sees only its own), filtered and sorted on the server. */
export async function listClaims(
  db: Queryable,
  principal: Principal,
  fundId: string,
  filter: { status?: ClaimStatus | undefined; bankId?: string | undefined; loanId?: string | undefined },
  page: { limit: number; sort: Sort<keyof typeof CLAIM_SORT_COLUMNS>; after?: Keyset | undefined },
): Promise<{ items: Claim[]; next: string | null }> {
  await getFund(db, fundId);
  const params: unknown[] = [fundId, scopeOf(principal).bankId, filter.status ?? null, filter.bankId ?? null, filter.loanId ?? null];
  const keyset = keysetSql(CLAIM_SORT_COLUMNS, page.sort, 'id', 'uuid', page.after, params);
  params.push(page.limit + 1);
  const rows = await db.query<ClaimRow & { sort_value: string }>(
    `select ${keyset.sortValue} as sort_value, ${CLAIM_COLUMNS} from fund_claim
      where fund_id = $1 and ($2::uuid is null or bank_id = $2) and ($3::text is null or status = $3)
        and ($4::uuid is null or bank_id = $4) and ($5::uuid is null or loan_id = $5)
        and ${keyset.where}
      order by ${keyset.orderBy} limit $${params.length}`,
    params,
  );
  const paged = pageOfRows(rows.rows, page.limit, page.sort);
  return { items: paged.rows.map(toClaim), next: paged.next };
}

const ALLOWED: Record<ClaimStatus, readonly ClaimStatus[]> = {
  submitted: ['approved', 'rejected'],
  approved: ['paid', 'rejected'],
  paid: [],
  rejected: [],
};

/**
 * Staff review: submitted → approved (expense and payable to the bank, and the cash committed to it: refused with 409
 * `fund_cash_insufficient` when the cash not yet committed cannot cover it), approved → paid (cash to the bank: refused
 * with 409 `fund_cash_insufficient` when the cash would go below zero — checked here first, then by the ledger's
 * floor on the cash account, which also holds between concurrent payments), or → rejected with a reason (an
 * approval's entry is reversed on the rejection date).
 */
export async function transitionClaim(
  db: Queryable,
  principal: Principal,
  fundId: string,
  claimId: string,
  input: { to: ClaimStatus; date?: string | undefined; reason?: string | undefined },
): Promise<Claim> {
  const date = input.date ?? todayInChina();
  assertNotFuture('date', date);
  const fund = await getFund(db, fundId);
  const claim = await getClaim(db, principal, fundId, claimId, true);
  if (!ALLOWED[claim.status].includes(input.to)) {
    throw new DomainError('state_transition_refused', `claim ${claimId} is ${claim.status}: it cannot become ${input.to}`, [], {
      claimStatus: claim.status,
      allowedSteps: ALLOWED[claim.status],
    });
  }
  const previousDate = claim.approvedOn ?? claim.date;
  if (date < previousDate) throw validationError('date', `must not be before ${previousDate}, the date of the claim's last step`);
  const money = { id: claim.id, bankId: claim.bankId, loanId: claim.loanId, amountFen: claim.amountFen, date };

  if (input.to === 'approved') {
    const uncommitted = fundAccountCodes(fund.code).uncommitted;
    // First check (a clear message); the ledger's floor on the uncommitted cash is the second, and the one that
    // holds when another approval commits between this read and our posting.
    const free = await balance(db, uncommitted);
    if (free.balanceFen < claim.amountFen) throw cashInsufficient(fund.code, free.balanceFen, claim.amountFen, 'approving');
    await ensureAccounts(db, [claimsPayableDefinition(fund.code, claim.bankId)]);
    let entry: { id: bigint };
    try {
      // In a savepoint: when the floor refuses it, the transaction still answers the balance query below.
      entry = await withSavepoint(db, () => post(db, approvalEntry(fund, money)));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'account_limit_exceeded' && error.extra.account === uncommitted) {
        const now = await balance(db, uncommitted);
        throw cashInsufficient(fund.code, now.balanceFen, claim.amountFen, 'approving');
      }
      throw error;
    }
    await db.query(`update fund_claim set status = 'approved', approved_on = $2, approval_entry_id = $3 where id = $1`, [
      claim.id, date, entry.id.toString(),
    ]);
  } else if (input.to === 'paid') {
    const cash = fundAccountCodes(fund.code).cash;
    // First check (a clear message); the ledger's floor on the cash account is the second, and the one that holds
    // when another payment commits between this read and our posting.
    const available = await balance(db, cash);
    if (available.balanceFen < claim.amountFen) throw cashInsufficient(fund.code, available.balanceFen, claim.amountFen);
    await ensureAccounts(db, [recoverableDefinition(fund.code, claim.loanId)]);
    let entryId: bigint;
    try {
      entryId = (await withSavepoint(db, () => post(db, paymentEntry(fund, money)))).id;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'account_limit_exceeded' && error.extra.account === cash) {
        const now = await balance(db, cash);
        throw cashInsufficient(fund.code, now.balanceFen, claim.amountFen);
      }
      throw error;
    }
    await db.query(`update fund_claim set status = 'paid', paid_on = $2, payment_entry_id = $3 where id = $1`, [
      claim.id, date, entryId.toString(),
    ]);
  } else {
    if (!input.reason) throw validationError('reason', 'a rejection needs a reason');
    let rejectionEntryId: string | null = null;
    if (claim.status === 'approved') {
      const approval = await db.query<{ approval_entry_id: bigint }>(`select approval_entry_id from fund_claim where id = $1`, [claim.id]);
      const reversed = await reverse(db, approval.rows[0]!.approval_entry_id, {
        idempotencyKey: `fund-claim:${claim.id}:rejection`,
        effectiveDate: date,
        description: `Fund ${fund.code}: claim ${claim.id} rejected after approval: ${input.reason}`.slice(0, 500),
      });
      rejectionEntryId = reversed.id.toString();
    }
    await db.query(
      `update fund_claim set status = 'rejected', rejected_on = $2, rejection_reason = $3, rejection_entry_id = $4 where id = $1`,
      [claim.id, date, input.reason, rejectionEntryId],
    );
  }
  return getClaim(db, principal, fundId, claimId);
}

function cashInsufficient(fundCode: string, availableFen: Fen, amountFen: Fen, step: 'approving' | 'paying' = 'paying'): DomainError {
  const what = step === 'approving' ? 'cash not yet committed to approved claims' : 'cash';
  return new DomainError(
    'fund_cash_insufficient',
    `fund ${fundCode} has ${formatYuan(availableFen)} of ${what}; ${step} ${formatYuan(amountFen)} would take it below zero`,
    [],
    { cash: formatYuan(availableFen), amount: formatYuan(amountFen) },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Recoveries and write-offs

export interface Recovery {
  id: string;
  fundId: string;
  loanId: string;
  claimId: string;
  date: string;
  proceedsFen: Fen;
  fundShareFen: Fen;
  trace: Record<string, unknown>;
}

/**
 * The bank reports the proceeds of disposing the pledged IP of its loan; the fund's share (./compute.ts
 * `recoveryShare`), up to what it paid on the loan net of earlier recoveries and write-offs, is received into the
 * fund's cash on that date.
 */
export async function recordRecovery(
  db: Queryable,
  principal: Principal,
  fundId: string,
  input: { loanId: string; date: string; proceedsFen: Fen },
): Promise<Recovery> {
  if (principal.role !== 'bank' || !principal.bankId) throw new DomainError('forbidden', 'only a bank reports recoveries, for its own loans');
  assertNotFuture('date', input.date);
  const fund = await getFund(db, fundId);
  const loan = await getLoan(db, { bankId: principal.bankId }, input.loanId);
  const paid = await db.query<ClaimRow>(
    `select ${CLAIM_COLUMNS} from fund_claim where fund_id = $1 and loan_id = $2 and status = 'paid' and paid_on <= $3
      order by paid_on desc, id desc limit 1`,
    [fundId, loan.id, input.date],
  );
  const claim = paid.rows[0] ? toClaim(paid.rows[0]) : undefined;
  if (!claim) {
    throw new DomainError('recovery_not_allowed', `fund ${fund.code} has paid nothing on loan ${loan.id} on or before ${input.date}`);
  }
  const recoverableCode = fundAccountCodes(fund.code).recoverable(loan.id);
  const recoverable = (await balances(db, [recoverableCode])).get(recoverableCode)?.balanceFen ?? 0n;
  const share = recoveryShare({
    proceedsFen: input.proceedsFen,
    fundPartFen: claim.fundPartFen,
    coveredLossFen: claim.coveredLossFen,
    recoverableFen: recoverable,
  });
  const id = randomUUID();
  const trace = {
    claimId: claim.id,
    proceedsFen: input.proceedsFen.toString(),
    fundPartFen: claim.fundPartFen.toString(),
    coveredLossFen: claim.coveredLossFen.toString(),
    share: share.share,
    formula: 'proceeds × fund part ÷ covered loss of the paid claim, rounded once half-up, at most what is still recoverable',
    unroundedFen: share.unroundedFen,
    recoverableBeforeFen: recoverable.toString(),
    cutFen: share.cutFen.toString(),
    fundShareFen: share.fundShareFen.toString(),
    interpretation: 'The IP share is not applied again: the proceeds come from the pledged IP itself.',
  };
  let entryId: string | null = null;
  if (share.fundShareFen > 0n) {
    entryId = (await post(db, recoveryEntry(fund, { id, loanId: loan.id, fundShareFen: share.fundShareFen, date: input.date }))).id.toString();
  }
  await db.query(
    `insert into fund_recovery (id, fund_id, loan_id, bank_id, claim_id, recovered_on, proceeds_fen, fund_share_fen, trace,
                                ledger_entry_id, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [id, fundId, loan.id, loan.bankId, claim.id, input.date, input.proceedsFen.toString(), share.fundShareFen.toString(),
      JSON.stringify(trace), entryId, principal.id],
  );
  return { id, fundId, loanId: loan.id, claimId: claim.id, date: input.date, proceedsFen: input.proceedsFen, fundShareFen: share.fundShareFen, trace };
}

/** Staff write off what the fund paid on a loan and cannot recover (by default all that is still recoverable). */
export async function writeOff(
  db: Queryable,
  principal: Principal,
  fundId: string,
  input: { loanId: string; date: string; reason: string; amountFen?: Fen | undefined },
): Promise<{ id: string; fundId: string; loanId: string; date: string; amountFen: Fen; reason: string }> {
  assertNotFuture('date', input.date);
  const fund = await getFund(db, fundId);
  const code = fundAccountCodes(fund.code).recoverable(input.loanId);
  const recoverable = (await balances(db, [code])).get(code)?.balanceFen ?? 0n;
  const amountFen = input.amountFen ?? recoverable;
  if (amountFen <= 0n || amountFen > recoverable) {
    throw new DomainError('recovery_not_allowed', `${formatYuan(recoverable)} is still recoverable on loan ${input.loanId}; cannot write off ${formatYuan(amountFen)}`);
  }
  const id = randomUUID();
  const entry = await post(db, writeOffEntry(fund, { id, loanId: input.loanId, amountFen, date: input.date }));
  await db.query(
    `insert into fund_write_off (id, fund_id, loan_id, written_off_on, amount_fen, reason, ledger_entry_id, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, fundId, input.loanId, input.date, amountFen.toString(), input.reason, entry.id.toString(), principal.id],
  );
  return { id, fundId, loanId: input.loanId, date: input.date, amountFen, reason: input.reason };
}

// ---------------------------------------------------------------------------------------------------------------
// Statement and KPIs

export interface FundStatement {
  fundId: string;
  account: string;
  from: string;
  to: string;
  openingFen: Fen;
  movements: Array<{
    date: string;
    kind: string;
    /** Signed: into the cash positive, out of it negative. */
    amountFen: Fen;
    balanceFen: Fen;
    description: string;
    source: { kind: string; id: string; entryId: string };
  }>;
  closingFen: Fen;
}

/** The statement of the fund's cash from the ledger: opening at the start of `from`, closing at the end of `to`. */
export async function fundStatement(db: Queryable, fundId: string, from: string, to: string): Promise<FundStatement> {
  const fund = await getFund(db, fundId);
  const account = fundAccountCodes(fund.code).cash;
  const s = await statement(db, account, from, to);
  return { fundId, account, from, to, openingFen: s.openingFen, movements: s.lines.map(movementOf), closingFen: s.closingFen };
}

function movementOf(line: StatementLine): FundStatement['movements'][number] {
  return {
    date: line.effectiveDate,
    kind: line.reversesEntryId !== null ? 'reversal' : (MOVEMENT_KIND[line.source.kind] ?? line.source.kind),
    amountFen: line.side === 'debit' ? line.amountFen : -line.amountFen,
    balanceFen: line.balanceFen,
    description: line.description,
    source: { kind: line.source.kind, id: line.source.id, entryId: line.entryId.toString() },
  };
}

/**
 * A page of the statement (the console's): opening and closing of the whole period, the movements after `after`
 * (the ledger's order: value date, entry, line), each with the running balance, and where the next page starts.
 */
export async function fundStatementPage(
  db: Queryable,
  fundId: string,
  from: string,
  to: string,
  page: { limit: number; after?: StatementPosition | undefined },
): Promise<FundStatement & { next: StatementPosition | null }> {
  const fund = await getFund(db, fundId);
  const account = fundAccountCodes(fund.code).cash;
  const s = await statementPage(db, account, from, to, page);
  return { fundId, account, from, to, openingFen: s.openingFen, movements: s.lines.map(movementOf), closingFen: s.closingFen, next: s.next };
}

export interface FundKpis {
  fundId: string;
  asOf: string;
  capitalFen: Fen;
  capitalByBody: Array<{ body: string; amountFen: Fen }>;
  cashFen: Fen;
  coveredPrincipalFen: Fen;
  leverage: string;
  leverageLimitFen: Fen;
  /** Covered principal ÷ capital. */
  leverageUsed: string;
  claimsApprovedUnpaidFen: Fen;
  claimsPaidFen: Fen;
  recoveredFen: Fen;
  writtenOffFen: Fen;
  /** Recovered ÷ paid. */
  recoveryRate: string;
  nonPerformingByBank: Array<{
    bankId: string;
    coveredPrincipalFen: Fen;
    nonPerformingCoveredPrincipalFen: Fen;
    ratio: string;
    suspended: boolean;
  }>;
}

export async function fundKpis(db: Queryable, fundId: string, asOf: string): Promise<FundKpis> {
  const fund = await getFund(db, fundId);
  const version = versionInForce(fund.versions, asOf) ?? fund.versions[0]!;
  const codes = fundAccountCodes(fund.code);
  const capital = await trialBalance(db, { asOf, prefix: codes.capitalPrefix });
  const ledger = await balances(db, [codes.cash, codes.recoveryIncome], asOf);
  const covered = await coveredPrincipalOf(db, fundId, asOf);
  const claims = await db.query<{ approved_unpaid: bigint; paid: bigint }>(
    `select coalesce(sum(amount_fen) filter (where approved_on <= $2 and (paid_on is null or paid_on > $2)
                                               and (rejected_on is null or rejected_on > $2)), 0)::bigint as approved_unpaid,
            coalesce(sum(amount_fen) filter (where paid_on <= $2), 0)::bigint as paid
       from fund_claim where fund_id = $1`,
    [fundId, asOf],
  );
  const writeOffs = await db.query<{ total: bigint }>(
    `select coalesce(sum(amount_fen), 0)::bigint as total from fund_write_off where fund_id = $1 and written_off_on <= $2`,
    [fundId, asOf],
  );
  const portfolios = await bankPortfolios(db, fundId, asOf);
  const capitalFen = capital.accounts.reduce((sum, account) => sum + account.balanceFen, 0n);
  const paidFen = claims.rows[0]!.paid;
  const recoveredFen = ledger.get(codes.recoveryIncome)?.balanceFen ?? 0n;
  return {
    fundId,
    asOf,
    capitalFen,
    capitalByBody: capital.accounts.map((account) => ({ body: account.code.slice(codes.capitalPrefix.length), amountFen: account.balanceFen })),
    cashFen: ledger.get(codes.cash)?.balanceFen ?? 0n,
    coveredPrincipalFen: covered,
    leverage: version.parameters.leverage,
    leverageLimitFen: leverageLimitFen(capitalFen, version.parameters.leverage),
    leverageUsed: ratioText(covered, capitalFen),
    claimsApprovedUnpaidFen: claims.rows[0]!.approved_unpaid,
    claimsPaidFen: paidFen,
    recoveredFen,
    writtenOffFen: writeOffs.rows[0]!.total,
    recoveryRate: ratioText(recoveredFen, paidFen),
    nonPerformingByBank: [...portfolios.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([bankId, portfolio]) => {
        const s = suspension(version.parameters, portfolio);
        return {
          bankId,
          coveredPrincipalFen: portfolio.coveredFen,
          nonPerformingCoveredPrincipalFen: portfolio.nonPerformingCoveredFen,
          ratio: s.ratio,
          suspended: s.suspended,
        };
      }),
  };
}
