/**
 * Areas and the lending targets the policy documents set for them (src/loans/targets.ts), and the population staff
 * enter for the per-10,000-people indicator of 袁府办字〔2023〕25号 四(二). A target changes by a new dated record with
 * its reference (POST), never by an edit; the dashboard reads them through `GET /api/v1/reports/portfolio?area=`.
 */
import { z } from 'zod';
import {
  addPopulation,
  addTarget,
  listAreas,
  listPopulation,
  listTargets,
  TARGET_MEASURES,
  TARGET_SCOPES,
  type AreaPopulation,
  type AreaTarget,
} from '../../loans';
import { Dec, formatYuan } from '../../money';
import type { RouteRegistry } from '../route';
import { pageOf, pageOfWhole, WholePage, PositiveMoney } from '../schemas';

const READERS = ['staff', 'finance', 'auditor'] as const;
const AreaParams = z.object({ code: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'must be an area code such as "dongyang"') });
const Year = z.number().int().min(2000).max(2100);

const AreaOut = z.object({ code: z.string(), name: z.string(), divisionPrefixes: z.array(z.string()) });
const TargetOut = z.object({
  id: z.string(),
  areaCode: z.string(),
  measure: z.enum(TARGET_MEASURES),
  scope: z.enum(TARGET_SCOPES).meta({ description: 'whose lending counts: every IP right, or loans whose first pledged right is a patent' }),
  fromYear: z.number().int(),
  amount: z.string().nullable(),
  growthRate: z.string().nullable(),
  countedFromYear: z.number().int().nullable(),
  reference: z.string(),
  quote: z.string().nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
});
const PopulationOut = z.object({
  id: z.string(),
  areaCode: z.string(),
  year: z.number().int(),
  population: z.number().int(),
  reference: z.string(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
});

/** A target in force, against what was lent (the portfolio report's `targets`). */
export const TargetResultOut = z.object({
  id: z.string(),
  measure: z.enum(TARGET_MEASURES),
  scope: z.enum(TARGET_SCOPES),
  fromYear: z.number().int(),
  reference: z.string(),
  quote: z.string().nullable(),
  recordedAt: z.string(),
  target: z.string().nullable().meta({ description: 'the figure set: an amount ("100000000.00") or a growth rate ("0.30"); null for the indicator and monitoring' }),
  countedFromYear: z.number().int().nullable(),
  actual: z.string().nullable().meta({ description: 'what was lent (summed since countedFromYear), the growth rate, or the amount per 10,000 people' }),
  met: z.boolean().nullable(),
  population: z.object({ year: z.number().int(), population: z.number().int(), reference: z.string() }).nullable(),
  missing: z.enum(['no_previous_year', 'population_missing']).nullable(),
});

const targetOut = (target: AreaTarget) => {
  const { amountFen, ...rest } = target;
  return { ...rest, amount: amountFen === null ? null : formatYuan(amountFen) };
};
const populationOut = (record: AreaPopulation) => record;

export function registerTargetRoutes(registry: RouteRegistry): void {
  registry.add({
    method: 'get',
    path: '/api/v1/areas',
    summary: 'The areas whose lending is measured against the targets of their own policy documents, with their division codes',
    tag: 'targets',
    roles: READERS,
    query: WholePage,
    responses: { 200: { description: 'the areas', schema: pageOf(AreaOut) } },
    handler: async ({ db, query }) => ({ status: 200, body: pageOfWhole(await listAreas(db), query, (area) => area.code) }),
  });

  registry.add({
    method: 'get',
    path: '/api/v1/areas/{code}/targets',
    summary: "Every record of an area's targets (the history: a target changes by a new record from a year on)",
    tag: 'targets',
    roles: READERS,
    params: AreaParams,
    query: WholePage,
    responses: { 200: { description: 'the records', schema: pageOf(TargetOut) }, 404: { description: 'no such area' } },
    handler: async ({ db, params, query }) => ({ status: 200, body: pageOfWhole((await listTargets(db, params.code)).map(targetOut), query, (target) => target.id) }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/areas/{code}/targets',
    summary: 'A new dated value of a target, with its reference (earlier records are kept); no amount or rate ends the target from that year',
    tag: 'targets',
    roles: ['staff'],
    params: AreaParams,
    body: z
      .object({
        measure: z.enum(TARGET_MEASURES),
        scope: z.enum(TARGET_SCOPES).default('ip'),
        fromYear: Year,
        amount: PositiveMoney.nullish().meta({ description: 'annual_amount, cumulative_amount: the least amount' }),
        growthRate: z
          .string()
          .regex(/^\d{1,2}(\.\d{1,6})?$/, 'must be a decimal rate such as "0.30" for 30 %')
          .refine((rate) => new Dec(rate).gt(0), 'must be above 0')
          .nullish()
          .meta({ description: 'annual_growth: the least growth on the year before, "0.30" = 30 %' }),
        countedFromYear: Year.nullish().meta({ description: 'cumulative_amount: the first year whose lending counts' }),
        reference: z.string().trim().min(1).max(300).meta({ description: 'the document and clause, e.g. 袁府办字〔2023〕25号 二' }),
        quote: z.string().trim().min(1).max(1000).nullish(),
      })
      .strict(),
    responses: { 201: { description: 'the record', schema: TargetOut }, 404: { description: 'no such area' } },
    handler: async ({ db, params, body, principal, audit }) => {
      const target = await addTarget(
        db,
        params.code,
        {
          measure: body.measure,
          scope: body.scope,
          fromYear: body.fromYear,
          amountFen: body.amount,
          growthRate: body.growthRate,
          countedFromYear: body.countedFromYear,
          reference: body.reference,
          quote: body.quote,
        },
        principal.id,
      );
      await audit('area.target_recorded', { id: target.id, area: params.code, measure: target.measure, fromYear: target.fromYear, reference: target.reference });
      return { status: 201, body: targetOut(target) };
    },
  });

  registry.add({
    method: 'get',
    path: '/api/v1/areas/{code}/population',
    summary: "An area's population by year, as staff entered it (the latest record of a year counts)",
    tag: 'targets',
    roles: READERS,
    params: AreaParams,
    query: WholePage,
    responses: { 200: { description: 'the records', schema: pageOf(PopulationOut) }, 404: { description: 'no such area' } },
    handler: async ({ db, params, query }) => ({ status: 200, body: pageOfWhole((await listPopulation(db, params.code)).map(populationOut), query, (record) => record.id) }),
  });

  registry.add({
    method: 'post',
    path: '/api/v1/areas/{code}/population',
    summary: "Record an area's population for a year, with its source: the per-10,000-people indicator of 袁府办字〔2023〕25号 四(二) divides by it",
    tag: 'targets',
    roles: ['staff'],
    params: AreaParams,
    body: z
      .object({
        year: Year,
        population: z.number().int().min(1).max(2_000_000_000),
        reference: z.string().trim().min(1).max(300).meta({ description: 'where the figure comes from, e.g. 2024 年统计年鉴' }),
      })
      .strict(),
    responses: { 201: { description: 'the record', schema: PopulationOut }, 404: { description: 'no such area' } },
    handler: async ({ db, params, body, principal, audit }) => {
      const record = await addPopulation(db, params.code, body, principal.id);
      await audit('area.population_recorded', { id: record.id, area: params.code, year: record.year, population: record.population });
      return { status: 201, body: populationOut(record) };
    },
  });
}
