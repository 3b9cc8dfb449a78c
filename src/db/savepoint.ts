import pg from 'pg';
import type { Queryable } from './pool';

let savepointCounter = 0;

/**
 * Runs `work` so that its failure does not fail the surrounding transaction: inside a savepoint on a client (rolled
 * back to it on failure, so the caller may still query, e.g. to explain the failure), or as is on the pool, where
 * every statement is its own transaction. The failure itself is always rethrown.
 */
export async function withSavepoint<T>(db: Queryable, work: () => Promise<T>): Promise<T> {
  if (db instanceof pg.Pool) return work();
  savepointCounter = (savepointCounter + 1) % 1_000_000;
  const name = `attempt_${savepointCounter}`;
  await db.query(`savepoint ${name}`);
  try {
    const result = await work();
    await db.query(`release savepoint ${name}`);
    return result;
  } catch (error) {
    await db.query(`rollback to savepoint ${name}`);
    throw error;
  }
}
