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

export function createPool(databaseUrl: string, max = POOL_MAX_CONNECTIONS, settings: Pick<pg.PoolConfig, 'options'> = {}): pg.Pool {
  const pool = new pg.Pool({
    ...settings,
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
  keepConnectionsOnRefusal(pool);
  return pool;
}

/**
 * SQLSTATE classes after which a connection is not trusted again: connection exceptions (08), operator intervention
 * (57: shutdown, cancel), insufficient resources (53), system errors (58), configuration file errors (F0) and
 * internal errors (XX). Any other error the server sends — a constraint (23), bad data (22), a trigger's refusal (P0,
 * the ledger's LG), a serialization failure (40) — ended one statement, and the connection is as good as before.
 */
const UNTRUSTED_CLASSES = new Set(['08', '57', '53', '58', 'F0', 'XX']);

/** Whether the connection that ran a statement which failed with `error` can serve the next one. */
export function connectionSurvives(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return false;
  const code = error.code;
  return typeof code === 'string' && code.length === 5 && !UNTRUSTED_CLASSES.has(code.slice(0, 2));
}

/**
 * `pool.query` as pg-pool has it hands a connection back as broken after any failed statement, so the next request
 * pays a new connection (its server process and the first plan of every statement and trigger it runs) for each
 * refused posting, duplicate or overdrawn repayment. Here a statement the server refused returns its connection to
 * the pool; only a fault of the connection itself (above, or an error that is not the server's) discards it.
 * Promise form only: nothing here passes a callback.
 */
function keepConnectionsOnRefusal(pool: pg.Pool): void {
  const query = async (text: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // A connection lost while the statement runs is reported as an 'error' event too: it is this call's to handle.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return await client.query(text as pg.QueryConfig, values);
    } catch (error) {
      if (!connectionSurvives(error)) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  };
  (pool as unknown as { query: typeof query }).query = query;
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
