/**
 * The portfolio report (issue 3 § 7): pledge financing per year — the principal of the loans that started in the year
 * — and its growth on the year before, in all and by bank and right type, against the targets of the policy document:
 *
 *   000 § 二: "知识产权质押融资登记金额1亿元以上，专利质押融资登记金额每年增长30%以上" — IP-pledge financing of
 *   100 million CNY or more a year, and patent-pledge financing growing by 30 % or more a year.
 *
 * A loan counts under one right type, its first in the order patent, trademark, copyright (POLICY.md, the same rule
 * as the subsidy runs), so the right types add up to the total.
 */
import type { Queryable } from '../db/pool';
import { Dec, formatYuan, type Fen } from '../money';
import type { RightType } from './types';

export const PORTFOLIO_TARGETS = {
  reference: '000 § 二',
  /** 1亿元: 100,000,000.00 CNY of IP-pledge financing a year. */
  pledgeFinancingFenPerYearMin: 100_000_000_00n,
  /** 30 % a year, for patent-pledge financing. */
  patentGrowthRateMin: '0.30',
} as const;

/** Growth rates are shown to four places (0.01 %), rounded half-up. */
const GROWTH_DECIMAL_PLACES = 4;

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
  divisionPrefix: string | null;
  targets: { reference: string; pledgeFinancingPerYearMin: string; patentGrowthMin: string };
  total: YearFigures & { meetsAmountTarget: boolean };
  patent: YearFigures & { meetsGrowthTarget: boolean | null };
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

export function growthRate(currentFen: Fen, previousFen: Fen): string | null {
  if (previousFen === 0n) return null;
  return new Dec((currentFen - previousFen).toString())
    .div(previousFen.toString())
    .toDecimalPlaces(GROWTH_DECIMAL_PLACES, Dec.ROUND_HALF_UP)
    .toFixed(GROWTH_DECIMAL_PLACES);
}

/** Exact, not on the rounded rate: current ≥ previous × (1 + 30 %). */
export function meetsGrowth(currentFen: Fen, previousFen: Fen): boolean | null {
  if (previousFen === 0n) return null;
  return new Dec(currentFen.toString()).gte(new Dec(previousFen.toString()).times(new Dec(1).plus(PORTFOLIO_TARGETS.patentGrowthRateMin)));
}

function figures(current: Cell, previous: Cell): YearFigures {
  return {
    count: current.count,
    principal: formatYuan(current.principalFen),
    ipPledgedAmount: formatYuan(current.ipPledgedFen),
    previousYearPrincipal: formatYuan(previous.principalFen),
    growth: growthRate(current.principalFen, previous.principalFen),
  };
}

/** One query: the loans grouped by start year, bank and right type, for every year up to `year`. */
export async function portfolioReport(db: Queryable, year: number, options: { divisionPrefix?: string | undefined } = {}): Promise<PortfolioReport> {
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
        and ($2::text is null or en.division_code like $2 || '%')
      group by 1, 2, 3, 4, 5`,
    [year, options.divisionPrefix ?? null],
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
  return {
    year,
    divisionPrefix: options.divisionPrefix ?? null,
    targets: {
      reference: PORTFOLIO_TARGETS.reference,
      pledgeFinancingPerYearMin: formatYuan(PORTFOLIO_TARGETS.pledgeFinancingFenPerYearMin),
      patentGrowthMin: PORTFOLIO_TARGETS.patentGrowthRateMin,
    },
    total: { ...total, meetsAmountTarget: cell(byYear, String(year)).principalFen >= PORTFOLIO_TARGETS.pledgeFinancingFenPerYearMin },
    patent: {
      ...patent,
      meetsGrowthTarget: meetsGrowth(cell(byTypeYear, `patent|${year}`).principalFen, cell(byTypeYear, `patent|${year - 1}`).principalFen),
    },
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
