import { z } from 'zod';
import { listAudit } from '../../audit';
import { createBank, createPrincipal, listPrincipals, pageBanks, revokePrincipal, ROLES } from '../../principals';
import type { RouteRegistry } from '../route';
import { CursorKeys, decodeCursor, encodeCursor, FundingBody, IsoDate, Page, pageOf, Uuid } from '../schemas';

const PrincipalOut = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  bankId: z.string().nullable(),
  body: z.string().nullable(),
});
/** A replayed creation says what happened to the token (the same words as the migration that purged stored ones). */
export const TOKEN_NOT_REPLAYED = 'the token was issued in the first answer and is stored only as a hash: it cannot be shown again; revoke this principal and create another if it was lost';

const BankOut = z.object({ id: z.string(), code: z.string(), name: z.string() });

/** The principals' cursor: `created_at` as PostgreSQL prints it (microseconds and offset), then the id. */
const PRINCIPALS_CURSOR = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/), CursorKeys.uuid]);
const BANK_CODE = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);

export function registerAccessRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'post',
    path: '/api/v1/principals',
    summary: 'Create a principal and its bearer token (shown once, stored only as a hash)',
    tag: 'access',
    roles: ['staff'],
    body: z.object({
      name: z.string().trim().min(1).max(200),
      role: z.enum(ROLES),
      bankId: Uuid.optional(),
      body: FundingBody.optional(),
    }),
    responses: {
      201: {
        description: 'created; a replay (same Idempotency-Key and body) answers the same principal with `token: null`',
        schema: PrincipalOut.extend({
          token: z.string().nullable().meta({ description: 'the bearer token, in this answer only; null in a replay' }),
          tokenNotice: z.string().optional().meta({ description: 'in a replay: why the token is not shown' }),
        }),
      },
    },
    handler: async ({ db, body, principal }) => {
      const created = await createPrincipal(db, body, principal.id);
      return {
        status: 201,
        body: { ...created.principal, token: created.token },
        // The idempotency table keeps this, never the token: a secret shown once is not stored to be shown again.
        replayBody: { ...created.principal, token: null, tokenNotice: TOKEN_NOT_REPLAYED },
      };
    },
  });

  registry.add({
    method: 'delete',
    path: '/api/v1/principals/{id}',
    summary: 'Revoke a principal: its token stops working at once',
    tag: 'access',
    roles: ['staff'],
    params: z.object({ id: Uuid }),
    responses: { 200: { description: 'revoked', schema: z.object({ id: z.string(), revokedAt: z.string() }) } },
    handler: async ({ db, params }) => ({ status: 200, body: await revokePrincipal(db, params.id) }),
  });

  registry.add({
    method: 'get',
    path: '/api/v1/principals',
    summary: 'List principals (never their tokens), in the order they were created, a page at a time',
    tag: 'access',
    roles: ['staff', 'auditor'],
    query: Page,
    responses: {
      200: {
        description: 'a page of principals',
        schema: pageOf(PrincipalOut.extend({ createdAt: z.string(), revokedAt: z.string().nullable() })),
      },
    },
    handler: async ({ db, query }) => {
      const page = await listPrincipals(db, { after: decodeCursor(query.cursor, PRINCIPALS_CURSOR), limit: query.limit });
      return { status: 200, body: { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/me',
    summary: 'The principal this token belongs to',
    tag: 'access',
    roles: ['staff', 'bank', 'finance', 'auditor'],
    responses: { 200: { description: 'the caller', schema: PrincipalOut } },
    handler: async ({ principal }) => ({ status: 200, body: principal }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/banks',
    summary: 'Register a partner bank',
    tag: 'access',
    roles: ['staff'],
    body: z.object({
      code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1–32 letters, digits, "-" or "_"'),
      name: z.string().trim().min(1).max(200),
    }),
    responses: { 201: { description: 'created', schema: BankOut } },
    handler: async ({ db, body }) => ({ status: 201, body: await createBank(db, body) }),
  });

  registry.add({
    method: 'get',
    path: '/api/v1/banks',
    summary: 'List partner banks by code, a page at a time',
    tag: 'access',
    roles: ['staff', 'bank', 'finance', 'auditor'],
    query: Page,
    responses: { 200: { description: 'a page of banks', schema: pageOf(BankOut) } },
    handler: async ({ db, query }) => {
      const page = await pageBanks(db, { after: decodeCursor(query.cursor, BANK_CODE), limit: query.limit });
      return { status: 200, body: { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) } };
    },
  });

  const AuditOut = z.object({
    id: z.string(),
    at: z.string(),
    principalId: z.string().nullable(),
    principalName: z.string().nullable(),
    method: z.string().nullable(),
    path: z.string().nullable(),
    status: z.number().nullable(),
    action: z.string(),
    detail: z.record(z.string(), z.unknown()),
  });
  registry.add({
    method: 'get',
    path: '/api/v1/audit-log',
    summary: 'The append-only audit log, newest first',
    tag: 'access',
    roles: ['staff', 'auditor'],
    query: Page.extend({
      principalId: Uuid.optional(),
      action: z.string().max(200).optional(),
      from: IsoDate.optional(),
      to: IsoDate.optional(),
    }),
    responses: { 200: { description: 'a page of audit rows', schema: pageOf(AuditOut) } },
    handler: async ({ db, query }) => {
      const before = decodeCursor(query.cursor, CursorKeys.serial);
      const items = await listAudit(db, {
        principalId: query.principalId,
        action: query.action,
        from: query.from,
        to: query.to,
        beforeId: before === undefined ? undefined : BigInt(before),
        limit: query.limit,
      });
      const last = items[items.length - 1];
      return { status: 200, body: { items, nextCursor: items.length === query.limit && last ? encodeCursor(last.id) : null } };
    },
  });
}
