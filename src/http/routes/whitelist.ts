import { z } from 'zod';
import { todayInChina } from '../../dates';
import { decodeKeyset, parseSort, sortValues, UUID_PATTERN } from '../../db/keyset';
import { addToWhitelist, listWhitelist, removeFromWhitelist, whitelistLending, WHITELIST_SORT_COLUMNS } from '../../loans/whitelist';
import type { RouteRegistry } from '../route';
import { IsoDate, Page, pageOf, Uuid } from '../schemas';

const ListingOut = z.object({
  id: z.string(),
  enterpriseUscc: z.string(),
  enterpriseName: z.string(),
  divisionCode: z.string(),
  reason: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  addedAt: z.string(),
  removedAt: z.string().nullable(),
  removalReason: z.string().nullable(),
});

export function registerWhitelistRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'post',
    path: '/api/v1/whitelist',
    summary: 'List an enterprise with high-value patents on the white-list pushed to partner banks (《云阳县高价值发明专利质量提升行动方案（2022—2024年）》)',
    tag: 'whitelist',
    roles: ['staff'],
    body: z.object({
      enterpriseUscc: z.string().trim().toUpperCase().length(18, 'must be an 18-character USCC'),
      reason: z.string().trim().min(1).max(500),
      validFrom: IsoDate,
      validTo: IsoDate,
    }),
    responses: { 201: { description: 'the listing', schema: ListingOut } },
    handler: async ({ db, body, principal, audit }) => {
      const listing = await addToWhitelist(db, body, principal.id);
      await audit('whitelist.added', { listingId: listing.id, enterpriseUscc: listing.enterpriseUscc, reason: body.reason });
      return { status: 201, body: listing };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/whitelist/{id}/removal',
    summary: 'Remove a listing from the white-list, with the reason (the listing is kept, marked removed)',
    tag: 'whitelist',
    roles: ['staff'],
    params: z.object({ id: Uuid }),
    body: z.object({ reason: z.string().trim().min(1).max(500) }),
    responses: { 200: { description: 'the removed listing', schema: ListingOut } },
    handler: async ({ db, params, body, principal, audit }) => {
      const listing = await removeFromWhitelist(db, params.id, body.reason, principal.id);
      await audit('whitelist.removed', { listingId: listing.id, enterpriseUscc: listing.enterpriseUscc, reason: body.reason });
      return { status: 200, body: listing };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/whitelist',
    summary:
      'The white-list in force on a date (default today, China time), or with `all=true` every listing ever made; filtered, sorted and paged on the server',
    tag: 'whitelist',
    roles: ['staff', 'bank', 'finance', 'auditor'],
    query: Page.extend({
      on: IsoDate.optional(),
      all: z.enum(['true', 'false']).optional(),
      enterprise: z.string().trim().min(1).max(200).optional().meta({ description: 'a USCC, or part of the enterprise name' }),
      divisionPrefix: z.string().regex(/^\d{2,6}$/, 'must be 2–6 digits of a division code, e.g. "360902"').optional(),
      sort: z
        .enum(sortValues(WHITELIST_SORT_COLUMNS))
        .optional()
        .meta({ description: 'a column, "-" first for descending (default: name, or -addedAt with all=true); a cursor is valid only with its sort' }),
    }),
    responses: { 200: { description: 'a page of listings', schema: pageOf(ListingOut).extend({ on: z.string().nullable() }) } },
    handler: async ({ db, query }) => {
      const all = query.all === 'true';
      const on = all ? null : (query.on ?? todayInChina());
      const sort = parseSort(WHITELIST_SORT_COLUMNS, query.sort, all ? { column: 'addedAt', descending: true } : { column: 'name', descending: false });
      const after = decodeKeyset(query.cursor, sort, WHITELIST_SORT_COLUMNS, UUID_PATTERN);
      const page = await listWhitelist(
        db,
        { on: on ?? undefined, enterprise: query.enterprise, divisionPrefix: query.divisionPrefix },
        { limit: query.limit, sort, after },
      );
      return { status: 200, body: { on, items: page.items, nextCursor: page.next } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/reports/whitelist-lending',
    summary: 'How much the partner banks lent in a year to enterprises listed on the loan start date',
    tag: 'whitelist',
    roles: ['staff', 'finance', 'auditor'],
    query: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
    responses: {
      200: {
        description: 'lending to listed enterprises',
        schema: z.object({
          year: z.number(),
          loanCount: z.number(),
          principal: z.string(),
          byBank: z.array(z.object({ bankId: z.string(), bankCode: z.string(), bankName: z.string(), loanCount: z.number(), principal: z.string() })),
        }),
      },
    },
    handler: async ({ db, query }) => ({ status: 200, body: await whitelistLending(db, query.year) }),
  });
}
