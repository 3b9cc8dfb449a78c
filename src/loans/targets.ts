/**
 * The lending targets the policy documents set per area, as dated and cited records (migrations/…AreaTargets.ts):
 *
 *   袁府办字〔2023〕25号 二 — Yuanzhou: IP-pledge financing registered ≥ 100 million CNY a year, patent-pledge financing
 *     +30 % a year, to the end of 2025; 四(二): the per-10,000-people amount of new patent-pledge financing, an
 *     assessment indicator with no figure (it needs the district's population, which staff enter);
 *   《关于全面加强知识产权工作的实施意见》 一 — Dongyang: IP pledges ≥ 1 billion CNY a year from 2023;
 *   《云阳县高价值发明专利质量提升行动方案（2022—2024年）》 — Yunyang: ≥ 10 million CNY of new IP-pledge financing by
 *     2024, counted from 2022;
 *   安政办发〔2024〕13号 第12条 — Ankang: monitoring of IP-pledge lending, no figure.
 *
 * A target in force for a year is, per area and measure, the record with the latest `fromYear` ≤ that year (the
 * latest recorded among equals): staff change a target by adding a record with its reference, never by editing one,
 * and a record without a figure ends a target. Each is evaluated on the lending of the enterprises registered in the
 * area (src/loans/portfolio.ts).
 */
import type { Queryable } from '../db/pool';
import { DomainError } from '../errors';
import { Dec, formatYuan, type Fen } from '../money';

export const TARGET_MEASURES = ['annual_amount', 'annual_growth', 'cumulative_amount', 'per_10k_people', 'monitoring'] as const;
export type TargetMeasure = (typeof TARGET_MEASURES)[number];
export const TARGET_SCOPES = ['ip', 'patent'] as const;
export type TargetScope = (typeof TARGET_SCOPES)[number];

/** Growth rates are compared exactly and shown to four places (0.01 %), rounded half-up. */
export const GROWTH_DECIMAL_PLACES = 4;
/** 袁府办字〔2023〕25号 四(二) “每万人”: per 10,000 people. */
const PEOPLE_PER_UNIT = 10_000n;

export interface Area {
  code: string;
  name: string;
  divisionPrefixes: string[];
}

export interface AreaTarget {
  id: string;
  areaCode: string;
  measure: TargetMeasure;
  scope: TargetScope;
  fromYear: number;
  amountFen: Fen | null;
  growthRate: string | null;
  countedFromYear: number | null;
  reference: string;
  quote: string | null;
  recordedBy: string | null;
  recordedAt: string;
}

export interface AreaPopulation {
  id: string;
  areaCode: string;
  year: number;
  population: number;
  reference: string;
  recordedBy: string | null;
  recordedAt: string;
}

type AreaRow = { code: string; name: string; division_prefixes: string[] };
const toArea = (row: AreaRow): Area => ({ code: row.code, name: row.name, divisionPrefixes: row.division_prefixes });

export async function listAreas(db: Queryable): Promise<Area[]> {
  const result = await db.query<AreaRow>(`select code, name, division_prefixes from target_area order by sort_order, code`);
  return result.rows.map(toArea);
}

export async function getArea(db: Queryable, code: string): Promise<Area> {
  const result = await db.query<AreaRow>(`select code, name, division_prefixes from target_area where code = $1`, [code]);
  if (!result.rows[0]) throw new DomainError('not_found', `no area ${code}`, [{ path: 'area', message: `no area ${code}` }]);
  return toArea(result.rows[0]);
}

type TargetRow = {
  id: string;
  area_code: string;
  measure: TargetMeasure;
  scope: TargetScope;
  from_year: number;
  amount_fen: bigint | null;
  growth_rate: string | null;
  counted_from_year: number | null;
  reference: string;
  quote: string | null;
  recorded_by: string | null;
  recorded_at: Date;
};
const TARGET_COLUMNS = `id, area_code, measure, scope, from_year, amount_fen, growth_rate::text as growth_rate, counted_from_year, reference,
  quote, recorded_by, recorded_at`;
const toTarget = (row: TargetRow): AreaTarget => ({
  id: row.id,
  areaCode: row.area_code,
  measure: row.measure,
  scope: row.scope,
  fromYear: row.from_year,
  amountFen: row.amount_fen,
  growthRate: row.growth_rate,
  countedFromYear: row.counted_from_year,
  reference: row.reference,
  quote: row.quote,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at.toISOString(),
});

