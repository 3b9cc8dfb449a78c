/**
 * Claims: a bank's claim for its enrolled loan in default, computed by ./compute.ts with the version in force on
 * the claim date, and staff's review (approve, pay, reject); the banks' non-performing portfolios for suspension.
 *
 * Each function runs on the caller's transaction (`db`), gathers the facts set-wise, lets the pure functions of
 * ./compute.ts decide the amounts, and writes the row and its ledger entry together (src/fund/README.md).
 * Loans are read through what the loans module exports (`getLoan`; the SQL function `loan_event_summary` and the view
 * `loan_facts`), banks and funding bodies through the principals' views: never their tables (migrations/owners.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { todayInChina } from '../dates';
import { withSavepoint } from '../db/savepoint';
import { DomainError, validationError } from '../errors';
import { keysetSql, pageOfRows, type Keyset, type Sort, type SortColumn } from '../db/keyset';
import { balance, ensureAccounts, post, reverse } from '../ledger';
import { getLoan } from '../loans/loans';
import { STATUS_SQL } from '../loans/status';
import { formatYuan, type Fen } from '../money';
import type { Principal } from '../principals';
import {
  approvalEntry,
  claimsPayableDefinition,
  fundAccountCodes,
  paymentEntry,
  recoverableDefinition,
} from './accounts';
import { computeClaim, type ClaimTrace } from './compute';
import { assertNotFuture, getFund, inForce, scopeOf } from './funds';

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

export interface ClaimRow {
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

export const CLAIM_COLUMNS = `id, fund_id, loan_id, bank_id, enrolment_id, claim_date, fund_version, status, amount_fen, covered_loss_fen,
  fund_part_fen, approved_on, approval_entry_id, paid_on, rejected_on, rejection_reason, trace`;

export const toClaim = (row: ClaimRow): Claim => ({
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
       cross join lateral loan_event_summary(e.loan_id, $2::date) ev
      where e.fund_id = $1 and e.enrolled_on <= $2::date and (e.withdrawn_on is null or e.withdrawn_on > $2::date)
        and ${STATUS_SQL} <> 'settled'
        and ($3::uuid is null or e.bank_id = $3)
      group by e.bank_id`,
    [fundId, asOf, bankId],
  );
  return new Map(result.rows.map((row) => [row.bank_id, { coveredFen: row.covered, nonPerformingCoveredFen: row.non_performing }]));
}

/**
 * A bank's claim for its own enrolled loan (src/fund/README.md "Claim"): computed by `computeClaim` with the version in force on
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
    `select first_overdue, first_default, settlement_date as settlement from loan_event_summary($1, $2::date)`,
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
       from fund_claim c join loan_facts l on l.id = c.loan_id
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
