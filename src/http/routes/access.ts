import { z } from 'zod';
import { listAudit } from '../../audit';
import { createBank, createPrincipal, listBanks, listPrincipals, revokePrincipal, ROLES } from '../../principals';
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
    summary: 'List principals (never their tokens)',
    tag: 'access',
    roles: ['staff', 'auditor'],
    responses: {
      200: {
        description: 'principals',
        schema: z.object({ items: z.array(PrincipalOut.extend({ createdAt: z.string(), revokedAt: z.string().nullable() })) }),
      },
    },
    handler: async ({ db }) => ({ status: 200, body: { items: await listPrincipals(db) } }),
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
    summary: 'List partner banks',
    tag: 'access',
    roles: ['staff', 'bank', 'finance', 'auditor'],
    responses: { 200: { description: 'banks', schema: z.object({ items: z.array(BankOut) }) } },
    handler: async ({ db }) => ({ status: 200, body: { items: await listBanks(db) } }),
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
