import pg from 'pg';

/** Anything that runs a query: the pool (one statement, autocommit) or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

/** Limits, each with its reason. */
export const POOL_MAX_CONNECTIONS = 20; // two cores: more connections only add contention
export const STATEMENT_TIMEOUT_MS = 60_000; // a yearly run over 100,000 loans reads for seconds, never a minute
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000; // a transaction left open by a bug must not hold locks forever
// A connection opened for a burst stays for the next one: a new connection costs its server process's start and the
// first plan of every statement and trigger function it runs (tens of ms, paid by the requests of the burst), and
// with the default (10 s) the connections beyond the steadily used few closed between bursts.
export const POOL_IDLE_TIMEOUT_MS = 300_000;

// bigint columns (int8) come back as bigint, dates as 'YYYY-MM-DD' strings: never a float, never a time zone shift.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => BigInt(value));
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => value);

export function createPool(databaseUrl: string, max = POOL_MAX_CONNECTIONS): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
    // Idle connections do not keep a process alive: a script or test that is done exits without waiting for them.
    allowExitOnIdle: true,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    application_name: 'ip-pledge-ledger',
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

/** Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
export async function transaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  isolation: Isolation = 'read committed',
): Promise<T> {
  const client = await pool.connect();
  // A failed rollback leaves the connection unusable: it is destroyed, not returned to the pool; the first error stands.
  let broken: Error | undefined;
  try {
    await client.query(`begin isolation level ${isolation}`);
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Runs the reads of `work` on one snapshot: on a pool, in a repeatable-read transaction of one connection, so a write
 * committed between two of its statements is seen by all of them or by none; on a client, in the caller's transaction.
 */
export function inSnapshot<T>(db: Queryable, work: (db: Queryable) => Promise<T>): Promise<T> {
  return db instanceof pg.Pool ? transaction(db, work, 'repeatable read') : work(db);
}
