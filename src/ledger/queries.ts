import type { Queryable } from '../db/pool';
import { addDays, isIsoDate } from '../dates';
import { DomainError, validationError } from '../errors';
import type { Fen } from '../money';
import { getAccount } from './accounts';
import { post } from './posting';
import type { AccountType, Balance, NormalSide, PostedEntry, Statement, TrialBalance } from './types';

interface BalanceRow {
  code: string;
  name: string;
  type: AccountType;
  normal_side: NormalSide;
  debits_fen: bigint;
  credits_fen: bigint;
}

function toBalance(row: BalanceRow, asOf: string | null): Balance {
  const net = row.debits_fen - row.credits_fen;
  return {
    code: row.code,
    name: row.name,
    type: row.type,
    normalSide: row.normal_side,
    asOf,
    debitsFen: row.debits_fen,
    creditsFen: row.credits_fen,
    balanceFen: row.normal_side === 'debit' ? net : -net,
  };
}

function assertDate(name: string, value: string | null | undefined): void {
  if (value != null && !isIsoDate(value)) throw validationError(name, 'must be a date YYYY-MM-DD');
}

/**
 * An account's balance now (its running totals: its row's, plus its parts' for a shared account, as the view
 * `ledger_account_current` adds them, migrations/…LedgerSharedAccounts.ts) or at the end of `asOf` (the sum of its
 * lines with that value date or earlier, so late or back-dated entries give the same figures as timely ones).
 */
export async function balance(db: Queryable, code: string, asOf?: string | null): Promise<Balance> {
  assertDate('asOf', asOf);
  const result = asOf
    ? await db.query<BalanceRow>(
        `select a.code, a.name, a.type, a.normal_side,
                coalesce(sum(l.amount_fen) filter (where l.side = 'D'), 0)::bigint as debits_fen,
                coalesce(sum(l.amount_fen) filter (where l.side = 'C'), 0)::bigint as credits_fen
           from ledger_account a left join ledger_line l on l.account_id = a.id and l.effective_date <= $2
          where a.code = $1
          group by a.id`,
        [code, asOf],
      )
    : await db.query<BalanceRow>(
        `select code, name, type, normal_side, debits_fen, credits_fen from ledger_account_current where code = $1`,
        [code],
      );
  const row = result.rows[0];
  if (!row) throw new DomainError('account_not_found', `no ledger account ${code}`, [], { account: code });
  return toBalance(row, asOf ?? null);
}

/** Balances of many accounts at once (one query), keyed by code; unknown codes are absent. */
export async function balances(db: Queryable, codes: string[], asOf?: string | null): Promise<Map<string, Balance>> {
  assertDate('asOf', asOf);
  const result = await db.query<BalanceRow>(
    asOf
      ? `select a.code, a.name, a.type, a.normal_side,
                coalesce(sum(l.amount_fen) filter (where l.side = 'D'), 0)::bigint as debits_fen,
                coalesce(sum(l.amount_fen) filter (where l.side = 'C'), 0)::bigint as credits_fen
           from ledger_account a left join ledger_line l on l.account_id = a.id and l.effective_date <= $2
          where a.code = any($1::text[])
          group by a.id`
      : `select code, name, type, normal_side, debits_fen, credits_fen from ledger_account_current where code = any($1::text[])`,
    asOf ? [codes, asOf] : [codes],
  );
  return new Map(result.rows.map((row) => [row.code, toBalance(row, asOf ?? null)]));
}

/**
 * Every account with its debits, credits and balance (optionally only accounts whose code starts with `prefix`).
 * Total debits equal total credits because every entry balances; the totals are summed here, not assumed.
 */
