/**
 * The comparison of a reform simulation (docs/api.md "Simulations"): two results of `computeRun` over the same loans,
 * the baseline version's and the reform's, side by side — per funding body, per enterprise, per loan — each with
 * baseline, reform and difference (reform − baseline). Pure: plain results in, plain figures out.
 *
 * Lines are the loans' interest lines, matched by loan id (a loan may have a line in one result only: a longer
 * window, another attribution); an enterprise's figures sum all of its lines, fee and premium support and carried
 * amounts included, as the totals do. Lines and enterprises are ordered by the size of the difference, largest
 * first, then by loan id or USCC, so that pages are stable.
 */
import type { Fen } from '../../money';
import type { BodyAmount, InterestLine, LineTrace, RunResult } from '../types';
import type { Projection } from './projection';

export interface Figures {
  totalFen: Fen;
  totals: BodyAmount[];
}

export interface ComparedEnterprise {
  uscc: string;
  name: string | null;
  baselineFen: Fen;
  reformFen: Fen;
  deltaFen: Fen;
}

export interface ComparedLine {
  loanId: string;
  contractNo: string | null;
  enterpriseUscc: string;
  baselineFen: Fen;
  reformFen: Fen;
  deltaFen: Fen;
  /** Null when the loan has no line in that result. */
  baselineEligible: boolean | null;
  reformEligible: boolean | null;
  /** Some of the days the line counts are after today, or its settlement is: projected (projection.ts). */
  projected: boolean;
  baselineLine: InterestLine | null;
  reformLine: InterestLine | null;
}

export interface Comparison {
  baseline: Figures;
  reform: Figures;
  delta: Figures;
  enterprises: ComparedEnterprise[];
  lines: ComparedLine[];
  projectedLines: number;
}

const abs = (value: bigint): bigint => (value < 0n ? -value : value);

