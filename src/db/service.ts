/**
 * The service's database at start-up (README "Security", "Database roles"): the two roles, the migrations run as the
 * owner, the serving role's privileges granted, and a pool that connects as the serving role only.
 */
import type pg from 'pg';
import { migrateDatabase } from './migrate';
import { createPool } from './pool';
import { checkServingRole, grantServingRole, prepareExternalDatabase, prepareOwnedDatabase, type DatabaseRoles } from './roles';
import type { DatabaseServer } from './server';

/** The embedded server's database for the service and its two roles. */
export const EMBEDDED_DATABASE = 'ip_pledge';
export const EMBEDDED_ROLES = { owner: 'ip_pledge_owner', app: 'ip_pledge_app' } as const;

export interface ServiceDatabase {
  pool: pg.Pool;
  roles: DatabaseRoles;
  /** Migrations applied by this start. */
  applied: string[];
}

export async function openServiceDatabase(
  server: DatabaseServer,
  options: { databaseAppUrl?: string | undefined; log: (message: string, detail?: Record<string, unknown>) => void },
): Promise<ServiceDatabase> {
  const roles = server.embedded
    ? await prepareOwnedDatabase(server.url, EMBEDDED_DATABASE, EMBEDDED_ROLES, { log: options.log })
    : await prepareExternalDatabase(server.url, options.databaseAppUrl);
  const applied = await migrateDatabase(roles.ownerUrl);
  const { warnings } = await grantServingRole(roles.ownerUrl, roles.appRole);
  for (const warning of warnings) options.log(`database: ${warning}`);
  const pool = createPool(roles.appUrl);
  try {
    const serving = await checkServingRole(pool);
    options.log(
      `database: migrated as ${roles.ownerRole}, serving as ${serving.role} — SELECT and INSERT only on the audit log and the ledger (${roles.origin})`,
      { owner: roles.ownerRole, serving: serving.role, temporaryTables: serving.temporaryTables },
    );
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return { pool, roles, applied };
}