/** Every record of an area, oldest first: the history of its targets. */
export async function listTargets(db: Queryable, areaCode: string): Promise<AreaTarget[]> {
  await getArea(db, areaCode);
  const result = await db.query<TargetRow>(
    `select ${TARGET_COLUMNS} from area_target where area_code = $1 order by measure, from_year, recorded_at, id`,
    [areaCode],
  );
  return result.rows.map(toTarget);
}

/**
 * The targets in force in `year`: per measure, the latest record from that year or before. A target whose record in
 * force has no figure has ended (or, for the indicator and monitoring, never had one: those are kept).
 */
export async function targetsInForce(db: Queryable, areaCode: string, year: number): Promise<AreaTarget[]> {
  const result = await db.query<TargetRow>(
    `select distinct on (measure) ${TARGET_COLUMNS} from area_target
      where area_code = $1 and from_year <= $2
      order by measure, from_year desc, recorded_at desc, id desc`,
    [areaCode, year],
  );
  return result.rows
    .map(toTarget)
    .filter((target) => target.measure === 'per_10k_people' || target.measure === 'monitoring' || target.amountFen !== null || target.growthRate !== null)
    .sort((a, b) => TARGET_MEASURES.indexOf(a.measure) - TARGET_MEASURES.indexOf(b.measure));
}

export interface NewTarget {
  measure: TargetMeasure;
  scope: TargetScope;
  fromYear: number;
  amountFen?: Fen | null | undefined;
  growthRate?: string | null | undefined;
  countedFromYear?: number | null | undefined;
  reference: string;
  quote?: string | null | undefined;
}

