/**
 * Two database roles (README "Security", "Database roles"):
 *
 * - the **owner** runs the migrations and owns every table, function and trigger;
 * - the **serving role** is what the service runs as: SELECT and INSERT only on the histories (the audit log, the
 *   ledger and every other append-only table), SELECT only on the chain heads, UPDATE where the workflow moves a row
 *   on (a run's status, a claim's, a token's revocation…), DELETE on one table, no TRUNCATE, no TRIGGER, no temporary
 *   tables, no ownership: so it can neither change history nor disable the triggers that guard it, nor set
 *   `session_replication_role` (superusers only).
 *
 * Where the roles come from:
 * - the embedded server: both are created by the superuser, with passwords derived from its own (no new secret);
 * - `DATABASE_URL` and `DATABASE_APP_URL`: the operator's two roles, as given;
 * - `DATABASE_URL` alone: the serving role `<database>_app` is created (or its password set) by that role when it may
 *   create roles, with a password derived from `DATABASE_URL` (the same on every start and every instance); when it
 *   may not, the service refuses to start and says to set `DATABASE_APP_URL`.
 *
 * The privileges are granted after every migration, from the lists below, to whatever tables exist: a table not listed
 * gets SELECT, INSERT and UPDATE.
 */
import { createHmac } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from './server';

export interface RoleNames {
  owner: string;
  app: string;
}

export interface DatabaseRoles {
  /** Migrates and owns. */
  ownerUrl: string;
  ownerRole: string;
  /** Serves. */
  appUrl: string;
  appRole: string;
  /** How the roles were found or made, for the start-up log. */
  origin: string;
}

/** The histories: read and appended to, never changed (each also refuses UPDATE and DELETE by trigger). */
export const APPEND_ONLY_TABLES: readonly string[] = [
  'audit_log',
  'ledger_account', // its running totals move only inside the ledger's (security-definer) trigger
  'ledger_entry',
  'ledger_line',
  'loan',
  'pledge',
  'ip_asset',
  'loan_event',
  'reference_rate',
  'subsidy_policy',
  'subsidy_approval_share',
  'subsidy_payment',
  'subsidy_payment_share',
  'fund_version',
  'fund_contribution',
  'fund_recovery',
  'fund_write_off',
  'enterprise_division_change',
  'enterprise_name_change',
  'area_target',
  'area_population',
  'subsidy_run_progress',
];
/**
 * Append-only tables of which the workflow updates or locks rows (`FOR UPDATE` needs UPDATE on some column): UPDATE
 * of these columns only, guarded by the table's trigger like any other update.
 */
export const UPDATABLE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  loan: ['id'], // src/loans/events.ts locks the loans named by a batch of events (the trigger refuses any update)
  pledge: ['secured_fen'], // a pledge's secured amount, stated once later (src/loans/loans.ts; pledge_guard)
};
/** Written only by the database's own triggers or migrations. */
export const READ_ONLY_TABLES: readonly string[] = [
  'integrity_chain',
  'ledger_chain',
  'funding_body',
  // The ledger summary's checkpoint, moved only by its security-definer functions (src/ledger/summary.ts).
  'ledger_summary_checkpoint',
  'ledger_summary_accounts',
  'ledger_summary_day',
  // The per-loan accounts' totals by kind, moved only by the ledger's line trigger (migrations/…LedgerKindTotals.ts).
  'ledger_kind_total',
  // A shared account's totals by chain, moved only by the ledger's line trigger (migrations/…LedgerSharedAccounts.ts).
  'ledger_account_part',
  // What each loan's events say now, moved only by the loans' event trigger (migrations/…LoanEventState.ts).
  'loan_event_state',
];
/**
 * A draft run's lines are replaced when it is recomputed, and a draft is discarded with its lines
 * (src/subsidy/runs/workflow.ts); the database deletes only a draft (`subsidy_run_guard`, `subsidy_run_lines_frozen`).
 */
export const DELETABLE_TABLES: readonly string[] = ['subsidy_run_line', 'subsidy_run'];
/** Security-definer functions (not executable by PUBLIC) that the serving role calls. */
export const SERVING_FUNCTIONS: readonly string[] = ['integrity_heads_at(timestamptz)'];
/** The migrator's own bookkeeping. */
export const UNSERVED_TABLES: readonly string[] = ['mikro_orm_migrations'];

