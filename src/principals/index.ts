/**
 * Who calls us (docs/api.md "Who may do what"): bearer tokens, stored only as SHA-256 hashes (a token is 32
 * random bytes, so a fast hash is enough: there is nothing to guess), each bound to one principal with one role.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { DomainError } from '../errors';

export const ROLES = ['staff', 'bank', 'finance', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  name: string;
  role: Role;
  /** Set for (and only for) a bank principal. */
  bankId: string | null;
  /** The funding body of a finance principal ("city", "district", …). */
  body: string | null;
}

const TOKEN_PREFIX = 'ipl_';

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

interface PrincipalRow {
  id: string;
  name: string;
  role: Role;
  bank_id: string | null;
  body: string | null;
}

const toPrincipal = (row: PrincipalRow): Principal => ({
  id: row.id,
  name: row.name,
  role: row.role,
  bankId: row.bank_id,
  body: row.body,
});

export async function authenticate(db: Queryable, token: string): Promise<Principal | undefined> {
  return authenticateHash(db, hashToken(token));
}

/** `authenticate` for a token already hashed (`hashToken`). */
export async function authenticateHash(db: Queryable, tokenHash: Buffer): Promise<Principal | undefined> {
  // Named: parsed and planned once per connection, as most requests ask it first.
  const result = await db.query<PrincipalRow>({
    name: 'principal_by_token',
    text: `select id, name, role, bank_id, body from principal where token_hash = $1 and revoked_at is null`,
    values: [tokenHash],
  });
  return result.rows[0] ? toPrincipal(result.rows[0]) : undefined;
}

/**
 * The principal each token named when it was last authenticated, by the token's hash (hex): a hint, never proof. A
 * write that confirms its caller in its own statement (`principal_confirm`, migrations/…WritesConfirmPrincipal.ts)
 * may start from it instead of looking the token up first; anything else authenticates as before. Holds at most
 * `capacity` tokens, dropping the one remembered longest ago.
 */
export class RememberedTokens {
  private readonly byHash = new Map<string, Principal>();

  constructor(private readonly capacity = 10_000) {}

  get(tokenHash: string): Principal | undefined {
    return this.byHash.get(tokenHash);
  }

  remember(tokenHash: string, principal: Principal): void {
    this.byHash.delete(tokenHash);
    if (this.byHash.size >= this.capacity) this.byHash.delete(this.byHash.keys().next().value!);
    this.byHash.set(tokenHash, principal);
  }

  forget(tokenHash: string): void {
    this.byHash.delete(tokenHash);
  }

  get size(): number {
    return this.byHash.size;
  }
}

/** What `principal_confirm` checks the principal against: the token's hash and every attribute the service acts on. */
export function confirmation(tokenHash: string, principal: Principal): Record<string, string | null> {
  return { tokenHash, name: principal.name, role: principal.role, bankId: principal.bankId, body: principal.body };
}

export function samePrincipal(a: Principal, b: Principal): boolean {
  return a.id === b.id && a.name === b.name && a.role === b.role && a.bankId === b.bankId && a.body === b.body;
}

export interface NewPrincipal {
  name: string;
  role: Role;
  bankId?: string | undefined;
  body?: string | undefined;
}

/** Creates a principal and returns its token, which is shown this once and stored only as a hash. */
export async function createPrincipal(
  db: Queryable,
  input: NewPrincipal,
  createdBy: string | null,
  token: string = generateToken(),
): Promise<{ principal: Principal; token: string }> {
  if (input.role === 'bank' && !input.bankId) {
    throw new DomainError('validation_failed', 'bankId is required for a bank principal', [
      { path: 'bankId', message: 'required when role is "bank"' },
    ]);
  }
  if (input.role !== 'bank' && input.bankId) {
    throw new DomainError('validation_failed', 'bankId is only for a bank principal', [
      { path: 'bankId', message: 'allowed only when role is "bank"' },
    ]);
  }
  if (input.role === 'finance' && !input.body) {
    throw new DomainError('validation_failed', 'body is required for a finance principal', [
      { path: 'body', message: 'required when role is "finance" (e.g. "city")' },
    ]);
  }
  if (input.role !== 'finance' && input.body) {
    throw new DomainError('validation_failed', 'body is only for a finance principal', [
      { path: 'body', message: 'allowed only when role is "finance"' },
    ]);
  }
  if (input.bankId) {
    const bank = await db.query(`select 1 from bank where id = $1`, [input.bankId]);
    if (bank.rowCount === 0) {
      throw new DomainError('validation_failed', `no bank ${input.bankId}`, [{ path: 'bankId', message: 'no such bank' }]);
    }
  }
  if (input.body) {
    const body = await db.query(`select 1 from funding_body where code = $1`, [input.body]);
    if (body.rowCount === 0) {
      throw new DomainError('validation_failed', `no funding body ${input.body}`, [
        { path: 'body', message: 'no such funding body (e.g. "city", "district", "province")' },
      ]);
    }
  }
  const result = await db.query<PrincipalRow>(
    `insert into principal (name, role, bank_id, body, token_hash, created_by) values ($1, $2, $3, $4, $5, $6)
     returning id, name, role, bank_id, body`,
    [input.name, input.role, input.bankId ?? null, input.body ?? null, hashToken(token), createdBy],
  );
  return { principal: toPrincipal(result.rows[0]!), token };
}