/** A new dated value of a target, with its reference: earlier records stay as they were. */
export async function addTarget(db: Queryable, areaCode: string, input: NewTarget, recordedBy: string): Promise<AreaTarget> {
  await getArea(db, areaCode);
  const problems: Array<{ path: string; message: string }> = [];
  const amount = input.amountFen ?? null;
  const rate = input.growthRate ?? null;
  const counted = input.countedFromYear ?? null;
  const amountMeasure = input.measure === 'annual_amount' || input.measure === 'cumulative_amount';
  if (!amountMeasure && amount !== null) problems.push({ path: 'amount', message: `a ${input.measure} target has no amount` });
  if (input.measure !== 'annual_growth' && rate !== null) problems.push({ path: 'growthRate', message: `a ${input.measure} target has no growth rate` });
  if (input.measure === 'cumulative_amount' && amount !== null && counted === null) {
    problems.push({ path: 'countedFromYear', message: 'a cumulative target counts lending from a year: name it' });
  }
  if (input.measure !== 'cumulative_amount' && counted !== null) problems.push({ path: 'countedFromYear', message: 'only a cumulative target counts from a year' });
  if (counted !== null && counted > input.fromYear) problems.push({ path: 'countedFromYear', message: `must not be after fromYear ${input.fromYear}` });
  if (problems.length > 0) throw new DomainError('validation_failed', `the target is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  const result = await db.query<TargetRow>(
    `insert into area_target (area_code, measure, scope, from_year, amount_fen, growth_rate, counted_from_year, reference, quote, recorded_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${TARGET_COLUMNS}`,
    [areaCode, input.measure, input.scope, input.fromYear, amount?.toString() ?? null, rate, counted, input.reference, input.quote ?? null, recordedBy],
  );
  return toTarget(result.rows[0]!);
}

type PopulationRow = { id: string; area_code: string; year: number; population: number; reference: string; recorded_by: string | null; recorded_at: Date };
const toPopulation = (row: PopulationRow): AreaPopulation => ({
  id: row.id,
  areaCode: row.area_code,
  year: row.year,
  population: row.population,
  reference: row.reference,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at.toISOString(),
});

export async function addPopulation(db: Queryable, areaCode: string, input: { year: number; population: number; reference: string }, recordedBy: string): Promise<AreaPopulation> {
  await getArea(db, areaCode);
  const result = await db.query<PopulationRow>(
    `insert into area_population (area_code, year, population, reference, recorded_by) values ($1, $2, $3, $4, $5)
     returning id, area_code, year, population, reference, recorded_by, recorded_at`,
    [areaCode, input.year, input.population, input.reference, recordedBy],
  );
  return toPopulation(result.rows[0]!);
}

export async function listPopulation(db: Queryable, areaCode: string): Promise<AreaPopulation[]> {
  await getArea(db, areaCode);
  const result = await db.query<PopulationRow>(
    `select id, area_code, year, population, reference, recorded_by, recorded_at from area_population
      where area_code = $1 order by year, recorded_at, id`,
    [areaCode],
  );
  return result.rows.map(toPopulation);
}

/** The population the indicator of `year` divides by: that year's, else the latest earlier year's (latest record counts). */
export async function populationFor(db: Queryable, areaCode: string, year: number): Promise<AreaPopulation | null> {
  const result = await db.query<PopulationRow>(
    `select id, area_code, year, population, reference, recorded_by, recorded_at from area_population
      where area_code = $1 and year <= $2 order by year desc, recorded_at desc, id desc limit 1`,
    [areaCode, year],
  );
  return result.rows[0] ? toPopulation(result.rows[0]) : null;
}

// ---- evaluation --------------------------------------------------------------------------------------------------

/** The lending of the area, in fen, by year and scope (principal of the loans started in the year). */
export type LendingByYear = (year: number, scope: TargetScope) => Fen;

export interface TargetResult {
  id: string;
  measure: TargetMeasure;
  scope: TargetScope;
  fromYear: number;
  reference: string;
  quote: string | null;
  recordedAt: string;
  /** The figure the documents set (amount as "123.45", growth as "0.30"); null for the indicator and monitoring. */
  target: string | null;
  countedFromYear: number | null;
  /** What happened: the amount lent (or summed since countedFromYear), the growth rate, or the amount per 10,000 people. */
  actual: string | null;
  /** Met or not; null where there is nothing to compare (no figure, no previous year, no population). */
  met: boolean | null;
  /** The per-10,000-people indicator: the population it divides by, or null until staff enter one. */
  population: { year: number; population: number; reference: string } | null;
  /** Why `actual` is null, in a word: `no_previous_year`, `population_missing`. */
  missing: 'no_previous_year' | 'population_missing' | null;
}

export function growthRate(currentFen: Fen, previousFen: Fen): string | null {
  if (previousFen === 0n) return null;
  return new Dec((currentFen - previousFen).toString())
    .div(previousFen.toString())
    .toDecimalPlaces(GROWTH_DECIMAL_PLACES, Dec.ROUND_HALF_UP)
    .toFixed(GROWTH_DECIMAL_PLACES);
}

/** Exact, not on the rounded rate: current ≥ previous × (1 + rate). */
export function meetsGrowth(currentFen: Fen, previousFen: Fen, rate: string): boolean | null {
  if (previousFen === 0n) return null;
  return new Dec(currentFen.toString()).gte(new Dec(previousFen.toString()).times(new Dec(1).plus(rate)));
}

/** Amount per 10,000 people, to the fen, half up: lent × 10,000 ÷ population. */
export function perTenThousandPeople(lentFen: Fen, population: number): Fen {
  const numerator = lentFen * PEOPLE_PER_UNIT;
  const divisor = BigInt(population);
  return (numerator * 2n + divisor) / (divisor * 2n);
}

/** Each target in force, against what was lent in the area (pure: the figures come in). */
export function evaluateTargets(year: number, targets: readonly AreaTarget[], lent: LendingByYear, population: AreaPopulation | null): TargetResult[] {
  return targets.map((target) => {
    const base = {
      id: target.id,
      measure: target.measure,
      scope: target.scope,
      fromYear: target.fromYear,
      reference: target.reference,
      quote: target.quote,
      recordedAt: target.recordedAt,
      countedFromYear: target.countedFromYear,
      population: null,
      missing: null,
    } satisfies Partial<TargetResult>;
    const thisYear = lent(year, target.scope);
    switch (target.measure) {
      case 'annual_amount':
        return { ...base, target: formatYuan(target.amountFen!), actual: formatYuan(thisYear), met: thisYear >= target.amountFen! };
      case 'annual_growth': {
        const previous = lent(year - 1, target.scope);
        const growth = growthRate(thisYear, previous);
        return {
          ...base,
          target: target.growthRate,
          actual: growth,
          met: meetsGrowth(thisYear, previous, target.growthRate!),
          missing: growth === null ? ('no_previous_year' as const) : null,
        };
      }
      case 'cumulative_amount': {
        let sumFen = 0n;
        for (let counted = target.countedFromYear!; counted <= year; counted += 1) sumFen += lent(counted, target.scope);
        return { ...base, target: formatYuan(target.amountFen!), actual: formatYuan(sumFen), met: sumFen >= target.amountFen! };
      }
      case 'per_10k_people':
        if (!population) return { ...base, target: null, actual: null, met: null, missing: 'population_missing' as const };
        return {
          ...base,
          target: null,
          actual: formatYuan(perTenThousandPeople(thisYear, population.population)),
          met: null,
          population: { year: population.year, population: population.population, reference: population.reference },
        };
      case 'monitoring':
        return { ...base, target: null, actual: formatYuan(thisYear), met: null };
    }
  });
}
