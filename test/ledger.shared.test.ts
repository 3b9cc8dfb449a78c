/**
 * Shared accounts (migrations/…LedgerSharedAccounts.ts), such as a bank's, which every loan of the bank posts to: their
 * running totals move in parts, one per ledger chain, and a posting never waits on another for the account's row.
 * Their balances are their lines' sums all the same, now and as of any date; a shared account takes no limits and
 * stays shared; the serving role cannot change a part.
 */
import pg from 'pg';
import { balance, ensureAccounts, post, postMany, reverse, trialBalance } from '../src/ledger';
import { createTestDatabase, type TestDatabase } from './support/database';
import { transferEntry } from './support/ledger';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureAccounts(db.pool, [
    { code: 'pool:b1:facilities', name: 'facilities of b1', type: 'memo', normalSide: 'credit', shared: true },
    { code: 'shared-test:cash', name: 'cash', type: 'asset' },
    { code: 'shared-test:income', name: 'income', type: 'income' },
    ...Array.from({ length: 12 }, (_, i) => ({ code: `loan:s${i}:undrawn`, name: `loan s${i} undrawn`, type: 'memo' as const, normalSide: 'debit' as const })),
  ]);
});
afterAll(() => db.drop());

const grant = (key: string, loan: string, amountFen: bigint, date?: string) =>
  transferEntry(key, `loan:${loan}:undrawn`, 'pool:b1:facilities', amountFen, date);

async function parts(code: string): Promise<{ rows: number; rowDebits: bigint; rowCredits: bigint }> {
  const result = await db.pool.query<{ rows: string; row_debits: bigint; row_credits: bigint }>(
    `select (select count(*) from ledger_account_part p where p.account_id = a.id)::text as rows,
            a.debits_fen as row_debits, a.credits_fen as row_credits
       from ledger_account a where a.code = $1`,
    [code],
  );
  const row = result.rows[0]!;
  return { rows: Number(row.rows), rowDebits: row.row_debits, rowCredits: row.row_credits };
}

it('a posting to a shared account does not wait for another that has not committed; a posting to an unshared account does', async () => {
  const first = await db.rawClient('app');
  const second = await db.rawClient('app');
  try {
    await first.query('begin');
    await post(first, grant('wait-a', 's0', 100_000n));
    await second.query(`set lock_timeout = '1s'`);
    // An unshared account's row stays locked by the first posting: this would wait, then fail 55P03 (the control below).
    await expect(post(second, grant('wait-b', 's1', 40_000n))).resolves.toMatchObject({ id: expect.any(BigInt) });
    // The control: an ordinary account's row stays locked to the first transaction's end.
    await post(first, transferEntry('wait-c', 'shared-test:cash', 'shared-test:income', 5_000n));
    await expect(post(second, transferEntry('wait-d', 'shared-test:cash', 'shared-test:income', 7_000n))).rejects.toMatchObject({
      code: '55P03',
    } satisfies Partial<pg.DatabaseError>);
    await first.query('commit');
  } finally {
    await first.end();
    await second.end();
  }
  // Credited 100,000 + 40,000 fen; the account's own row was never moved.
  const facilities = await balance(db.pool, 'pool:b1:facilities');
  expect([facilities.debitsFen, facilities.creditsFen, facilities.balanceFen]).toEqual([0n, 140_000n, 140_000n]);
  expect(await parts('pool:b1:facilities')).toEqual({ rows: 2, rowDebits: 0n, rowCredits: 0n });
  // The unshared account moved by the committed posting only (the second one failed and wrote nothing).
  expect((await balance(db.pool, 'shared-test:cash')).balanceFen).toBe(5_000n);
});

