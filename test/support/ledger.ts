/** Entries the ledger's suites post: a two-line transfer between two accounts. */
import type { EntryInput } from '../../src/ledger';

/** `amountFen` from `debit` to `credit`, keyed, described and sourced by `key`. */
export function transferEntry(key: string, debit: string, credit: string, amountFen: bigint, date = '2024-03-01'): EntryInput {
  return {
    idempotencyKey: key,
    effectiveDate: date,
    description: `transfer ${key}`,
    source: { kind: 'test', id: key },
    lines: [
      { accountCode: debit, side: 'debit', amountFen },
      { accountCode: credit, side: 'credit', amountFen },
    ],
  };
}
