/**
 * Failures inside a transaction, as every HTTP write runs: PostgreSQL fails the whole transaction at the first error,
 * so an explanation looked up after it would fail too. The ledger checks the accounts before writing there; the fund
 * posts in a savepoint; no failure is hidden behind another answer.
 */
import { inSnapshot, transaction } from '../src/db/pool';
import { withSavepoint } from '../src/db/savepoint';
import { DomainError } from '../src/errors';
import { balance, ensureAccounts, post, postMany, type EntryInput } from '../src/ledger';
import { createTestDatabase, type TestDatabase } from './support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await ensureAccounts(db.pool, [
    { code: 'tx:cash', name: 'Cash', type: 'asset', floorFen: 0n },
    { code: 'tx:capital', name: 'Capital', type: 'equity' },
  ]);
});
afterAll(() => db.drop());

const entry = (key: string, debit: string, credit: string, amountFen: bigint): EntryInput => ({
  idempotencyKey: key,
  effectiveDate: '2024-05-01',
  description: `entry ${key}`,
  source: { kind: 'test', id: key },
  lines: [
    { accountCode: debit, side: 'debit', amountFen },
    { accountCode: credit, side: 'credit', amountFen },
  ],
});

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('a posting naming an account that does not exist', () => {
  it('inside a transaction is account_not_found naming the account, and the transaction is still usable', async () => {
    const error = await failure(
      transaction(db.pool, async (client) => {
        await post(client, entry('in-tx-1', 'tx:cash', 'tx:capital', 100n));
        try {
          await post(client, entry('in-tx-2', 'tx:nowhere', 'tx:capital', 100n));
        } finally {
          // Checked before writing: nothing failed in the database, so the transaction answers.
          expect((await client.query('select 1 as alive')).rows).toEqual([{ alive: 1 }]);
        }
      }),
    );
    expect(error.code).toBe('account_not_found');
    expect(error.extra).toEqual({ accounts: ['tx:nowhere'] });
    // The transaction rolled back as a whole: the first entry is not there either.
    expect((await balance(db.pool, 'tx:cash')).balanceFen).toBe(0n);
  });

  it('in a batch inside a transaction names every unknown account once', async () => {
    const error = await failure(
      transaction(db.pool, (client) =>
        postMany(client, [entry('batch-1', 'tx:cash', 'tx:gone-a', 5n), entry('batch-2', 'tx:gone-b', 'tx:gone-a', 5n)]),
      ),
    );
    expect(error.code).toBe('account_not_found');
    expect(error.extra).toEqual({ accounts: ['tx:gone-a', 'tx:gone-b'] });
  });

  it('on the pool (its own transaction) is account_not_found naming the account too', async () => {
    const error = await failure(post(db.pool, entry('pool-1', 'tx:cash', 'tx:missing', 100n)));
    expect(error.code).toBe('account_not_found');
    expect(error.extra).toEqual({ accounts: ['tx:missing'] });
  });
});

describe('a refusal in a savepoint', () => {
  it('leaves the transaction able to explain it: the floor refuses 1.00 out of 0.00 of cash, the balance is still read', async () => {
    await transaction(db.pool, async (client) => {
      const error = await failure(withSavepoint(client, () => post(client, entry('floor-1', 'tx:capital', 'tx:cash', 100n))));
      expect(error.code).toBe('account_limit_exceeded');
      expect((await balance(client, 'tx:cash')).balanceFen).toBe(0n);
      // And the transaction goes on to commit other work.
      await post(client, entry('floor-2', 'tx:cash', 'tx:capital', 250n));
    });
    expect((await balance(db.pool, 'tx:cash')).balanceFen).toBe(250n);
  });
});

describe('reads on one snapshot (the split reconciliation reads the run tables and the ledger so)', () => {
  it('a posting committed between two reads is seen by neither of them', async () => {
    await post(db.pool, entry('snap-1', 'tx:cash', 'tx:capital', 300n));
    const seen = await inSnapshot(db.pool, async (snapshot) => {
      const before = (await balance(snapshot, 'tx:cash')).balanceFen;
      // Another connection commits 2.00 more while the snapshot is open.
      await post(db.pool, entry('snap-2', 'tx:cash', 'tx:capital', 200n));
      const after = (await balance(snapshot, 'tx:cash')).balanceFen;
      return { before, after };
    });
    // tx:cash held 2.50 from the savepoint test; 2.50 + 3.00 = 5.50 before and after; 5.50 + 2.00 = 7.50 outside.
    expect(seen).toEqual({ before: 550n, after: 550n });
    expect((await balance(db.pool, 'tx:cash')).balanceFen).toBe(750n);
  });
});
