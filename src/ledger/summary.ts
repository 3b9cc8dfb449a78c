/**
 * The ledger summarised by account type, normal side and code prefix, for the dashboard: the same totals as the
 * trial balance (`trialBalance`), without reading every account. How it stays exact without adding anything to a
 * posting — a checkpoint plus the tail after it — is told in migrations/Migration20261203000400LedgerSummary.ts.
 */
import type pg from 'pg';
import type { Queryable } from '../db/pool';
import { isIsoDate } from '../dates';
import { validationError } from '../errors';
import type { Fen } from '../money';
import type { AccountType, NormalSide } from './types';

/**
 * A read refreshes the checkpoint first when this many entries or accounts have arrived since: the tail a read sums
 * stays small (a few thousand lines, milliseconds), and a refresh folds a few thousand entries at a time.
 */
export const SUMMARY_REFRESH_AFTER = 5_000;
/**
 * How long a refresh waits for the postings in flight to end (postings queue behind it meanwhile); past this it gives
 * up and the read answers from the tail. A posting takes about a millisecond; a long batch makes it give up.
 */
export const SUMMARY_LOCK_TIMEOUT_MS = 200;
/**
 * After a refresh gave up, reads do not try again for this long: each try holds postings back for up to the lock
 * timeout, and a stream of long batches would otherwise make every dashboard read do that. Reads stay exact meanwhile.
 */
export const SUMMARY_RETRY_AFTER_MS = 30_000;
const lastGaveUp = new WeakMap<pg.Pool, number>();

export interface SummaryGroup {
  type: AccountType;
  normalSide: NormalSide;
  /** The account code's first segment: `loan`, `bank`, `fund`, `subsidy`. */
  prefix: string;
  accounts: number;
  debitsFen: Fen;
  creditsFen: Fen;
  /** On the group's normal side: debits − credits when debit-normal, credits − debits otherwise. */
  balanceFen: Fen;
}

export interface LedgerSummary {
  asOf: string | null;
  groups: SummaryGroup[];
  accounts: number;
  totalDebitsFen: Fen;
  totalCreditsFen: Fen;
}

interface GroupRow {
  type: AccountType;
  normal_side: NormalSide;
  prefix: string;
  accounts: bigint;
  debits_fen: bigint;
  credits_fen: bigint;
}

const SUMMARY_SQL = `
  with checkpoint as (select entries_through, accounts_through from ledger_summary_checkpoint),
  counted as (
    select type, normal_side, prefix, accounts from ledger_summary_accounts
    union all
    select type, normal_side, split_part(code, ':', 1), count(*)
      from ledger_account where id > (select accounts_through from checkpoint)
     group by 1, 2, 3
  ),
  summed as (
    select type, normal_side, prefix, sum(debits_fen) as debits_fen, sum(credits_fen) as credits_fen
      from ledger_summary_day where $1::date is null or effective_date <= $1::date
     group by 1, 2, 3
    union all
    select a.type, a.normal_side, split_part(a.code, ':', 1),
           coalesce(sum(l.amount_fen) filter (where l.side = 'D'), 0), coalesce(sum(l.amount_fen) filter (where l.side = 'C'), 0)
      from ledger_line l join ledger_account a on a.id = l.account_id
     where l.entry_id > (select entries_through from checkpoint) and ($1::date is null or l.effective_date <= $1::date)
     group by 1, 2, 3
  ),
  together as (
    select type, normal_side, prefix, accounts, 0::numeric as debits_fen, 0::numeric as credits_fen from counted
    union all
    select type, normal_side, prefix, 0, debits_fen, credits_fen from summed
  )
  select type, normal_side, prefix, sum(accounts)::bigint as accounts,
         sum(debits_fen)::bigint as debits_fen, sum(credits_fen)::bigint as credits_fen
    from together
   group by type, normal_side, prefix
   order by prefix, type, normal_side`;

/** Balances by account type, normal side and code prefix, now or at the end of the value date `asOf`. */
export async function ledgerSummary(db: Queryable, options: { asOf?: string | null } = {}): Promise<LedgerSummary> {
  const asOf = options.asOf ?? null;
  if (asOf !== null && !isIsoDate(asOf)) throw validationError('asOf', 'must be a date YYYY-MM-DD');
  if (isPool(db)) await refreshLedgerSummaryIfBehind(db);
  const result = await db.query<GroupRow>(SUMMARY_SQL, [asOf]);
  let accounts = 0;
  let totalDebitsFen: Fen = 0n;
  let totalCreditsFen: Fen = 0n;
  const groups = result.rows.map((row): SummaryGroup => {
    const net = row.debits_fen - row.credits_fen;
    accounts += Number(row.accounts);
    totalDebitsFen += row.debits_fen;
    totalCreditsFen += row.credits_fen;
    return {
      type: row.type,
      normalSide: row.normal_side,
      prefix: row.prefix,
      accounts: Number(row.accounts),
      debitsFen: row.debits_fen,
      creditsFen: row.credits_fen,
      balanceFen: row.normal_side === 'debit' ? net : -net,
    };
  });
  return { asOf, groups, accounts, totalDebitsFen, totalCreditsFen };
}

/**
 * Moves the checkpoint up to every entry and account committed by now: marks the bound (briefly holding postings
 * back), then folds the rows up to it. Runs outside any transaction of the caller's (it needs the pool); true when the
 * checkpoint moved, false when another refresh was running or the postings in flight did not end in time.
 */
export async function refreshLedgerSummary(pool: pg.Pool, lockTimeoutMs = SUMMARY_LOCK_TIMEOUT_MS): Promise<boolean> {
  const marked = await pool.query<{ marked: boolean }>('select ledger_summary_mark($1) as marked', [lockTimeoutMs]);
  if (!marked.rows[0]!.marked) return false;
  const applied = await pool.query<{ applied: boolean }>('select ledger_summary_apply() as applied');
  return applied.rows[0]!.applied;
}

async function refreshLedgerSummaryIfBehind(pool: pg.Pool): Promise<void> {
  const lag = await pool.query<{ entries: bigint; accounts: bigint }>(
    `select coalesce((select max(id) from ledger_entry), 0) - entries_through as entries,
            coalesce((select max(id) from ledger_account), 0) - accounts_through as accounts
       from ledger_summary_checkpoint`,
  );
  const row = lag.rows[0]!;
  const behind = row.entries > BigInt(SUMMARY_REFRESH_AFTER) || row.accounts > BigInt(SUMMARY_REFRESH_AFTER);
  if (!behind || Date.now() - (lastGaveUp.get(pool) ?? -Infinity) < SUMMARY_RETRY_AFTER_MS) return;
  const moved = await refreshLedgerSummary(pool);
  if (moved) lastGaveUp.delete(pool);
  else lastGaveUp.set(pool, Date.now());
}

function isPool(db: Queryable): db is pg.Pool {
  // A pool hands out clients; a client (a transaction's, or a lone connection) does not.
  return typeof (db as pg.Pool).totalCount === 'number';
}