it('single postings, a batch over more than 8 accounts, a reversal and concurrent writers: the totals are the lines', async () => {
  const before = (await balance(db.pool, 'pool:b1:facilities')).creditsFen;
  await post(db.pool, grant('sum-1', 's2', 1_000n, '2024-01-10'));
  // One statement, 11 accounts: the trigger's batch path.
  await postMany(
    db.pool,
    Array.from({ length: 10 }, (_, i) => grant(`sum-batch-${i}`, `s${i + 2}`, 10n * BigInt(i + 1), '2024-02-10')),
  );
  const wrong = await post(db.pool, grant('sum-wrong', 's3', 999n, '2024-03-10'));
  await reverse(db.pool, wrong.id, { idempotencyKey: 'sum-wrong-reversal' });
  // 4 connections × 25 postings of 3 fen: many transactions, on several chains.
  await Promise.all(
    Array.from({ length: 4 }, async (_, writer) => {
      for (let i = 0; i < 25; i += 1) await post(db.pool, grant(`sum-c-${writer}-${i}`, 's4', 3n, '2024-04-10'));
    }),
  );
  // Credits: 1,000 + (10 + 20 + … + 100 = 550) + 999 + 300; debits: 999 (the reversal).
  const now = await balance(db.pool, 'pool:b1:facilities');
  expect([now.debitsFen, now.creditsFen]).toEqual([999n, before + 1_000n + 550n + 999n + 300n]);
  expect(now.balanceFen).toBe(before + 1_850n);
  // As of a date: the lines to that date, as for any account.
  const asOfFebruary = await balance(db.pool, 'pool:b1:facilities', '2024-02-29');
  expect(asOfFebruary.creditsFen - (await balance(db.pool, 'pool:b1:facilities', '2024-01-31')).creditsFen).toBe(550n);
  expect((await parts('pool:b1:facilities')).rows).toBeGreaterThan(2);

  // Every account's totals now equal the sum of its lines (the trial balance as of a date after every line).
  const current = await trialBalance(db.pool);
  const fromLines = await trialBalance(db.pool, { asOf: '2099-12-31' });
  expect(current.accounts).toEqual(fromLines.accounts.map((account) => ({ ...account, asOf: null })));
  expect(current.totalDebitsFen).toBe(current.totalCreditsFen);
  const totals = await db.pool.query<{ debits_fen: bigint; credits_fen: bigint }>(
    `select debits_fen, credits_fen from ledger_account_totals where code = 'pool:b1:facilities'`,
  );
  expect(totals.rows).toEqual([{ debits_fen: now.debitsFen, credits_fen: now.creditsFen }]);
});

it('a shared account takes no floor or ceiling, keeps its sharing under its code, and stays shared', async () => {
  await expect(
    ensureAccounts(db.pool, [{ code: 'pool:b2:facilities', name: 'limited', type: 'memo', normalSide: 'credit', floorFen: 0n, shared: true }]),
  ).rejects.toMatchObject({ code: '23514', constraint: 'ledger_account_shared_unlimited' });
  const made = await db.pool.query(`select 1 from ledger_account where code = 'pool:b2:facilities'`);
  expect(made.rowCount).toBe(0);
  // The same code defined unshared is another account: refused, as a change of type or limits is.
  await expect(
    ensureAccounts(db.pool, [{ code: 'pool:b1:facilities', name: 'facilities of b1', type: 'memo', normalSide: 'credit' }]),
  ).rejects.toMatchObject({ code: 'account_definition_conflict' });
  // Unshared, its parts would drop out of its totals: refused even to the owner of the tables.
  const owner = await db.rawClient('owner');
  try {
    await expect(owner.query(`update ledger_account set shared = false where code = 'pool:b1:facilities'`)).rejects.toMatchObject({ code: 'LG002' });
    await expect(owner.query(`update ledger_account set shared = true, floor_fen = 0 where code = 'shared-test:cash'`)).rejects.toMatchObject({
      code: '23514',
      constraint: 'ledger_account_shared_unlimited',
    });
  } finally {
    await owner.end();
  }
});

it('the serving role cannot change, add or delete a part', async () => {
  const serving = await db.rawClient('app');
  try {
    for (const sql of [
      `update ledger_account_part set credits_fen = 0`,
      `insert into ledger_account_part (account_id, shard, debits_fen, credits_fen) select id, 15, 1, 0 from ledger_account where code = 'pool:b1:facilities'`,
      `delete from ledger_account_part`,
    ]) {
      await expect(serving.query(sql)).rejects.toMatchObject({ code: '42501' } satisfies Partial<pg.DatabaseError>);
    }
  } finally {
    await serving.end();
  }
});
