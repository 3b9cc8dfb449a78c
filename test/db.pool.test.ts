/**
 * The pool's one-statement queries (src/db/pool.ts): a statement the server refuses leaves its connection in the pool
 * for the next request — a refused posting, a duplicate or an overdrawn repayment costs no new connection — while a
 * fault of the connection itself discards it.
 */
import pg from 'pg';
import { connectionSurvives, createPool } from '../src/db/pool';
import { TEST_ROLES } from './support/roles';
import { createTestDatabase, type TestDatabase } from './support/database';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  // One connection: the next statement runs on the same server process unless the last one was discarded.
  pool = createPool(db.url, 1);
  const owner = await db.rawClient('owner');
  await owner.query('create table pool_probe (k int primary key)');
  await owner.query(`grant select, insert on pool_probe to ${TEST_ROLES.app}`);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const backend = async (): Promise<number> => (await pool.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;

async function refusal(promise: Promise<unknown>): Promise<pg.DatabaseError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof pg.DatabaseError)) throw new Error(`expected a DatabaseError, got ${String(error)}`);
  return error;
}

it('keeps the connection after a division by zero (22012), a unique violation (23505) and a raised exception (P0001)', async () => {
  const first = await backend();
  expect((await refusal(pool.query('select 1 / 0'))).code).toBe('22012');
  expect(await backend()).toBe(first);
  await pool.query('insert into pool_probe (k) values (1)');
  expect((await refusal(pool.query('insert into pool_probe (k) values (1)'))).code).toBe('23505');
  expect((await refusal(pool.query(`do $$ begin raise exception 'refused' using errcode = 'P0001'; end $$`))).code).toBe('P0001');
  expect((await refusal(pool.query({ name: 'pool_named', text: 'select $1::int / 0', values: [7] }))).code).toBe('22012');
  expect(await backend()).toBe(first);
  // Nothing is left open on it: the failed statement was its own transaction.
  expect((await pool.query<{ state: string }>(`select current_setting('transaction_isolation') as state, now() = statement_timestamp() as fresh`)).rows[0]).toEqual({
    state: 'read committed',
    fresh: true,
  });
  expect(pool.totalCount).toBe(1);
});

it('discards the connection when its server process ends (57P01) and opens a new one for the next statement', async () => {
  const first = await backend();
  const error = await refusal(pool.query('select pg_terminate_backend(pg_backend_pid())'));
  expect(error.code).toBe('57P01');
  const second = await backend();
  expect(second).not.toBe(first);
});

it('trusts a connection again only after an error the server sent outside the classes of connection faults', () => {
  const sent = (code: string) => Object.assign(new pg.DatabaseError('x', 1, 'error'), { code });
  expect(connectionSurvives(sent('23505'))).toBe(true);
  expect(connectionSurvives(sent('40001'))).toBe(true);
  expect(connectionSurvives(sent('LG001'))).toBe(true);
  expect(connectionSurvives(sent('08006'))).toBe(false);
  expect(connectionSurvives(sent('57014'))).toBe(false);
  expect(connectionSurvives(sent('53300'))).toBe(false);
  expect(connectionSurvives(sent('XX000'))).toBe(false);
  expect(connectionSurvives(new Error('Connection terminated unexpectedly'))).toBe(false);
});
