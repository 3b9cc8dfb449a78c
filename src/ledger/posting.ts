import { createHash } from 'node:crypto';
import pg, { type DatabaseError } from 'pg';
import type { Queryable } from '../db/pool';
import { isIsoDate } from '../dates';
import { DomainError } from '../errors';
import { ledgerEntriesPosted, ledgerLinesPosted } from '../metrics';
import { MAX_FEN } from '../money';
import { ACCOUNT_CODE_PATTERN } from './accounts';
import type { EntryInput, PostedEntry } from './types';

/** At most this many entries in one `postMany`: one statement's arrays stay well under PostgreSQL's limits. */
export const MAX_ENTRIES_PER_BATCH = 20_000;
/** At most this many lines in one entry: a subsidy approval has one line per enterprise and body. */
export const MAX_LINES_PER_ENTRY = 10_000;

/**
 * The first of the two checks of every entry (paired assertions): refused here before anything is sent;
 * PostgreSQL refuses the same entry again when it is written (migrations/…Ledger.ts).
 */
export function assertEntryWellFormed(entry: EntryInput): void {
  const where = `entry ${entry.idempotencyKey}`;
  if (!entry.idempotencyKey || entry.idempotencyKey.length > 300) {
    throw new DomainError('validation_failed', `${where}: idempotency key must be 1–300 characters`);
  }
  if (!isIsoDate(entry.effectiveDate)) {
    throw new DomainError('validation_failed', `${where}: effective date ${entry.effectiveDate} is not a YYYY-MM-DD date`);
  }
  if (!entry.description || entry.description.length > 500) {
    throw new DomainError('validation_failed', `${where}: description must be 1–500 characters`);
  }
  if (!/^[a-z][a-z_]{0,39}$/.test(entry.source.kind) || !entry.source.id || entry.source.id.length > 200) {
    throw new DomainError('validation_failed', `${where}: source must name a kind (a-z, _) and an id`);
  }
  if (entry.lines.length < 2) {
    throw new DomainError('entry_too_few_lines', `${where} has ${entry.lines.length} line(s); an entry needs at least two`);
  }
  if (entry.lines.length > MAX_LINES_PER_ENTRY) {
    throw new DomainError('validation_failed', `${where} has more than ${MAX_LINES_PER_ENTRY} lines`);
  }
  let differenceFen = 0n;
  for (const line of entry.lines) {
    if (typeof line.amountFen !== 'bigint' || line.amountFen <= 0n || line.amountFen > MAX_FEN) {
      throw new DomainError('validation_failed', `${where}: every line amount must be a positive whole number of fen`);
    }
    if (!ACCOUNT_CODE_PATTERN.test(line.accountCode)) {
      throw new DomainError('validation_failed', `${where}: account code ${JSON.stringify(line.accountCode)} is not valid`);
    }
    differenceFen += line.side === 'debit' ? line.amountFen : -line.amountFen;
  }
  if (differenceFen !== 0n) {
    throw new DomainError('entry_unbalanced', `${where} does not balance: debits − credits = ${differenceFen} fen`);
  }
}

/** What an idempotency key stands for: a retry must carry the same content, or it is a conflict. */
export function entryContentHash(entry: EntryInput): Buffer {
  const canonical = JSON.stringify([
    entry.effectiveDate,
    entry.description,
    entry.source.kind,
    entry.source.id,
    entry.reversesEntryId?.toString() ?? null,
    entry.lines.map((line) => [line.accountCode, line.side, line.amountFen.toString()]),
  ]);
  return createHash('sha256').update(canonical).digest();
}

/**
 * Posts entries atomically: one SQL statement inserts every entry and line; the database's trigger checks them,
 * locks the touched accounts in id order and moves their running totals, all before the statement returns. Run it on
 * the pool for its own transaction, or on a transaction's client to post with other writes.
 *
 * An entry whose key was posted before with the same content is not written again (`replayed: true`); with
 * different content it is an `idempotency_conflict`.
 */
