/**
 * Recoveries and write-offs: the fund's share of the proceeds of disposing a pledge, up to what it paid on the
 * loan, and what it writes off as lost.
 *
 * Each function runs on the caller's transaction (`db`), gathers the facts set-wise, lets the pure functions of
 * ./compute.ts decide the amounts, and writes the row and its ledger entry together (src/fund/README.md).
 * Loans are read through what the loans module exports (`getLoan`; the SQL function `loan_event_summary` and the view
 * `loan_facts`), banks and funding bodies through the principals' views: never their tables (migrations/owners.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { DomainError } from '../errors';
import { balances, post } from '../ledger';
import { getLoan } from '../loans/loans';
import { formatYuan, type Fen } from '../money';
import type { Principal } from '../principals';
import { fundAccountCodes, recoveryEntry, writeOffEntry } from './accounts';
import { recoveryShare } from './compute';
import { assertNotFuture, getFund } from './funds';
import { CLAIM_COLUMNS, type ClaimRow, toClaim } from './claims';

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
  // A bank reports recoveries for its own loans; the service centre records one a bank reported to it otherwise.
  if (principal.role === 'bank' ? !principal.bankId : principal.role !== 'staff') {
    throw new DomainError('forbidden', 'recoveries are reported by a bank for its own loans, or recorded by staff');
  }
  assertNotFuture('date', input.date);
  const fund = await getFund(db, fundId);
  const loan = await getLoan(db, { bankId: principal.role === 'bank' ? principal.bankId : null }, input.loanId);
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
