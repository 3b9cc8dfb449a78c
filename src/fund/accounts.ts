/**
 * The fund's ledger accounts and entries. Every movement is a balanced entry (the fund statement is the
 * statement of `fund:<code>:cash`):
 *
 *   contribution  D fund:<code>:cash                          C fund:<code>:capital:<body>              capital paid in
 *                 D fund:<code>:uncommitted                   C fund:<code>:commitments                 memo: free cash
 *   approval      D fund:<code>:compensation-expense          C fund:<code>:claims-payable:<bankId>     owed to the bank
 *                 D fund:<code>:commitments                   C fund:<code>:uncommitted                 uncommitted ≥ 0: 409
 *   rejection     the reversing entry of the approval (when a claim is rejected after approval)
 *   payment       D fund:<code>:claims-payable:<bankId>       C fund:<code>:cash                        cash ≥ 0: 409
 *                 D fund:<code>:recoverable:<loanId>          C fund:<code>:recoverable-contra          memo: owed back
 *   recovery      D fund:<code>:cash                          C fund:<code>:recovery-income
 *                 D fund:<code>:uncommitted                   C fund:<code>:commitments
 *                 D fund:<code>:recoverable-contra            C fund:<code>:recoverable:<loanId>
 *   write-off     D fund:<code>:recoverable-contra            C fund:<code>:recoverable:<loanId>        memo only
 *
 * Limits the database enforces (the second half of each pair of checks, migrations/…Ledger.ts (5)):
 * - `cash` has floor 0: no payment, however concurrent or back-dated, takes it below zero on any day;
 * - `uncommitted` (cash not yet promised to approved claims = cash − approved unpaid) has floor 0: an approval is
 *   refused when the cash cannot cover it next to the claims already approved, so of two concurrent approvals that
 *   together exceed the cash exactly one commits, and every approved claim can be paid;
 * - `claims-payable:<bankId>` has floor 0: a bank is never paid more than was approved for it;
 * - `recoverable:<loanId>` has floor 0: recoveries and write-offs on a loan never exceed what the fund paid on it.
 */
import type { AccountDefinition, EntryInput } from '../ledger';
import type { Fen } from '../money';

export function fundAccountCodes(fundCode: string) {
  const prefix = `fund:${fundCode}`;
  return {
    prefix,
    cash: `${prefix}:cash`,
    capitalPrefix: `${prefix}:capital:`,
    capital: (body: string) => `${prefix}:capital:${body}`,
    claimsPayable: (bankId: string) => `${prefix}:claims-payable:${bankId}`,
    compensationExpense: `${prefix}:compensation-expense`,
    recoveryIncome: `${prefix}:recovery-income`,
    recoverable: (loanId: string) => `${prefix}:recoverable:${loanId}`,
    recoverableContra: `${prefix}:recoverable-contra`,
    uncommitted: `${prefix}:uncommitted`,
    commitments: `${prefix}:commitments`,
  };
}

/** The accounts every fund has from its creation, plus a capital account per contributing body. */
export function fundAccountDefinitions(fundCode: string, bodies: string[]): AccountDefinition[] {
  const codes = fundAccountCodes(fundCode);
  return [
    { code: codes.cash, name: `Fund ${fundCode}: cash`, type: 'asset', floorFen: 0n },
    { code: codes.uncommitted, name: `Fund ${fundCode}: cash not committed to approved claims`, type: 'memo', normalSide: 'debit', floorFen: 0n },
    { code: codes.commitments, name: `Fund ${fundCode}: cash committed or received (contra)`, type: 'memo', normalSide: 'credit' },
    { code: codes.compensationExpense, name: `Fund ${fundCode}: compensation of banks' losses`, type: 'expense' },
    { code: codes.recoveryIncome, name: `Fund ${fundCode}: recoveries from disposed pledged IP`, type: 'income' },
    {
      code: codes.recoverableContra,
      name: `Fund ${fundCode}: compensation still recoverable (contra)`,
      type: 'memo',
      normalSide: 'credit',
    },
    ...bodies.map(
      (body): AccountDefinition => ({ code: codes.capital(body), name: `Fund ${fundCode}: capital from ${body}`, type: 'equity' }),
    ),
  ];
}

export function claimsPayableDefinition(fundCode: string, bankId: string): AccountDefinition {
  return {
    code: fundAccountCodes(fundCode).claimsPayable(bankId),
    name: `Fund ${fundCode}: approved claims payable to bank ${bankId}`,
    type: 'liability',
    floorFen: 0n,
  };
}

export function recoverableDefinition(fundCode: string, loanId: string): AccountDefinition {
  return {
    code: fundAccountCodes(fundCode).recoverable(loanId),
    name: `Fund ${fundCode}: paid on loan ${loanId}, not yet recovered or written off`,
    type: 'memo',
    normalSide: 'debit',
    floorFen: 0n,
  };
}

