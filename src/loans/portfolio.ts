/**
 * The portfolio report: pledge financing per year — the principal of the loans that started in the year — and its
 * growth on the year before, in all and by bank and right type; for an area, only the loans of the enterprises
 * registered there (their division code starts with one of the area's), against that area's own targets in force in
 * the year (src/loans/targets.ts: 袁府办字〔2023〕25号 二 for Yuanzhou, 《关于全面加强知识产权工作的实施意见》 一 for
 * Dongyang, …). Without an area: every loan, and no target, since no document sets one for all areas together.
 *
 * A loan counts under one right type, its first in the order patent, trademark, copyright (the same rule as the
 * subsidy runs, docs/subsidy-rules.md), so the right types add up to the total.
 */
import type { Queryable } from '../db/pool';
import { formatYuan, type Fen } from '../money';
import { evaluateTargets, getArea, growthRate, populationFor, targetsInForce, type Area, type TargetResult, type TargetScope } from './targets';
import type { RightType } from './types';

export { growthRate } from './targets';

export interface YearFigures {
  count: number;
  principal: string;
  ipPledgedAmount: string;
  previousYearPrincipal: string;
  /** (this year − last year) / last year; null when last year is 0. */
  growth: string | null;
}

export interface PortfolioReport {
  year: number;
  area: Area | null;
  divisionPrefix: string | null;
  /** The area's targets in force in the year, each against what was lent there; empty without an area. */
  targets: TargetResult[];
  total: YearFigures;
  patent: YearFigures;
  byBank: Array<YearFigures & { bankId: string; bankCode: string; bankName: string }>;
  byRightType: Array<YearFigures & { rightType: RightType }>;
  years: Array<{ year: number; count: number; principal: string; growth: string | null }>;
}

interface Cell {
  count: number;
  principalFen: Fen;
  ipPledgedFen: Fen;
}

const empty = (): Cell => ({ count: 0, principalFen: 0n, ipPledgedFen: 0n });

function figures(current: Cell, previous: Cell): YearFigures {
  return {
    count: current.count,
    principal: formatYuan(current.principalFen),
    ipPledgedAmount: formatYuan(current.ipPledgedFen),
    previousYearPrincipal: formatYuan(previous.principalFen),
    growth: growthRate(current.principalFen, previous.principalFen),
  };
}

export interface PortfolioOptions {
  /** An area (target_area.code): its enterprises' loans and its targets. */
  area?: string | undefined;
  /** Loans of enterprises whose division code starts with this (no targets). */
  divisionPrefix?: string | undefined;
}

/** One query: the loans grouped by start year, bank and right type, for every year up to `year`. */
export async function portfolioReport(db: Queryable, year: number, options: PortfolioOptions = {}): Promise<PortfolioReport> {
  const area = options.area !== undefined ? await getArea(db, options.area) : null;
  const prefixes = area ? area.divisionPrefixes : options.divisionPrefix !== undefined ? [options.divisionPrefix] : null;
  const rows = await db.query<{
    year: number;
    bank_id: string;
    bank_code: string;
    bank_name: string;
    right_type: RightType;
    count: string;
    principal_fen: bigint;
    ip_pledged_fen: bigint;
  }>(
    `select extract(year from l.start_date)::int as year, b.id as bank_id, b.code as bank_code, b.name as bank_name,
            t.right_type, count(*)::text as count, sum(l.principal_fen)::bigint as principal_fen,
            sum(l.ip_pledged_fen)::bigint as ip_pledged_fen
       from loan l
       join bank_directory b on b.id = l.bank_id
       join enterprise en on en.uscc = l.enterprise_uscc
       cross join lateral (
         select a.right_type from pledge p join ip_asset a on a.id = p.asset_id
          where p.loan_id = l.id
          order by array_position(array['patent', 'trademark', 'copyright'], a.right_type), p.line_no limit 1) t
      where l.start_date < make_date($1 + 1, 1, 1)
        and ($2::text[] is null or exists (select 1 from unnest($2::text[]) as prefix where en.division_code like prefix || '%'))
      group by 1, 2, 3, 4, 5`,
    [year, prefixes],
  );
  const add = (map: Map<string, Cell>, key: string, row: (typeof rows.rows)[number]) => {
    const cell = map.get(key) ?? empty();
    cell.count += Number(row.count);
    cell.principalFen += row.principal_fen;
    cell.ipPledgedFen += row.ip_pledged_fen;
    map.set(key, cell);
  };
  const byYear = new Map<string, Cell>();
  const byBankYear = new Map<string, Cell>();
  const byTypeYear = new Map<string, Cell>();
  const banks = new Map<string, { bankCode: string; bankName: string }>();
  for (const row of rows.rows) {
    add(byYear, String(row.year), row);
    add(byBankYear, `${row.bank_id}|${row.year}`, row);
    add(byTypeYear, `${row.right_type}|${row.year}`, row);
    banks.set(row.bank_id, { bankCode: row.bank_code, bankName: row.bank_name });
  }
  const cell = (map: Map<string, Cell>, key: string) => map.get(key) ?? empty();
  const total = figures(cell(byYear, String(year)), cell(byYear, String(year - 1)));
  const patent = figures(cell(byTypeYear, `patent|${year}`), cell(byTypeYear, `patent|${year - 1}`));
  const years = [...byYear.keys()].map(Number).sort((a, b) => a - b);
  let targets: TargetResult[] = [];
  if (area) {
    const lent = (y: number, scope: TargetScope): Fen =>
      scope === 'patent' ? cell(byTypeYear, `patent|${y}`).principalFen : cell(byYear, String(y)).principalFen;
    targets = evaluateTargets(year, await targetsInForce(db, area.code, year), lent, await populationFor(db, area.code, year));
  }
  return {
    year,
    area,
    divisionPrefix: options.divisionPrefix ?? null,
    targets,
    total,
    patent,
    byBank: [...banks]
      .map(([bankId, bank]) => ({ bankId, ...bank, ...figures(cell(byBankYear, `${bankId}|${year}`), cell(byBankYear, `${bankId}|${year - 1}`)) }))
      .filter((bank) => bank.count > 0 || bank.previousYearPrincipal !== '0.00')
      .sort((a, b) => a.bankCode.localeCompare(b.bankCode)),
    byRightType: (['patent', 'trademark', 'copyright'] as const).map((rightType) => ({
      rightType,
      ...figures(cell(byTypeYear, `${rightType}|${year}`), cell(byTypeYear, `${rightType}|${year - 1}`)),
    })),
    years: years.map((y) => ({
      year: y,
      count: cell(byYear, String(y)).count,
      principal: formatYuan(cell(byYear, String(y)).principalFen),
      growth: growthRate(cell(byYear, String(y)).principalFen, cell(byYear, String(y - 1)).principalFen),
    })),
  };
}