export async function postMany(db: Queryable, entries: EntryInput[]): Promise<PostedEntry[]> {
  if (entries.length === 0) return [];
  if (entries.length > MAX_ENTRIES_PER_BATCH) {
    throw new DomainError('validation_failed', `at most ${MAX_ENTRIES_PER_BATCH} entries per batch`);
  }
  const { values, hashes, lineAccount } = postingArguments(entries);
  // Inside a transaction (every HTTP write) a failed statement fails the transaction: nothing can be asked after
  // it. So there the accounts are checked before writing; on the pool a failure can still be explained afterwards.
  const inTransaction = !(db instanceof pg.Pool);
  if (inTransaction) await assertAccountsExist(db, lineAccount);

  let rows: Array<{ ord: string; id: bigint | null }>;
  try {
    // A named statement: parsed and planned once per connection (round trips and planning dominate a posting). One
    // entry goes through the statement made for one entry, its lines' three arrays only (migrations/…LedgerOneEntry.ts).
    const result =
      entries.length === 1
        ? await db.query<{ ord: string; id: bigint | null }>({ name: 'ledger_post_one', text: POST_ONE_SQL, values: oneEntryValues(values) })
        : await db.query<{ ord: string; id: bigint | null }>({ name: 'ledger_post', text: POST_SQL, values });
    rows = result.rows;
  } catch (error) {
    throw await translateLedgerError(db, error, lineAccount);
  }

  const posted: PostedEntry[] = new Array(entries.length);
  const replayedIndexes: number[] = [];
  for (const row of rows) {
    const index = Number(row.ord) - 1;
    if (row.id === null) replayedIndexes.push(index);
    else posted[index] = { id: row.id, idempotencyKey: entries[index]!.idempotencyKey, replayed: false };
  }
  if (replayedIndexes.length > 0) {
    const existing = await db.query<{ id: bigint; idempotency_key: string; content_hash: Buffer }>(
      `select id, idempotency_key, content_hash from ledger_entry where idempotency_key = any($1::text[])`,
      [replayedIndexes.map((index) => entries[index]!.idempotencyKey)],
    );
    const byKey = new Map(existing.rows.map((row) => [row.idempotency_key, row]));
    for (const index of replayedIndexes) {
      const entry = entries[index]!;
      const found = byKey.get(entry.idempotencyKey);
      if (!found) throw new Error(`entry ${entry.idempotencyKey} neither inserted nor found`);
      if (!found.content_hash.equals(hashes[index]!)) {
        throw new DomainError(
          'idempotency_conflict',
          `idempotency key ${entry.idempotencyKey} was already posted with different content`,
          [],
          { entryId: found.id.toString() },
        );
      }
      posted[index] = { id: found.id, idempotencyKey: entry.idempotencyKey, replayed: true };
    }
  }
  const replayedSet = new Set(replayedIndexes);
  countPostings(entries.filter((_, index) => !replayedSet.has(index)), replayedIndexes.length);
  return posted;
}

/**
 * `ledger_post_entries`' twelve arguments for these entries, each checked first (assertEntryWellFormed, keys unique
 * in the batch): what `postMany` sends, for a write that posts inside a statement of its own (src/loans/one-statement.ts).
 */
export function postingArguments(entries: EntryInput[]): { values: unknown[]; hashes: Buffer[]; lineAccount: string[]; lineEntry: number[] } {
  const keys = new Set<string>();
  for (const entry of entries) {
    assertEntryWellFormed(entry);
    if (keys.has(entry.idempotencyKey)) {
      throw new DomainError('validation_failed', `idempotency key ${entry.idempotencyKey} appears twice in one batch`);
    }
    keys.add(entry.idempotencyKey);
  }
  const hashes = entries.map(entryContentHash);
  const lineEntry: number[] = [];
  const lineNumber: number[] = [];
  const lineAccount: string[] = [];
  const lineSide: string[] = [];
  const lineAmount: string[] = [];
  entries.forEach((entry, index) => {
    entry.lines.forEach((line, lineIndex) => {
      lineEntry.push(index + 1);
      lineNumber.push(lineIndex + 1);
      lineAccount.push(line.accountCode);
      lineSide.push(line.side === 'debit' ? 'D' : 'C');
      lineAmount.push(line.amountFen.toString());
    });
  });
  const values = [
    entries.map((e) => e.idempotencyKey),
    entries.map((e) => e.effectiveDate),
    entries.map((e) => e.description),
    entries.map((e) => e.source.kind),
    entries.map((e) => e.source.id),
    entries.map((e) => e.reversesEntryId?.toString() ?? null),
    hashes,
    lineEntry,
    lineNumber,
    lineAccount,
    lineSide,
    lineAmount,
  ];
  return { values, hashes, lineAccount, lineEntry };
}