export async function revokePrincipal(db: Queryable, id: string): Promise<{ id: string; revokedAt: string }> {
  const result = await db.query<{ id: string; revoked_at: Date }>(
    `update principal set revoked_at = coalesce(revoked_at, now()) where id = $1 returning id, revoked_at`,
    [id],
  );
  const row = result.rows[0];
  if (!row) throw new DomainError('not_found', `no principal ${id}`);
  return { id: row.id, revokedAt: row.revoked_at.toISOString() };
}

/** A principal as listed: when it was created, and revoked if it was. */
export type ListedPrincipal = Principal & { createdAt: string; revokedAt: string | null };

/** Where a page of principals ends: `created_at` as PostgreSQL prints it (to the microsecond, with its offset), and the id. */
export type PrincipalsAfter = [createdAt: string, id: string];

/**
 * A page of principals in the order they were created (ties by id), after `after`; `next` is where the following page
 * starts, null on the last page.
 */
export async function listPrincipals(
  db: Queryable,
  page: { after?: PrincipalsAfter | undefined; limit: number },
): Promise<{ items: ListedPrincipal[]; next: PrincipalsAfter | null }> {
  const result = await db.query<PrincipalRow & { created_at: Date; created_key: string; revoked_at: Date | null }>(
    `select id, name, role, bank_id, body, created_at, created_at::text as created_key, revoked_at from principal
      where $1::timestamptz is null or (created_at, id) > ($1::timestamptz, $2::uuid)
      order by created_at, id limit $3`,
    [page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
  const rows = result.rows.slice(0, page.limit);
  const last = rows[rows.length - 1];
  return {
    items: rows.map((row) => ({
      ...toPrincipal(row),
      createdAt: row.created_at.toISOString(),
      revokedAt: row.revoked_at?.toISOString() ?? null,
    })),
    next: result.rows.length > page.limit && last ? [last.created_key, last.id] : null,
  };
}

/** The first staff principal's name, as the console shows it beside what it did. */
export const BOOTSTRAP_NAME = '初始管理员';

/**
 * The first staff principal: from BOOTSTRAP_TOKEN when set (idempotent across restarts), otherwise generated once
 * when no active staff principal exists. Returns the generated token (to print once), or undefined.
 */
export async function ensureBootstrapPrincipal(db: Queryable, bootstrapToken: string | undefined): Promise<string | undefined> {
  if (bootstrapToken) {
    await db.query(
      `insert into principal (name, role, token_hash) values ($2, 'staff', $1) on conflict (token_hash) do nothing`,
      [hashToken(bootstrapToken), BOOTSTRAP_NAME],
    );
    return undefined;
  }
  const staff = await db.query(`select 1 from principal where role = 'staff' and revoked_at is null limit 1`);
  if (staff.rowCount && staff.rowCount > 0) return undefined;
  const { token } = await createPrincipal(db, { name: BOOTSTRAP_NAME, role: 'staff' }, null);
  return token;
}

export interface Bank {
  id: string;
  code: string;
  name: string;
}

export async function createBank(db: Queryable, input: { code: string; name: string }): Promise<Bank> {
  const result = await db.query<Bank>(
    `insert into bank (code, name) values ($1, $2) on conflict (code) do nothing returning id, code, name`,
    [input.code, input.name],
  );
  if (!result.rows[0]) {
    throw new DomainError('conflict', `a bank with code ${input.code} exists`, [{ path: 'code', message: 'already used' }]);
  }
  return result.rows[0];
}

export async function listBanks(db: Queryable): Promise<Bank[]> {
  return (await db.query<Bank>(`select id, code, name from bank order by code`)).rows;
}

/** A page of banks in the order of their codes, after the code `after`; `next` is null on the last page. */
export async function pageBanks(db: Queryable, page: { after?: string | undefined; limit: number }): Promise<{ items: Bank[]; next: string | null }> {
  const result = await db.query<Bank>(`select id, code, name from bank where $1::text is null or code > $1 order by code limit $2`, [
    page.after ?? null,
    page.limit + 1,
  ]);
  const items = result.rows.slice(0, page.limit);
  return { items, next: result.rows.length > page.limit ? items[items.length - 1]!.code : null };
}
