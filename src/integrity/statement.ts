/**
 * The daily statement (README "Security", "Hash chains and the verifier"): for a day that has ended in China, the
 * head of each chain (the audit log's, the ledger's 16) at the end of that day — its number of rows, last row and
 * hash — and one `anchor` digest over them. The audit log's chains 1–15 are named once they have a row by the end of
 * the day: the audit log was one chain before migrations/Migration20261203002000AuditChains.ts, and the statement of
 * a day before it stays what it was.
 * An auditor, a finance bureau or a bank downloads it each day and keeps it: an anchor outside the database. The
 * statement of a day is the same whenever it is asked for, so a later copy that differs from one kept, or a chain
 * that no longer passes through a kept head (`npm run verify -- --statement …`), shows that history up to that day
 * was rewritten.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { addDays, isIsoDate, todayInChina } from '../dates';
import { DomainError } from '../errors';
import { CHAINS, chainNumbers, GENESIS_HASH, type ChainHead, type ChainName } from './chain';

export const STATEMENT_DOCUMENT = 'ip-pledge-ledger integrity statement';
export const STATEMENT_TIME_ZONE = 'Asia/Shanghai';

export interface StatementChain {
  chain: ChainName;
  /** The audit log's chain 0 and those of its chains 1–15 that have a row; the ledger's 0–15. */
  shard: number;
  rows: number;
  lastId: string | null;
  lastHash: string;
  lastAt: string | null;
}

export interface DailyStatement {
  document: typeof STATEMENT_DOCUMENT;
  version: 1;
  date: string;
  timeZone: typeof STATEMENT_TIME_ZONE;
  /** The instant the day ended: rows chained before it are counted. */
  dayEnd: string;
  chains: StatementChain[];
  /** sha256 of the lines of `anchorText`: short enough to read out or write down. */
  anchor: string;
  issuedAt: string;
}

/** What `anchor` is the hash of: the date and each chain's head, one per line. */
export function anchorText(statement: Pick<DailyStatement, 'date' | 'chains'>): string {
  return [
    `${STATEMENT_DOCUMENT} v1`,
    statement.date,
    ...statement.chains.map((c) => `${c.chain} ${c.shard} ${c.rows} ${c.lastId ?? '-'} ${c.lastHash}`),
  ].join('\n');
}

export const anchorOf = (statement: Pick<DailyStatement, 'date' | 'chains'>) =>
  createHash('sha256').update(anchorText(statement), 'utf8').digest('hex');

/** The end of `date` in China (UTC+8, no daylight saving). */
export function dayEndInChina(date: string): Date {
  return new Date(`${addDays(date, 1)}T00:00:00+08:00`);
}

export async function dailyStatement(db: Queryable, date: string, now: Date = new Date()): Promise<DailyStatement> {
  if (!isIsoDate(date)) throw new DomainError('validation_failed', `${date} is not a date`, [{ path: 'date', message: 'must be a date YYYY-MM-DD' }]);
  const today = todayInChina(now);
  if (date >= today) {
    throw new DomainError('validation_failed', `the statement of ${date} is made once that day has ended in China (today is ${today})`, [
      { path: 'date', message: `must be a day that has ended (before ${today})` },
    ]);
  }
  const dayEnd = dayEndInChina(date);
  const result = await db.query<{ chain: ChainName; shard: number; rows: bigint; last_id: bigint | null; last_hash: Buffer; last_at: Date | null }>(
    `select chain, shard, rows, last_id, last_hash, last_at from integrity_heads_at($1)`,
    [dayEnd],
  );
  const chains = CHAINS.flatMap((chain) => chainNumbers(chain).map((shard) => ({ chain, shard })))
    .map(({ chain, shard }): StatementChain => {
      const row = result.rows.find((r) => r.chain === chain && r.shard === shard);
      return {
        chain,
        shard,
        rows: Number(row?.rows ?? 0n),
        lastId: row?.last_id?.toString() ?? null,
        lastHash: row?.last_hash.toString('hex') ?? GENESIS_HASH,
        lastAt: row?.last_at?.toISOString() ?? null,
      };
    })
    .filter((c) => c.chain === 'ledger' || c.shard === 0 || c.rows > 0);
  return {
    document: STATEMENT_DOCUMENT,
    version: 1,
    date,
    timeZone: STATEMENT_TIME_ZONE,
    dayEnd: dayEnd.toISOString(),
    chains,
    anchor: anchorOf({ date, chains }),
    issuedAt: now.toISOString(),
  };
}

/** The heads a kept statement records, after checking that its anchor is its own (a statement edited is refused). */
export function statementHeads(statement: DailyStatement): ChainHead[] {
  if (statement.document !== STATEMENT_DOCUMENT || !Array.isArray(statement.chains)) {
    throw new Error('not an integrity statement');
  }
  if (anchorOf(statement) !== statement.anchor) {
    throw new Error(`the statement of ${statement.date} does not match its own anchor: it was edited after it was issued`);
  }
  return statement.chains.map((c) => ({ chain: c.chain, shard: c.shard, rows: c.rows, lastId: c.lastId, lastHash: c.lastHash }));
}