export async function trialBalance(db: Queryable, options: { asOf?: string | null; prefix?: string } = {}): Promise<TrialBalance> {
  const asOf = options.asOf ?? null;
  assertDate('asOf', asOf);
  const prefixPattern = options.prefix ? `${options.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '%';
  const result = asOf
    ? await db.query<BalanceRow>(
        `select a.code, a.name, a.type, a.normal_side,
                coalesce(t.debits_fen, 0)::bigint as debits_fen, coalesce(t.credits_fen, 0)::bigint as credits_fen
           from ledger_account a
           left join (select account_id,
                             sum(amount_fen) filter (where side = 'D') as debits_fen,
                             sum(amount_fen) filter (where side = 'C') as credits_fen
                        from ledger_line where effective_date <= $1 group by account_id) t on t.account_id = a.id
          where a.code like $2
          order by a.code`,
        [asOf, prefixPattern],
      )
    : await db.query<BalanceRow>(
        `select code, name, type, normal_side, debits_fen, credits_fen from ledger_account_current where code like $1 order by code`,
        [prefixPattern],
      );
  const accounts = result.rows.map((row) => toBalance(row, asOf));
  let totalDebitsFen: Fen = 0n;
  let totalCreditsFen: Fen = 0n;
  for (const account of accounts) {
    totalDebitsFen += account.debitsFen;
    totalCreditsFen += account.creditsFen;
  }
  return { asOf, accounts, totalDebitsFen, totalCreditsFen };
}

/** Opening balance at the start of `from`, every line dated `from`…`to` (inclusive) with its entry, closing at the end of `to`. */
export async function statement(db: Queryable, code: string, from: string, to: string): Promise<Statement> {
  assertDate('from', from);
  assertDate('to', to);
  if (from > to) throw validationError('from', 'must not be after to');
  const account = await getAccount(db, code);
  const opening = await balance(db, code, addDays(from, -1));
  const result = await db.query<{
    entry_id: bigint;
    effective_date: string;
    recorded_at: Date;
    description: string;
    source_kind: string;
    source_id: string;
    side: 'D' | 'C';
    amount_fen: bigint;
    reverses_entry_id: bigint | null;
  }>(
    `select e.id as entry_id, e.effective_date, e.recorded_at, e.description, e.source_kind, e.source_id,
            l.side, l.amount_fen, e.reverses_entry_id
       from ledger_line l join ledger_entry e on e.id = l.entry_id
      where l.account_id = $1 and l.effective_date between $2 and $3
      order by l.effective_date, e.id, l.line_no`,
    [account.id, from, to],
  );
  let running = opening.balanceFen;
  const lines = result.rows.map((row) => {
    const towardNormal = (row.side === 'D') === (account.normalSide === 'debit');
    running += towardNormal ? row.amount_fen : -row.amount_fen;
    return {
      entryId: row.entry_id,
      effectiveDate: row.effective_date,
      recordedAt: row.recorded_at.toISOString(),
      description: row.description,
      source: { kind: row.source_kind, id: row.source_id },
      side: row.side === 'D' ? ('debit' as const) : ('credit' as const),
      amountFen: row.amount_fen,
      balanceFen: running,
      reversesEntryId: row.reverses_entry_id,
    };
  });
  return { code, from, to, openingFen: opening.balanceFen, lines, closingFen: running };
}

/**
 * Posts the reversing entry of `entryId`: the same lines with sides swapped, naming the entry it reverses (the
 * database allows one reversal per entry and checks the mirror). Dated like the original unless told otherwise, so
 * balances as of any date return to what they were without it.
 */
export async function reverse(
  db: Queryable,
  entryId: bigint,
  options: { idempotencyKey: string; effectiveDate?: string; description?: string },
): Promise<PostedEntry> {
  const original = await db.query<{ effective_date: string; description: string; source_kind: string; source_id: string }>(
    `select effective_date, description, source_kind, source_id from ledger_entry where id = $1`,
    [entryId],
  );
  const entry = original.rows[0];
  if (!entry) throw new DomainError('not_found', `no ledger entry ${entryId}`);
  const lines = await db.query<{ code: string; side: 'D' | 'C'; amount_fen: bigint }>(
    `select a.code, l.side, l.amount_fen from ledger_line l join ledger_account a on a.id = l.account_id
      where l.entry_id = $1 order by l.line_no`,
    [entryId],
  );
  return post(db, {
    idempotencyKey: options.idempotencyKey,
    effectiveDate: options.effectiveDate ?? entry.effective_date,
    description: options.description ?? `Reversal of entry ${entryId}: ${entry.description}`.slice(0, 500),
    source: { kind: entry.source_kind, id: entry.source_id },
    reversesEntryId: entryId,
    lines: lines.rows.map((line) => ({
      accountCode: line.code,
      side: line.side === 'D' ? ('credit' as const) : ('debit' as const),
      amountFen: line.amount_fen,
    })),
  });
}

/** Where a statement page ended: the last line's value date, entry and line number (the statement's own order). */
export interface StatementPosition {
  date: string;
  entryId: string;
  lineNo: number;
}

/**
 * `statement` a page at a time: the opening and closing of the whole period, the lines after `after` (at most
 * `limit`), each with its running balance — the opening plus every line of the period up to it, summed in PostgreSQL
 * for the lines of the pages before — and where the next page starts.
 */
export async function statementPage(
  db: Queryable,
  code: string,
  from: string,
  to: string,
  page: { limit: number; after?: StatementPosition | undefined },
): Promise<Statement & { next: StatementPosition | null }> {
  assertDate('from', from);
  assertDate('to', to);
  if (from > to) throw validationError('from', 'must not be after to');
  const account = await getAccount(db, code);
  const opening = await balance(db, code, addDays(from, -1));
  const closing = await balance(db, code, to);
  const after = page.after ?? null;
  const towardNormal = (side: 'D' | 'C') => (side === 'D') === (account.normalSide === 'debit');
  let running = opening.balanceFen;
  if (after) {
    const before = await db.query<{ debits_fen: bigint; credits_fen: bigint }>(
      `select coalesce(sum(amount_fen) filter (where side = 'D'), 0)::bigint as debits_fen,
              coalesce(sum(amount_fen) filter (where side = 'C'), 0)::bigint as credits_fen
         from ledger_line
        where account_id = $1 and effective_date between $2 and $3
          and (effective_date, entry_id, line_no) <= ($4::date, $5::bigint, $6::int)`,
      [account.id, from, to, after.date, after.entryId, after.lineNo],
    );
    const { debits_fen: debits, credits_fen: credits } = before.rows[0]!;
    running += account.normalSide === 'debit' ? debits - credits : credits - debits;
  }
  const result = await db.query<{
    entry_id: bigint;
    line_no: number;
    effective_date: string;
    recorded_at: Date;
    description: string;
    source_kind: string;
    source_id: string;
    side: 'D' | 'C';
    amount_fen: bigint;
    reverses_entry_id: bigint | null;
  }>(
    `select e.id as entry_id, l.line_no, e.effective_date, e.recorded_at, e.description, e.source_kind, e.source_id,
            l.side, l.amount_fen, e.reverses_entry_id
       from ledger_line l join ledger_entry e on e.id = l.entry_id
      where l.account_id = $1 and l.effective_date between $2 and $3
        and ($4::date is null or (l.effective_date, e.id, l.line_no) > ($4::date, $5::bigint, $6::int))
      order by l.effective_date, e.id, l.line_no limit $7`,
    [account.id, from, to, after?.date ?? null, after?.entryId ?? null, after?.lineNo ?? null, page.limit + 1],
  );
  const rows = result.rows.slice(0, page.limit);
  const lines = rows.map((row) => {
    running += towardNormal(row.side) ? row.amount_fen : -row.amount_fen;
    return {
      entryId: row.entry_id,
      effectiveDate: row.effective_date,
      recordedAt: row.recorded_at.toISOString(),
      description: row.description,
      source: { kind: row.source_kind, id: row.source_id },
      side: row.side === 'D' ? ('debit' as const) : ('credit' as const),
      amountFen: row.amount_fen,
      balanceFen: running,
      reversesEntryId: row.reverses_entry_id,
    };
  });
  const last = rows[rows.length - 1];
  return {
    code,
    from,
    to,
    openingFen: opening.balanceFen,
    lines,
    closingFen: closing.balanceFen,
    next: result.rows.length > page.limit && last ? { date: last.effective_date, entryId: last.entry_id.toString(), lineNo: last.line_no } : null,
  };
}
