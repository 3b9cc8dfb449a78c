/**
 * One server for the whole test run (DATABASE_URL when set, else the embedded PostgreSQL), and one migrated template
 * database from which every test file copies its own fresh database (test/support/database.ts), so test files run
 * in parallel without seeing each other's rows.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { migrateDatabase } from '../src/db/migrate';
import { grantServingRole, prepareOwnedDatabase } from '../src/db/roles';
import { openDatabaseServer } from '../src/db/server';
import { TEST_ROLES } from './support/roles';

/**
 * Test runs on one machine share one embedded server (two terminals, several engineers): each run registers its pid
 * before using the server, and the last run to finish stops it (test/global-teardown.ts).
 */
export const TEST_SERVER_USERS = path.join(__dirname, '..', '.data', 'test-pg-users');

/** How long a template of other migrations (another checkout's) is kept after a run last used it. */
const TEMPLATE_KEPT_HOURS = 6;

export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    fs.mkdirSync(TEST_SERVER_USERS, { recursive: true });
    fs.writeFileSync(path.join(TEST_SERVER_USERS, String(process.pid)), '');
  }
  const server = await openDatabaseServer({ databaseUrl: process.env.DATABASE_URL, dataDirName: 'test-pg' });
  (globalThis as { __testDatabaseServer?: typeof server }).__testDatabaseServer = server;

  // The template is named after what the migrations write: their files and the data they import (the shipped
  // policies, the shipped rate history), so a change of either builds a new one.
  const root = path.join(__dirname, '..');
  const hash = createHash('sha256');
  for (const dir of ['migrations', path.join('src', 'subsidy', 'policies')]) {
    for (const file of fs.readdirSync(path.join(root, dir)).sort()) hash.update(fs.readFileSync(path.join(root, dir, file)));
  }
  hash.update(fs.readFileSync(path.join(root, 'data', 'reference-rates.csv')));
  // The serving role's privileges are part of the template too.
  hash.update(fs.readFileSync(path.join(root, 'src', 'db', 'roles.ts')));
  const template = `ipl_template_${hash.digest('hex').slice(0, 12)}`;

  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    // Databases of earlier runs that crashed before dropping theirs; a test database is named after the pid of the
    // jest run that made it, so a run still going on (another terminal, another checkout) keeps its own.
    // A template is stamped with the time a run last used it: another checkout's run (other migrations) copies its
    // own between test files, so a template is dropped only when no run has used it for TEMPLATE_KEPT_HOURS.
    const stale = await admin.query<{ datname: string; datistemplate: boolean; used: string | null }>(
      `select datname, datistemplate, shobj_description(oid, 'pg_database') as used
         from pg_database where datname like 'ipl\\_test\\_%' or datname like 'ipl\\_template\\_%'`,
    );
    for (const { datname, datistemplate, used } of stale.rows) {
      if (datname === template) continue;
      const usedAt = Date.parse(/^used (.+)$/.exec(used ?? '')?.[1] ?? '');
      if (datname.startsWith('ipl_template_') && Date.now() - usedAt < TEMPLATE_KEPT_HOURS * 3_600_000) continue;
      const runPid = Number(/^ipl_test_(\d+)_/.exec(datname)?.[1]);
      if (runPid && processAlive(runPid)) continue;
      // A template of other migrations is dropped only when nobody is copying it (no force). A database left
      // invalid by an interrupted drop refuses ALTER with a FATAL that ends the session: one session per drop.
      const force = datname.startsWith('ipl_test_') ? ' with (force)' : '';
      const cleanup = new pg.Client({ connectionString: server.url });
      cleanup.on('error', () => undefined);
      try {
        await cleanup.connect();
        if (datistemplate) await cleanup.query(`alter database "${datname}" is_template false`);
        await cleanup.query(`drop database if exists "${datname}"${force}`);
      } catch {
        // in use by another run, or already gone: leave it
      } finally {
        await cleanup.end().catch(() => undefined);
      }
    }
    const exists = await admin.query(`select 1 from pg_database where datname = $1`, [template]);
    if (exists.rowCount === 0) {
      // Migrated as the owner role, its privileges granted to the serving role the tests run the service as
      // (src/db/roles.ts); every copy keeps both.
      const building = `ipl_build_${process.pid}`;
      await admin.query(`drop database if exists "${building}"`);
      const roles = await prepareOwnedDatabase(server.url, building, TEST_ROLES);
      await migrateDatabase(roles.ownerUrl);
      await grantServingRole(roles.ownerUrl, roles.appRole);
      await admin.query(`alter database "${building}" rename to "${template}"`);
      await admin.query(`alter database "${template}" is_template true`);
    }
    await admin.query(`comment on database "${template}" is 'used ${new Date().toISOString()}'`);
  } finally {
    await admin.end();
  }
  process.env.TEST_DATABASE_SERVER_URL = server.url;
  process.env.TEST_RUN_ID = String(process.pid);
  process.env.TEST_TEMPLATE_DATABASE = template;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
