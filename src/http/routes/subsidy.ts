import { z } from 'zod';
import { Dec } from '../../money';
import { SubsidyError } from '../../subsidy/errors';
import { RATE_INDEXES, rawPolicySchema } from '../../subsidy/policy';
import { addPolicy, addRate, getPolicy, listRates, pagePolicies, rateInForce } from '../../subsidy/runs/reference-data';
import type { RouteRegistry } from '../route';
import { CursorKeys, DATE_MAX, DATE_MIN, decodeCursor, encodeCursor, IsoDate, Page, pageOf, Rate } from '../schemas';
import { registerEligibilityRoutes } from './eligibility';
import { registerSimulationRoutes } from './simulations';
import { registerSubsidyInputRoutes } from './subsidy-inputs';
import { registerSubsidyRunRoutes } from './subsidy-runs';

const RateOut = z.object({ index: z.string(), effectiveDate: z.string(), rate: z.string(), source: z.string(), recordedAt: z.string() });
const PolicyOut = rawPolicySchema.extend({ recordedAt: z.string() });
const READERS = ['staff', 'finance', 'auditor'] as const;
const RATES_CURSOR = z.tuple([z.enum(RATE_INDEXES), CursorKeys.date]);
const POLICIES_CURSOR = z.tuple([z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), z.number().int().min(1).max(2_147_483_647)]);

export function registerSubsidyRoutes(registry: RouteRegistry): void {
  registerSubsidyInputRoutes(registry);
  registerSubsidyRunRoutes(registry);
  registerEligibilityRoutes(registry);
  registerSimulationRoutes(registry);
  registry.add({
    method: 'post',
    path: '/api/v1/rates',
    summary: 'Add a reference-rate fixing (fixings are never edited)',
    tag: 'subsidy',
    roles: ['staff'],
    body: z.object({
      index: z.enum(RATE_INDEXES),
      effectiveDate: IsoDate,
      rate: Rate.refine((rate) => new Dec(rate).greaterThan(0) && new Dec(rate).lessThan(1), 'must be between 0 and 1 (e.g. "0.0345")'),
      source: z.string().trim().min(1).max(300).optional(),
    }),
    responses: { 201: { description: 'the fixing', schema: RateOut } },
    handler: async ({ db, body, principal }) => ({ status: 201, body: await addRate(db, body, principal.id) }),
  });

  registry.add({
    method: 'get',
    path: '/api/v1/rates',
    summary:
      'Reference-rate fixings by index and effective date, a page at a time; with `on`, the fixing of each index (or of `index`) in force on that date (latest effective date ≤ on), one page',
    tag: 'subsidy',
    roles: ['staff', 'bank', 'finance', 'auditor'],
    query: Page.extend({ index: z.enum(RATE_INDEXES).optional(), on: IsoDate.optional() }),
    responses: { 200: { description: 'fixings', schema: pageOf(RateOut) } },
    handler: async ({ db, query }) => {
      if (query.on) {
        if (!query.index) {
          // Every index in force on that date; an index with no fixing yet is left out, any other failure is not.
          const inForce = await Promise.all(
            RATE_INDEXES.map((index) =>
              rateInForce(db, index, query.on!).catch((error: unknown) => {
                if (error instanceof SubsidyError && error.code === 'rate_not_in_force') return null;
                throw error;
              }),
            ),
          );
          return { status: 200, body: { items: inForce.filter((rate) => rate !== null), nextCursor: null } };
        }
        return { status: 200, body: { items: [await rateInForce(db, query.index, query.on)], nextCursor: null } };
      }
      const page = await listRates(db, { index: query.index, after: decodeCursor(query.cursor, RATES_CURSOR), limit: query.limit });
      return { status: 200, body: { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null } };
    },
  });

  registry.add({
    method: 'post',
    path: '/api/v1/policies',
    summary: 'Add a subsidy policy or a new version of one (its parameters, each with its clause: docs/subsidy-rules.md)',
    tag: 'subsidy',
    roles: ['staff'],
    // The policy record's own schema, and the service's plausible dates for its period (src/http/schemas.ts).
    body: rawPolicySchema.superRefine((policy, ctx) => {
      for (const key of ['effectiveFrom', 'effectiveTo'] as const) {
        const date = policy[key];
        if (typeof date === 'string' && (date < DATE_MIN || date > DATE_MAX)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `must be between ${DATE_MIN} and ${DATE_MAX}` });
        }
      }
    }),
    responses: { 201: { description: 'the stored version', schema: PolicyOut } },
    handler: async ({ db, req, principal }) => {
      const stored = await addPolicy(db, req.body, principal.id);
      return { status: 201, body: { ...stored.raw, recordedAt: stored.recordedAt } };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/policies',
    summary: 'Every policy version, by id and version, a page at a time',
    tag: 'subsidy',
    roles: READERS,
    query: Page,
    responses: { 200: { description: 'a page of policy versions', schema: pageOf(PolicyOut) } },
    handler: async ({ db, query }) => {
      const page = await pagePolicies(db, { after: decodeCursor(query.cursor, POLICIES_CURSOR), limit: query.limit });
      return {
        status: 200,
        body: { items: page.items.map((stored) => ({ ...stored.raw, recordedAt: stored.recordedAt })), nextCursor: page.next ? encodeCursor(page.next) : null },
      };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/policies/{id}',
    summary: 'A policy: its latest version, or `?version=`',
    tag: 'subsidy',
    roles: READERS,
    params: z.object({ id: z.string().max(63) }),
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    responses: { 200: { description: 'the policy', schema: PolicyOut } },
    handler: async ({ db, params, query }) => {
      const stored = await getPolicy(db, params.id, query.version);
      return { status: 200, body: { ...stored.raw, recordedAt: stored.recordedAt } };
    },
  });
}
