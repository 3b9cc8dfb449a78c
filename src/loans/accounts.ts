/**
 * A loan's memo accounts in the ledger, so that its balances are ledger balances and its money rules are ledger
 * limits enforced by PostgreSQL at every value date, back-dated lines included (migrations/…Ledger.ts (5)):
 *
 *   creation              D loan:<id>:undrawn        C bank:<bank>:facilities           the principal, on the start date
 *   disbursement          D loan:<id>:outstanding    C loan:<id>:undrawn                undrawn ≥ 0: Σ disbursed ≤ principal
 *   principal repayment   D loan:<id>:repaid         C loan:<id>:outstanding            outstanding ≥ 0: repaid ≤ disbursed
 *   interest payment      D loan:<id>:interest-paid  C bank:<bank>:interest-received
 *
 * The loan accounts are debit-normal memo accounts; undrawn and outstanding have floor 0. The bank's accounts carry no limit on purpose: a
 * limited account is re-checked over all its lines whenever a line is back-dated, and these two have a line per loan.
 * They are shared ledger accounts (migrations/…LedgerSharedAccounts.ts), so a bank's loans do not queue on them.
 */
import type { AccountDefinition, EntryInput } from '../ledger';
import type { Fen } from '../money';
import type { EventType } from './types';

export function loanAccountCodes(loanId: string) {
  return {
    undrawn: `loan:${loanId}:undrawn`,
    outstanding: `loan:${loanId}:outstanding`,
    repaid: `loan:${loanId}:repaid`,
    interestPaid: `loan:${loanId}:interest-paid`,
  };
}

export function bankAccountCodes(bankId: string) {
  return { facilities: `bank:${bankId}:facilities`, interestReceived: `bank:${bankId}:interest-received` };
}

export function loanAccountDefinitions(loanId: string, contractNo: string): AccountDefinition[] {
  const codes = loanAccountCodes(loanId);
  const memo = (code: string, what: string, floorFen: bigint | null): AccountDefinition => ({
    code,
    name: `Loan ${contractNo}: ${what}`,
    type: 'memo',
    normalSide: 'debit',
    floorFen,
  });
  // `repaid` and `interest-paid` are only ever debited, so a floor there could never bind; it would only cost a
  // re-check of their lines whenever one is back-dated.
  return [
    memo(codes.undrawn, 'principal not yet disbursed', 0n),
    memo(codes.outstanding, 'outstanding principal', 0n),
    memo(codes.repaid, 'principal repaid', null),
    memo(codes.interestPaid, 'interest paid', null),
  ];
}

/**
 * A bank's accounts: every loan of the bank posts to them, so they are shared ledger accounts (their totals move in
 * parts; no loan waits on their rows for another's commit), and without limits.
 */
export function bankAccountDefinitions(bankId: string, bankCode: string): AccountDefinition[] {
  const codes = bankAccountCodes(bankId);
  return [
    { code: codes.facilities, name: `Bank ${bankCode}: IP-pledge loan principal granted`, type: 'memo', normalSide: 'credit', shared: true },
    { code: codes.interestReceived, name: `Bank ${bankCode}: interest received on IP-pledge loans`, type: 'memo', normalSide: 'credit', shared: true },
  ];
}

/** The entry that opens a loan's facility: the whole principal undrawn from its start date. */
export function facilityEntry(loan: { id: string; bankId: string; contractNo: string; principalFen: Fen; startDate: string }): EntryInput {
  return {
    idempotencyKey: `loan:${loan.id}:facility`,
    effectiveDate: loan.startDate,
    description: `Loan ${loan.contractNo}: principal granted`,
    source: { kind: 'loan', id: loan.id },
    lines: [
      { accountCode: loanAccountCodes(loan.id).undrawn, side: 'debit', amountFen: loan.principalFen },
      { accountCode: bankAccountCodes(loan.bankId).facilities, side: 'credit', amountFen: loan.principalFen },
    ],
  };
}

const DESCRIPTION: Partial<Record<EventType, string>> = {
  disbursement: 'disbursement',
  principal_repayment: 'principal repayment',
  interest_payment: 'interest payment',
};

/** The entry of a money event; its key is derived from the event id, so one event can never post twice. */
export function eventEntry(
  event: { id: string; type: EventType; date: string; amountFen: Fen },
  loan: { id: string; bankId: string; contractNo: string },
): EntryInput {
  const loanCodes = loanAccountCodes(loan.id);
  const [debit, credit] =
    event.type === 'disbursement'
      ? [loanCodes.outstanding, loanCodes.undrawn]
      : event.type === 'principal_repayment'
        ? [loanCodes.repaid, loanCodes.outstanding]
        : event.type === 'interest_payment'
          ? [loanCodes.interestPaid, bankAccountCodes(loan.bankId).interestReceived]
          : (() => {
              throw new RangeError(`a ${event.type} event posts nothing to the ledger`);
            })();
  return {
    idempotencyKey: `loan-event:${event.id}`,
    effectiveDate: event.date,
    description: `Loan ${loan.contractNo}: ${DESCRIPTION[event.type]}`,
    source: { kind: 'loan_event', id: event.id },
    lines: [
      { accountCode: debit, side: 'debit', amountFen: event.amountFen },
      { accountCode: credit, side: 'credit', amountFen: event.amountFen },
    ],
  };
}
