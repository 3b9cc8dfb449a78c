/**
 * Enrolments: a partner bank's loan put under the fund's cover, within capital × leverage, and withdrawn once
 * the loan is settled; the covered principal of the fund at a date.
 *
 * Each function runs on the caller's transaction (`db`), gathers the facts set-wise, lets the pure functions of
 * ./compute.ts decide the amounts, and writes the row and its ledger entry together (src/fund/README.md).
 * Loans are read through what the loans module exports (`getLoan`; the SQL function `loan_event_summary` and the view
 * `loan_facts`), banks and funding bodies through the principals' views: never their tables (migrations/owners.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { DomainError, validationError } from '../errors';
import { keysetSql, pageOfRows, type Keyset, type Sort, type SortColumn } from '../db/keyset';
import { trialBalance } from '../ledger';
import { getLoan } from '../loans/loans';
import { formatYuan, type Fen } from '../money';
import type { Principal } from '../principals';
import { fundAccountCodes } from './accounts';
import { coveredPrincipal, leverageLimitFen } from './compute';
import { type Fund, assertNotFuture, getFund, inForce, scopeOf } from './funds';

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
        and (select s.settlement_date from loan_event_summary(e.loan_id, $2::date) s) is null`,
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