/** The postings metric (src/metrics.ts): entries written (and replayed), and their lines. */
export function countPostings(written: EntryInput[], replayed = 0): void {
  ledgerEntriesPosted.inc({ outcome: 'new' }, written.length);
  if (replayed > 0) ledgerEntriesPosted.inc({ outcome: 'replayed' }, replayed);
  ledgerLinesPosted.inc(written.reduce((lines, entry) => lines + entry.lines.length, 0));
}

export async function post(db: Queryable, entry: EntryInput): Promise<PostedEntry> {
  const [posted] = await postMany(db, [entry]);
  return posted!;
}

/** See `ledger_post_entries` in the ledger migration: one statement, a plan cached per connection. */
const POST_SQL = `select posted_ord as ord, posted_id as id
  from ledger_post_entries($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bytea[],
                           $8::int[], $9::smallint[], $10::text[], $11::text[], $12::bigint[])`;

/** `ledger_post_entry` for one entry: the same answer, one row (`ord` 1, `id` null when the key was posted before). */
const POST_ONE_SQL = `select 1 as ord, ledger_post_entry($1::text, $2::date, $3::text, $4::text, $5::text, $6::bigint, $7::bytea,
                                                $8::text[], $9::text[], $10::bigint[]) as id`;

/** `postingArguments`' values (arrays of one entry) as `ledger_post_entry`'s: the entry's fields, then its lines'. */
function oneEntryValues(values: unknown[]): unknown[] {
  const [keys, dates, descriptions, kinds, sourceIds, reverses, hashes, , , lineCodes, lineSides, lineAmounts] = values as unknown[][];
  return [keys![0], dates![0], descriptions![0], kinds![0], sourceIds![0], reverses![0], hashes![0], lineCodes, lineSides, lineAmounts];
}

/**
 * Maps the database's refusals (SQLSTATE class LG, see the ledger migration) to domain errors. Runs no query on a
 * client (a transaction the failure has already failed); on the pool it may ask which accounts are unknown.
 */
export async function translateLedgerError(db: Queryable, error: unknown, accountCodes: string[] = []): Promise<unknown> {
  const pgError = error as Partial<DatabaseError>;
  switch (pgError.code) {
    case 'LG001': {
      // TypeScript checked every entry's balance before sending (assertEntryWellFormed): an entry the database finds
      // unbalanced lost a line, and the posting statement drops only lines whose account it cannot find.
      const unknown = db instanceof pg.Pool ? await unknownAccounts(db, accountCodes) : [];
      return new DomainError(
        'account_not_found',
        unknown.length > 0 ? `no ledger account ${unknown.join(', ')}` : `a line names a ledger account that does not exist (${pgError.message ?? ''})`,
        [],
        unknown.length > 0 ? { accounts: unknown } : {},
      );
    }
    case 'LG002':
      return new DomainError('ledger_immutable', pgError.message ?? 'the ledger is append-only');
    case 'LG003':
      return new DomainError('account_limit_exceeded', `ledger account ${pgError.detail} would cross its limit`, [], {
        account: pgError.detail,
      });
    case 'LG004':
      return new DomainError('account_not_found', pgError.message ?? 'a line names an unknown account');
    case 'LG005':
      return new DomainError('reversal_mismatch', pgError.message ?? 'a reversal must mirror the entry it reverses');
    case '23514':
      if (pgError.constraint === 'ledger_account_within_limits') {
        // "Failing row contains (id, code, …)": the second column is the account code.
        const code = /Failing row contains \(\d+, ([^,]+),/.exec(pgError.detail ?? '')?.[1];
        return new DomainError('account_limit_exceeded', `ledger account ${code ?? ''} would cross its limit`, [], {
          account: code,
        });
      }
      return error;
    case '23505':
      if (pgError.constraint === 'ledger_entry_reversed_once') {
        return new DomainError('entry_already_reversed', 'that entry has already been reversed');
      }
      return error;
    default:
      return error;
  }
}

/** The first of the pair for accounts: refused here, naming them, before the posting statement would fail. */
async function assertAccountsExist(db: Queryable, codes: string[]): Promise<void> {
  const unknown = await unknownAccounts(db, codes);
  if (unknown.length > 0) throw new DomainError('account_not_found', `no ledger account ${unknown.join(', ')}`, [], { accounts: unknown });
}

async function unknownAccounts(db: Queryable, codes: string[]): Promise<string[]> {
  const distinct = [...new Set(codes)];
  const result = await db.query<{ code: string }>(
    `select c.code from unnest($1::text[]) as c(code) where not exists (select 1 from ledger_account a where a.code = c.code) order by c.code`,
    [distinct],
  );
  return result.rows.map((row) => row.code);
}
