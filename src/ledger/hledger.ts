import type { Queryable } from '../db/pool';
import { formatYuan } from '../money';

/**
 * The journal in hledger's plain-text format, so an auditor can check our books with an independent tool:
 * `hledger -f journal balance` gives, per account, debits − credits, which must equal our trial balance
 * (test/ledger.hledger.test.ts runs Debian's hledger on it).
 *
 * Debits are positive amounts, credits negative; the account name is the ledger code (its ':' is hledger's hierarchy).
 */
export async function exportHledgerJournal(db: Queryable, options: { asOf?: string } = {}): Promise<string> {
  const result = await db.query<{
    id: bigint;
    effective_date: string;
    description: string;
    source_kind: string;
    source_id: string;
    reverses_entry_id: bigint | null;
    code: string;
    side: 'D' | 'C';
    amount_fen: bigint;
  }>(
    `select e.id, e.effective_date, e.description, e.source_kind, e.source_id, e.reverses_entry_id,
            a.code, l.side, l.amount_fen
       from ledger_entry e join ledger_line l on l.entry_id = e.id join ledger_account a on a.id = l.account_id
      where $1::date is null or e.effective_date <= $1::date
      order by e.effective_date, e.id, l.line_no`,
    [options.asOf ?? null],
  );
  const out: string[] = ['; IP-pledge ledger journal, exported for hledger', 'commodity CNY 1,000.00', ''];
  let currentEntry: bigint | undefined;
  for (const row of result.rows) {
    if (row.id !== currentEntry) {
      if (currentEntry !== undefined) out.push('');
      currentEntry = row.id;
      const description = row.description.replace(/[\r\n|;]+/g, ' ');
      out.push(`${row.effective_date} (${row.id}) ${description}`);
      const reverses = row.reverses_entry_id === null ? '' : `, reverses:${row.reverses_entry_id}`;
      out.push(`    ; source:${row.source_kind}/${row.source_id}${reverses}`);
    }
    const signed = row.side === 'D' ? row.amount_fen : -row.amount_fen;
    out.push(`    ${row.code}  CNY ${formatYuan(signed)}`);
  }
  out.push('');
  return out.join('\n');
}