export function contributionEntry(fund: { id: string; code: string }, contribution: { id: string; body: string; amountFen: Fen; date: string }): EntryInput {
  const codes = fundAccountCodes(fund.code);
  return {
    idempotencyKey: `fund-contribution:${contribution.id}`,
    effectiveDate: contribution.date,
    description: `Fund ${fund.code}: contribution by ${contribution.body}`,
    source: { kind: 'fund_contribution', id: contribution.id },
    lines: [
      { accountCode: codes.cash, side: 'debit', amountFen: contribution.amountFen },
      { accountCode: codes.capital(contribution.body), side: 'credit', amountFen: contribution.amountFen },
      { accountCode: codes.uncommitted, side: 'debit', amountFen: contribution.amountFen },
      { accountCode: codes.commitments, side: 'credit', amountFen: contribution.amountFen },
    ],
  };
}

export function approvalEntry(fund: { code: string }, claim: { id: string; bankId: string; loanId: string; amountFen: Fen; date: string }): EntryInput {
  const codes = fundAccountCodes(fund.code);
  return {
    idempotencyKey: `fund-claim:${claim.id}:approval`,
    effectiveDate: claim.date,
    description: `Fund ${fund.code}: claim ${claim.id} on loan ${claim.loanId} approved`,
    source: { kind: 'fund_claim', id: claim.id },
    lines: [
      { accountCode: codes.compensationExpense, side: 'debit', amountFen: claim.amountFen },
      { accountCode: codes.claimsPayable(claim.bankId), side: 'credit', amountFen: claim.amountFen },
      { accountCode: codes.commitments, side: 'debit', amountFen: claim.amountFen },
      { accountCode: codes.uncommitted, side: 'credit', amountFen: claim.amountFen },
    ],
  };
}

export function paymentEntry(fund: { code: string }, claim: { id: string; bankId: string; loanId: string; amountFen: Fen; date: string }): EntryInput {
  const codes = fundAccountCodes(fund.code);
  return {
    idempotencyKey: `fund-claim:${claim.id}:payment`,
    effectiveDate: claim.date,
    description: `Fund ${fund.code}: claim ${claim.id} on loan ${claim.loanId} paid to the bank`,
    source: { kind: 'fund_claim', id: claim.id },
    lines: [
      { accountCode: codes.claimsPayable(claim.bankId), side: 'debit', amountFen: claim.amountFen },
      { accountCode: codes.cash, side: 'credit', amountFen: claim.amountFen },
      { accountCode: codes.recoverable(claim.loanId), side: 'debit', amountFen: claim.amountFen },
      { accountCode: codes.recoverableContra, side: 'credit', amountFen: claim.amountFen },
    ],
  };
}

export function recoveryEntry(fund: { code: string }, recovery: { id: string; loanId: string; fundShareFen: Fen; date: string }): EntryInput {
  const codes = fundAccountCodes(fund.code);
  return {
    idempotencyKey: `fund-recovery:${recovery.id}`,
    effectiveDate: recovery.date,
    description: `Fund ${fund.code}: its share of the proceeds of the pledged IP of loan ${recovery.loanId}`,
    source: { kind: 'fund_recovery', id: recovery.id },
    lines: [
      { accountCode: codes.cash, side: 'debit', amountFen: recovery.fundShareFen },
      { accountCode: codes.recoveryIncome, side: 'credit', amountFen: recovery.fundShareFen },
      { accountCode: codes.uncommitted, side: 'debit', amountFen: recovery.fundShareFen },
      { accountCode: codes.commitments, side: 'credit', amountFen: recovery.fundShareFen },
      { accountCode: codes.recoverableContra, side: 'debit', amountFen: recovery.fundShareFen },
      { accountCode: codes.recoverable(recovery.loanId), side: 'credit', amountFen: recovery.fundShareFen },
    ],
  };
}

export function writeOffEntry(fund: { code: string }, writeOff: { id: string; loanId: string; amountFen: Fen; date: string }): EntryInput {
  const codes = fundAccountCodes(fund.code);
  return {
    idempotencyKey: `fund-write-off:${writeOff.id}`,
    effectiveDate: writeOff.date,
    description: `Fund ${fund.code}: unrecoverable compensation on loan ${writeOff.loanId} written off`,
    source: { kind: 'fund_write_off', id: writeOff.id },
    lines: [
      { accountCode: codes.recoverableContra, side: 'debit', amountFen: writeOff.amountFen },
      { accountCode: codes.recoverable(writeOff.loanId), side: 'credit', amountFen: writeOff.amountFen },
    ],
  };
}

/** The statement's kind of a cash movement, from the source of its entry. */
export const MOVEMENT_KIND: Record<string, string> = {
  fund_contribution: 'contribution',
  fund_claim: 'payout',
  fund_recovery: 'recovery',
  fund_write_off: 'write_off',
};