/** Largest |difference| first, then the key ascending. */
export function byDifference<T>(key: (item: T) => string, delta: (item: T) => bigint) {
  return (a: T, b: T): number => {
    const da = abs(delta(a));
    const db = abs(delta(b));
    if (da !== db) return da > db ? -1 : 1;
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

/**
 * Sorts as `byDifference` does, comparing each item's |difference| once converted to a number (exact below 2^53 fen,
 * which real runs never reach; above it, the bigint comparison) instead of bigint arithmetic in every comparison.
 */
function sortByDifference<T extends { deltaFen: bigint }>(items: T[], key: (item: T) => string): void {
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  if (items.some((item) => abs(item.deltaFen) > safe)) {
    items.sort(byDifference(key, (item) => item.deltaFen));
    return;
  }
  const keyed = items.map((item) => ({ item, size: Number(abs(item.deltaFen)), key: key(item) }));
  keyed.sort((a, b) => (a.size !== b.size ? b.size - a.size : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  keyed.forEach((entry, index) => {
    items[index] = entry.item;
  });
}

function figures(result: RunResult | null): Figures {
  return result ? { totalFen: result.totalFen, totals: result.totals } : { totalFen: 0n, totals: [] };
}

/** Per body: reform − baseline, over the bodies of either (the baseline's order first). */
function deltaFigures(baseline: Figures, reform: Figures): Figures {
  const bodies = [...baseline.totals.map((item) => item.body), ...reform.totals.map((item) => item.body)].filter(
    (body, index, all) => all.indexOf(body) === index,
  );
  const of = (items: BodyAmount[], body: string) => items.find((item) => item.body === body)?.amountFen ?? 0n;
  return {
    totalFen: reform.totalFen - baseline.totalFen,
    totals: bodies.map((body) => ({ body, amountFen: of(reform.totals, body) - of(baseline.totals, body) })),
  };
}

/** Whether the line counts a day after today, or is in the run because of a projected settlement. */
function isProjected(line: InterestLine | null, projection: Projection): boolean {
  if (!line || projection.projected.size === 0 || !projection.projected.has(line.loanId)) return false;
  const window = line.trace.window;
  if (line.trace.run.attribution === 'settlement') return true;
  return window !== undefined && window.daysCounted > 0 && window.countedToExclusive > nextDay(projection.today);
}

function nextDay(date: string): string {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000);
  return next.toISOString().slice(0, 10);
}

function enterpriseSums(result: RunResult | null): Map<string, Fen> {
  const sums = new Map<string, Fen>();
  if (!result) return sums;
  for (const lines of [result.lines, result.supportLines]) {
    for (const line of lines) sums.set(line.enterpriseUscc, (sums.get(line.enterpriseUscc) ?? 0n) + line.amountFen);
  }
  return sums;
}

/** The lines by loan id: as given when they already are (a run lists them so), else a sorted copy. */
function inLoanOrder(lines: readonly InterestLine[]): readonly InterestLine[] {
  for (let i = 1; i < lines.length; i += 1) {
    if (lines[i - 1]!.loanId > lines[i]!.loanId) return [...lines].sort((a, b) => (a.loanId < b.loanId ? -1 : a.loanId > b.loanId ? 1 : 0));
  }
  return lines;
}

/** The two results' lines of each loan, either null when that result has none: one pass over both, in loan-id order. */
function matchByLoan(baseline: readonly InterestLine[], reform: readonly InterestLine[]): Array<[InterestLine | null, InterestLine | null]> {
  const pairs: Array<[InterestLine | null, InterestLine | null]> = [];
  let b = 0;
  let r = 0;
  while (b < baseline.length || r < reform.length) {
    const before = baseline[b];
    const after = reform[r];
    if (before !== undefined && (after === undefined || before.loanId < after.loanId)) {
      pairs.push([before, null]);
      b += 1;
    } else if (after !== undefined && (before === undefined || after.loanId < before.loanId)) {
      pairs.push([null, after]);
      r += 1;
    } else {
      pairs.push([before!, after!]);
      b += 1;
      r += 1;
    }
  }
  return pairs;
}

/**
 * Compares the two results. `baseline` is null when the baseline version cannot be computed (a parameter staff must
 * set is unset: such a version pays nothing yet).
 */
export function compareResults(
  baseline: RunResult | null,
  reform: RunResult,
  context: { projection: Projection; enterpriseNames: ReadonlyMap<string, string>; contractNos: ReadonlyMap<string, string> },
): Comparison {
  const baselineFigures = figures(baseline);
  const reformFigures = figures(reform);

  const baselineByEnterprise = enterpriseSums(baseline);
  const reformByEnterprise = enterpriseSums(reform);
  const usccs = new Set([...baselineByEnterprise.keys(), ...reformByEnterprise.keys()]);
  const enterprises: ComparedEnterprise[] = [...usccs].map((uscc) => {
    const baselineFen = baselineByEnterprise.get(uscc) ?? 0n;
    const reformFen = reformByEnterprise.get(uscc) ?? 0n;
    return { uscc, name: context.enterpriseNames.get(uscc) ?? null, baselineFen, reformFen, deltaFen: reformFen - baselineFen };
  });
  sortByDifference(enterprises, (item) => item.uscc);

  let projectedLines = 0;
  const lines: ComparedLine[] = matchByLoan(inLoanOrder(baseline?.lines ?? []), inLoanOrder(reform.lines)).map(([before, after]) => {
    const loanId = (after ?? before)!.loanId;
    const baselineFen = before?.amountFen ?? 0n;
    const reformFen = after?.amountFen ?? 0n;
    const projected = isProjected(before, context.projection) || isProjected(after, context.projection);
    if (projected) projectedLines += 1;
    return {
      loanId,
      contractNo: context.contractNos.get(loanId) ?? null,
      enterpriseUscc: (after ?? before)!.enterpriseUscc,
      baselineFen,
      reformFen,
      deltaFen: reformFen - baselineFen,
      baselineEligible: before ? before.eligible : null,
      reformEligible: after ? after.eligible : null,
      projected,
      baselineLine: before,
      reformLine: after,
    };
  });
  sortByDifference(lines, (item) => item.loanId);

  return {
    baseline: baselineFigures,
    reform: reformFigures,
    delta: deltaFigures(baselineFigures, reformFigures),
    enterprises,
    lines,
    projectedLines,
  };
}

export type { LineTrace };
