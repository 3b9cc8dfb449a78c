import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool } from '../../src/db/pool';
import { withDatabase } from '../../src/db/server';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  /** A client of its own, outside the pool: a "raw SQL session". */
  rawClient(): Promise<pg.Client>;
  drop(): Promise<void>;
}

/** A fresh, migrated database of this test file's own, copied from the template made by test/global-setup.ts. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_SERVER_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!serverUrl || !template) throw new Error('test/global-setup.ts did not run');
  const name = `ipl_test_${process.env.TEST_RUN_ID ?? process.ppid}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}" template "${template}"`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const pool = createPool(url);
  const clients: pg.Client[] = [];
  return {
    url,
    pool,
    async rawClient() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.push(client);
      return client;
    },
    async drop() {
      await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
      await pool.end();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}
