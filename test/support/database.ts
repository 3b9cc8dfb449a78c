import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool } from '../../src/db/pool';
import { ownedDatabaseRoles } from '../../src/db/roles';
import { TEST_ROLES } from './roles';

export type DatabaseRole = 'app' | 'owner';

export interface TestDatabase {
  /** Connects as the serving role, as the service does (src/db/roles.ts). */
  url: string;
  /** Connects as the owner of the tables, as the migrations do. */
  ownerUrl: string;
  /** The serving role's pool: the service under test runs on it. */
  pool: pg.Pool;
  /**
   * A client of its own, outside the pool: a "raw SQL session". As the owner by default (the triggers still refuse
   * what they refuse to anyone); as 'app' it is what someone holding the service's database credentials could do.
   */
  rawClient(role?: DatabaseRole): Promise<pg.Client>;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of this test file's own, copied from the template made by test/global-setup.ts, owned
 * by the test owner role and served by the test serving role.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_SERVER_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!serverUrl || !template) throw new Error('test/global-setup.ts did not run');
  const name = `ipl_test_${process.env.TEST_RUN_ID ?? process.ppid}_${randomBytes(6).toString('hex')}`;
  // The roles were made by test/global-setup.ts. A database's own privileges are not copied from its template: no
  // temporary tables for the serving role here either (src/db/roles.ts, grantServingRole).
  const roles = ownedDatabaseRoles(serverUrl, name, TEST_ROLES);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}" template "${template}" owner "${TEST_ROLES.owner}"`);
  await admin.query(`revoke temporary on database "${name}" from public`);
  await admin.end();
  const pool = createPool(roles.appUrl);
  const clients: pg.Client[] = [];
  return {
    url: roles.appUrl,
    ownerUrl: roles.ownerUrl,
    pool,
    async rawClient(role = 'owner') {
      const client = new pg.Client({ connectionString: role === 'owner' ? roles.ownerUrl : roles.appUrl });
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
