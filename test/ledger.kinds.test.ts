/**
 * The per-loan accounts' totals by kind (migrations/…LedgerKindTotals.ts): moved by the ledger's own trigger in the
 * statement that moves the accounts, on single postings, batches over more than 8 accounts, reversals and concurrent
 * writers alike; read through `ledger_kind_balances`; never written by the serving role.
 */
import pg from 'pg';
import { ensureAccounts, post, postMany, reverse } from '../src/ledger';
import { createTestDatabase, type TestDatabase } from './support/database';
import { transferEntry } from './support/ledger';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const memo = (code: string) => ({ code, name: code, type: 'memo' as const, normalSide: 'debit' as const });

const transfer = (key: string, debit: string, credit: string, amountFen: bigint) => transferEntry(key, debit, credit, amountFen);

async function kinds(): Promise<Map<string, { debits: bigint; credits: bigint }>> {
  const result = await db.pool.query<{ kind: string; debits_fen: bigint; credits_fen: bigint }>(
    `select kind, debits_fen, credits_fen from ledger_kind_balances where prefix = 'loan' order by kind`,
  );
  return new Map(result.rows.map((row) => [row.kind, { debits: row.debits_fen, credits: row.credits_fen }]));
}

it('single postings, a batch over more than 8 accounts and a reversal move the totals of their kinds', async () => {
  const batchLoans = Array.from({ length: 10 }, (_, i) => `c${i}`);
  await ensureAccounts(db.pool, [
    { code: 'kinds:facilities', name: 'facilities', type: 'memo', normalSide: 'credit' },
    ...['a', 'b', ...batchLoans].flatMap((loan) => [memo(`loan:${loan}:undrawn`), memo(`loan:${loan}:outstanding`)]),
  ]);
  await post(db.pool, transfer('grant-a', 'loan:a:undrawn', 'kinds:facilities', 100_000n));
  await post(db.pool, transfer('grant-b', 'loan:b:undrawn', 'kinds:facilities', 50_000n));
  // One statement, 11 accounts: the trigger's batch path.
  await postMany(
    db.pool,
    batchLoans.map((loan) => transfer(`grant-${loan}`, `loan:${loan}:undrawn`, 'kinds:facilities', 1_000n)),
  );
  const wrong = await post(db.pool, transfer('draw-a-wrong', 'loan:a:outstanding', 'loan:a:undrawn', 30_000n));
  await reverse(db.pool, wrong.id, { idempotencyKey: 'draw-a-wrong-reversal' });
  await post(db.pool, transfer('draw-a', 'loan:a:outstanding', 'loan:a:undrawn', 20_000n));

  // undrawn: debited 100,000 + 50,000 + 10 × 1,000 + 30,000 (the reversal), credited 30,000 + 20,000.
  // outstanding: debited 30,000 + 20,000, credited 30,000 (the reversal). The facilities account is not a loan's.
  expect(await kinds()).toEqual(
    new Map([
      ['outstanding', { debits: 50_000n, credits: 30_000n }],
      ['undrawn', { debits: 190_000n, credits: 50_000n }],
    ]),
  );
});

it('concurrent writers on several shards add up, and the serving role cannot change a total', async () => {
  await ensureAccounts(db.pool, [memo('loan:d:undrawn'), memo('loan:d:outstanding')]);
  await post(db.pool, transfer('grant-d', 'loan:d:undrawn', 'kinds:facilities', 10_000n));
  const before = (await kinds()).get('outstanding')!;
  // 4 connections × 50 postings of 3 fen each: 600 fen drawn in all, over many transactions (many shards).
  await Promise.all(
    Array.from({ length: 4 }, async (_, writer) => {
      for (let i = 0; i < 50; i += 1) await post(db.pool, transfer(`draw-d-${writer}-${i}`, 'loan:d:outstanding', 'loan:d:undrawn', 3n));
    }),
  );
  expect((await kinds()).get('outstanding')).toEqual({ debits: before.debits + 600n, credits: before.credits });
  const shards = await db.pool.query<{ shards: string }>(
    `select count(*)::text as shards from ledger_kind_total where prefix = 'loan' and kind = 'outstanding'`,
  );
  expect(Number(shards.rows[0]!.shards)).toBeGreaterThan(1);

  const serving = await db.rawClient('app');
  for (const sql of [
    `update ledger_kind_total set debits_fen = 0`,
    `insert into ledger_kind_total (prefix, kind, shard, debits_fen, credits_fen) values ('loan', 'outstanding', 0, 1, 0)`,
    `delete from ledger_kind_total`,
  ]) {
    await expect(serving.query(sql)).rejects.toMatchObject({ code: '42501' } satisfies Partial<pg.DatabaseError>);
  }
});