export class DatabaseRoleError extends Error {
  override name = 'DatabaseRoleError';
}

/** A password for `role` that anyone holding `secret` (the owner's or the superuser's URL) can derive, nobody else. */
export function derivedPassword(secret: string, role: string): string {
  return createHmac('sha256', secret).update(`ip-pledge-ledger serving role ${role}`).digest('base64url');
}

export function urlAs(url: string, role: string, password: string | null): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(role);
  parsed.password = password === null ? '' : encodeURIComponent(password);
  return parsed.toString();
}

function secretOf(url: string): string {
  const parsed = new URL(url);
  return parsed.password ? decodeURIComponent(parsed.password) : url;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'ip-pledge-ledger setup' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates `role` as a login role with `password`, or sets its password; never a superuser, never able to create
 * roles or databases. `admin` must be a superuser or hold ADMIN on the role.
 */
export async function ensureLoginRole(admin: pg.Client, role: string, password: string): Promise<void> {
  const exists = await admin.query(`select 1 from pg_roles where rolname = $1`, [role]);
  const attributes = 'login nosuperuser nocreatedb nocreaterole noreplication nobypassrls';
  if (exists.rowCount === 0) {
    await admin.query(`create role ${admin.escapeIdentifier(role)} ${attributes} password ${admin.escapeLiteral(password)}`);
  } else {
    await admin.query(`alter role ${admin.escapeIdentifier(role)} ${attributes} password ${admin.escapeLiteral(password)}`);
  }
}

/**
 * The roles of a server the service runs itself (the embedded PostgreSQL, or a test or bench server): both made by
 * the superuser `adminUrl`, and `database` created (from `template` when given) owned by the owner. A database made
 * before there were two roles (its tables owned by the superuser) is handed to the owner.
 */
export async function prepareOwnedDatabase(
  adminUrl: string,
  database: string,
  names: RoleNames,
  options: { template?: string; log?: (message: string) => void } = {},
): Promise<DatabaseRoles> {
  const secret = secretOf(adminUrl);
  const ownerPassword = derivedPassword(secret, names.owner);
  const appPassword = derivedPassword(secret, names.app);
  await withClient(adminUrl, async (admin) => {
    await ensureRoles(admin, names, ownerPassword, appPassword);
    const existing = await admin.query<{ owner: string }>(
      `select pg_get_userbyid(datdba) as owner from pg_database where datname = $1`,
      [database],
    );
    if (existing.rowCount === 0) {
      const template = options.template ? ` template ${admin.escapeIdentifier(options.template)}` : '';
      await admin.query(`create database ${admin.escapeIdentifier(database)}${template} owner ${admin.escapeIdentifier(names.owner)}`);
    } else if (existing.rows[0]!.owner !== names.owner) {
      options.log?.(`database ${database}: handing it and its objects to the owner role ${names.owner}`);
      await admin.query(`alter database ${admin.escapeIdentifier(database)} owner to ${admin.escapeIdentifier(names.owner)}`);
      await withClient(withDatabase(adminUrl, database), (inside) => handOver(inside, names.owner));
    }
  });
  return ownedDatabaseRoles(adminUrl, database, names);
}

/** The URLs of the two roles of `prepareOwnedDatabase` (their passwords derived from the superuser's). */
export function ownedDatabaseRoles(adminUrl: string, database: string, names: RoleNames): DatabaseRoles {
  const secret = secretOf(adminUrl);
  return {
    ownerUrl: urlAs(withDatabase(adminUrl, database), names.owner, derivedPassword(secret, names.owner)),
    ownerRole: names.owner,
    appUrl: urlAs(withDatabase(adminUrl, database), names.app, derivedPassword(secret, names.app)),
    appRole: names.app,
    origin: `created by the server's superuser; passwords derived from its own`,
  };
}

/** Creates or refreshes the two roles; concurrent callers (parallel test runs) may race to create them: retried. */
async function ensureRoles(admin: pg.Client, names: RoleNames, ownerPassword: string, appPassword: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await ensureLoginRole(admin, names.owner, ownerPassword);
      await ensureLoginRole(admin, names.app, appPassword);
      const superuser = await admin.query<{ rolsuper: boolean }>(`select rolsuper from pg_roles where rolname = current_user`);
      // A role that may create roles but is no superuser must be a member of the owner to create its databases.
      if (!superuser.rows[0]?.rolsuper) await admin.query(`grant ${admin.escapeIdentifier(names.owner)} to current_user`);
      return;
    } catch (error) {
      const code = (error as pg.DatabaseError).code;
      // 23505/XX000 "tuple concurrently updated": another run is creating the same role at this moment.
      if (attempt >= 5 || (code !== '23505' && code !== 'XX000' && code !== '42710')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** Everything in the database's schemas still owned by the superuser (a database made before there were roles). */
async function handOver(client: pg.Client, owner: string): Promise<void> {
  await client.query(`
    do $$
    declare
      r record;
    begin
      for r in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
                  and c.relkind in ('r', 'p', 'v', 'm') and c.relowner = (select oid from pg_roles where rolname = current_user)
      loop
        execute format('alter table %s owner to %I', r.name, ${client.escapeLiteral(owner)});
      end loop;
      for r in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
                  and c.relkind = 'S' and c.relowner = (select oid from pg_roles where rolname = current_user)
                  and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i'))
      loop
        execute format('alter sequence %s owner to %I', r.name, ${client.escapeLiteral(owner)});
      end loop;
      for r in select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
                  and p.proowner = (select oid from pg_roles where rolname = current_user)
                  and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
      loop
        execute format('alter routine %s owner to %I', r.name, ${client.escapeLiteral(owner)});
      end loop;
    end $$`);
}

/**
 * The roles for a server given by `DATABASE_URL` (the owner), with `DATABASE_APP_URL` (the serving role) or, without
 * it, the serving role `<database>_app` created or refreshed when the owner may.
 */
export async function prepareExternalDatabase(databaseUrl: string, appUrl: string | undefined): Promise<DatabaseRoles> {
  return withClient(databaseUrl, async (owner) => {
    const me = await owner.query<{ role: string; database: string; may_create_roles: boolean }>(
      `select current_user as role, current_database() as database, rolsuper or rolcreaterole as may_create_roles
         from pg_roles where rolname = current_user`,
    );
    const { role: ownerRole, database, may_create_roles: mayCreateRoles } = me.rows[0]!;
    if (appUrl) {
      const appRole = decodeURIComponent(new URL(appUrl).username);
      if (!appRole) throw new DatabaseRoleError('DATABASE_APP_URL names no user: it must name the serving role');
      if (appRole === ownerRole) {
        throw new DatabaseRoleError(`DATABASE_APP_URL names ${appRole}, the owner of the tables (DATABASE_URL): the serving role must be another role`);
      }
      return { ownerUrl: databaseUrl, ownerRole, appUrl, appRole, origin: 'DATABASE_URL (owner) and DATABASE_APP_URL (serving role)' };
    }
    const appRole = `${database.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 59)}_app`;
    const password = derivedPassword(secretOf(databaseUrl), appRole);
    if (!mayCreateRoles) {
      throw new DatabaseRoleError(
        `DATABASE_URL's role ${ownerRole} may not create roles, and no DATABASE_APP_URL is set: the service will not serve as the ` +
          `owner of its tables. Create a login role for the service (no superuser, not a member of ${ownerRole}) and set ` +
          `DATABASE_APP_URL to it; the service grants it what it needs at start-up.`,
      );
    }
    try {
      await ensureLoginRole(owner, appRole, password);
    } catch (error) {
      throw new DatabaseRoleError(
        `could not create or update the serving role ${appRole} as ${ownerRole} (${(error as Error).message}); ` +
          `set DATABASE_APP_URL to a login role for the service`,
      );
    }
    return {
      ownerUrl: databaseUrl,
      ownerRole,
      appUrl: urlAs(databaseUrl, appRole, password),
      appRole,
      origin: `DATABASE_URL (owner); serving role ${appRole} made by ${ownerRole}, password derived from DATABASE_URL`,
    };
  });
}

/**
 * Grants the serving role what it needs on every table of the owner's schema (see the lists above), and nothing
 * else: run as the owner after every migration, in one transaction.
 */
export async function grantServingRole(ownerUrl: string, appRole: string): Promise<{ warnings: string[] }> {
  return withClient(ownerUrl, async (owner) => {
    const warnings: string[] = [];
    owner.on('notice', (notice) => {
      if (notice.severity === 'WARNING') warnings.push(notice.message ?? '');
    });
    const app = owner.escapeIdentifier(appRole);
    const tables = await owner.query<{ name: string; qualified: string; view: boolean }>(
      `select c.relname as name, format('%I.%I', n.nspname, c.relname) as qualified, c.relkind in ('v', 'm') as view
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm') and c.relowner = (select oid from pg_roles where rolname = current_user)
        order by c.relname`,
    );
    const statements: string[] = [
      `grant usage on schema ${owner.escapeIdentifier((await owner.query<{ s: string }>('select current_schema() as s')).rows[0]!.s)} to ${app}`,
    ];
    for (const { name, qualified, view } of tables.rows) {
      statements.push(`revoke all on table ${qualified} from ${app}`);
      // A view is what a module exports for others to read (migrations/owners.ts): read only, whatever its table allows
      // (a simple view is updatable, with its owner's rights on the table).
      const privileges = view ? ['select'] : privilegesFor(name);
      if (privileges.length > 0) statements.push(`grant ${privileges.join(', ')} on table ${qualified} to ${app}`);
    }
    for (const signature of SERVING_FUNCTIONS) {
      const exists = await owner.query(`select to_regprocedure($1) is not null as found`, [signature]);
      if (exists.rows[0].found) statements.push(`grant execute on function ${signature} to ${app}`);
    }
    await owner.query('begin');
    try {
      for (const statement of statements) await owner.query(statement);
      // No temporary tables: a temporary table named like one of ours would shadow it inside a trigger function that
      // runs with the session's search path. And no new objects in the schema. Both only when the owner owns them.
      await owner.query(`
        do $$
        begin
          if exists (select 1 from pg_database where datname = current_database() and datdba = (select oid from pg_roles where rolname = current_user)) then
            execute format('revoke temporary on database %I from public', current_database());
            execute format('grant connect on database %I to %I', current_database(), ${owner.escapeLiteral(appRole)});
          else
            raise warning 'the owner role does not own database %: the serving role may still create temporary tables', current_database();
          end if;
          if exists (select 1 from pg_namespace where nspname = current_schema() and pg_has_role(nspowner, 'USAGE')) then
            execute format('revoke create on schema %I from public', current_schema());
          end if;
        end $$`);
      await owner.query('commit');
    } catch (error) {
      await owner.query('rollback').catch(() => undefined);
      throw error;
    }
    return { warnings };
  });
}

export function privilegesFor(table: string): string[] {
  if (UNSERVED_TABLES.includes(table)) return [];
  if (READ_ONLY_TABLES.includes(table)) return ['select'];
  if (APPEND_ONLY_TABLES.includes(table)) {
    const columns = UPDATABLE_COLUMNS[table];
    return columns ? ['select', 'insert', `update (${columns.join(', ')})`] : ['select', 'insert'];
  }
  if (DELETABLE_TABLES.includes(table)) return ['select', 'insert', 'update', 'delete'];
  return ['select', 'insert', 'update'];
}

/**
 * Run on the serving role's pool before serving: refuses to serve as a role that could change history (a superuser,
 * a member of the owner, or one granted UPDATE, DELETE or TRUNCATE on the audit log or the ledger).
 */
export async function checkServingRole(pool: pg.Pool): Promise<{ role: string; temporaryTables: boolean }> {
  const result = await pool.query<{ role: string; superuser: boolean; owner: boolean; changes: boolean; temporary: boolean }>(`
    select current_user as role,
           (select rolsuper from pg_roles where rolname = current_user) as superuser,
           bool_or(pg_has_role(current_user, c.relowner, 'USAGE')) as owner,
           bool_or(has_table_privilege(c.oid, 'UPDATE') or has_table_privilege(c.oid, 'DELETE')
                   or has_table_privilege(c.oid, 'TRUNCATE') or has_table_privilege(c.oid, 'TRIGGER')) as changes,
           has_database_privilege(current_database(), 'TEMPORARY') as temporary
      from pg_class c
     where c.oid in ('audit_log'::regclass, 'ledger_entry'::regclass, 'ledger_line'::regclass, 'ledger_chain'::regclass)`);
  const row = result.rows[0]!;
  const problems = [
    row.superuser && 'is a superuser',
    row.owner && 'has the privileges of the tables’ owner',
    row.changes && 'may update, delete, truncate or add triggers to the audit log or the ledger',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new DatabaseRoleError(`the serving role ${row.role} ${problems.join(', ')}: the service will not serve as a role that can change history`);
  }
  return { role: row.role, temporaryTables: row.temporary };
}
