import type { Fen } from '../money';

export type AccountType = 'asset' | 'liability' | 'equity' | 'income' | 'expense' | 'memo';
export type NormalSide = 'debit' | 'credit';
export type Side = 'debit' | 'credit';

export interface AccountDefinition {
  /** Stable code, hierarchical with ':', e.g. "fund:RCF1:cash" (also the hledger account name). */
  code: string;
  name: string;
  type: AccountType;
  /** Defaults from the type: asset and expense debit, liability, equity and income credit; required for memo. */
  normalSide?: NormalSide;
  /** The balance on the normal side may never go below this (e.g. 0n: "never negative"). */
  floorFen?: Fen | null;
  /** The balance on the normal side may never go above this (e.g. a loan's principal). */
  ceilingFen?: Fen | null;
  /**
   * Posted to by many writers at once (a bank's accounts, which every loan of the bank posts to): its running totals
   * move in parts, one per ledger chain, so no posting waits on its row for another's commit. Takes no floor or
   * ceiling. Default false.
   */
  shared?: boolean;
}

export interface Account extends Required<Omit<AccountDefinition, 'floorFen' | 'ceilingFen'>> {
  id: bigint;
  floorFen: Fen | null;
  ceilingFen: Fen | null;
}

export interface LineInput {
  accountCode: string;
  side: Side;
  amountFen: Fen;
}

/** What caused an entry: a loan event, a subsidy run, a fund claim… (kind) and its id. */
export interface EntrySource {
  kind: string;
  id: string;
}

export interface EntryInput {
  /** Unique across the ledger: posting the same key again returns the first entry and writes nothing. */
  idempotencyKey: string;
  /** The date the movement took effect (value date), YYYY-MM-DD. */
  effectiveDate: string;
  description: string;
  source: EntrySource;
  lines: LineInput[];
  /** Set only by `reverse`. */
  reversesEntryId?: bigint;
}

export interface PostedEntry {
  id: bigint;
  idempotencyKey: string;
  /** True when the key had been posted before with the same content: nothing new was written. */
  replayed: boolean;
}

export interface Balance {
  code: string;
  name: string;
  type: AccountType;
  normalSide: NormalSide;
  asOf: string | null;
  debitsFen: Fen;
  creditsFen: Fen;
  /** On the account's normal side: debits − credits for a debit-normal account, credits − debits otherwise. */
  balanceFen: Fen;
}

export interface TrialBalance {
  asOf: string | null;
  accounts: Balance[];
  totalDebitsFen: Fen;
  totalCreditsFen: Fen;
}

export interface StatementLine {
  entryId: bigint;
  effectiveDate: string;
  recordedAt: string;
  description: string;
  source: EntrySource;
  side: Side;
  amountFen: Fen;
  /** Running balance on the normal side after this line, in date then entry order. */
  balanceFen: Fen;
  reversesEntryId: bigint | null;
}

export interface Statement {
  code: string;
  from: string;
  to: string;
  openingFen: Fen;
  lines: StatementLine[];
  closingFen: Fen;
}
