/**
 * Stage 5 — the per-loan cap over the loan's whole window, across the years it is paid in (袁府办字〔2023〕25号 四(三)2
 * "贴息总额最高不超过10万元", docs/subsidy-rules.md "Caps" 1): this year's part is cut to
 * `min(earlier + this, cap) − min(earlier, cap)`, the earlier parts being what this rule gives the loan for the earlier
 * years of its window in which the policy was in force (before the enterprise caps), computed here from the same
 * inputs, not read from earlier runs. Under settlement attribution the whole window is paid in one run: no earlier
 * part. A loan whose whole window cannot reach the cap skips the earlier years: the trace shows that most instead.
 */
import { minFen, formatYuan, type Fen } from '../../money';
import { dayNumberFromCivil, yearOf } from '../dates';
import type { LoanWindow } from '../windows';
import { intersect } from '../windows';
import type { AmountStage } from './amount';
import type { RunContext } from './context';
import type { LoanFacts } from './loan-facts';
import { adjust, fen, yuan, type EarlierPart, type LineWork } from './trace';
import { walkBase } from './window';

/**
 * What the cap needs besides this year's amount (accrual attribution with a per-loan cap only): the earlier years'
 * parts, or — when the whole window pays at most the cap — that most.
 */
export function prepareWindowCap(ctx: RunContext, work: LineWork, facts: LoanFacts, window: LoanWindow, amount: AmountStage): void {
  const capFen = ctx.p.capPerLoan.value;
  if (capFen === null || ctx.p.attribution.value !== 'accrual') return;
  // Most loans are far below the cap over their whole window: then the cap cannot cut, and the earlier years need not
  // be computed. The whole window pays at most the highest outstanding × share × rate × ratio × its days / divisor,
  // plus at most half a fen of rounding in each year it is paid in (one fen a year, to be safe).
  let outstandingFen = 0n;
  let highestFen = 0n;
  for (const change of facts.changes) {
    outstandingFen += change.deltaFen;
    if (outstandingFen > highestFen) highestFen = outstandingFen;
  }
  const years = BigInt(yearOf(Math.max(window.from, window.to - 1)) - yearOf(window.from) + 1);
  const atMostFen = amount.formula.roundedFen(highestFen * BigInt(ctx.daysBetween(window.from, window.to))) + years;
  if (atMostFen <= capFen) {
    work.wholeWindowAtMostFen = atMostFen;
    return;
  }
  const earlierParts: EarlierPart[] = [];
  for (let earlierYear = yearOf(window.from); earlierYear < ctx.year; earlierYear += 1) {
    const inYear = intersect(window.from, window.to, dayNumberFromCivil(earlierYear, 1, 1), dayNumberFromCivil(earlierYear + 1, 1, 1));
    const inForce = inYear && intersect(inYear.from, inYear.to, ctx.countFrom, ctx.countTo);
    if (!inForce) continue;
    const earlier = walkBase(ctx, facts, inForce.from, inForce.to);
    earlierParts.push({
      year: earlierYear,
      from: inForce.from,
      to: inForce.to,
      days: ctx.daysBetween(inForce.from, inForce.to),
      amountFen: amount.formula.roundedFen(earlier.outstandingDaysFen),
    });
  }
  work.earlierParts = earlierParts;
}

/** This year's part after the cap (pure): `min(earlier + this, cap) − min(earlier, cap)`, with each earlier part's. */
export function windowCapPart(
  capFen: Fen,
  earlierAmountsFen: readonly Fen[],
  thisFen: Fen,
): { earlierPartsFen: Fen[]; earlierFen: Fen; partFen: Fen } {
  let rawBeforeFen = 0n;
  const earlierPartsFen = earlierAmountsFen.map((amountFen) => {
    const partFen = minFen(rawBeforeFen + amountFen, capFen) - minFen(rawBeforeFen, capFen);
    rawBeforeFen += amountFen;
    return partFen;
  });
  const earlierFen = minFen(rawBeforeFen, capFen);
  return { earlierPartsFen, earlierFen, partFen: minFen(earlierFen + thisFen, capFen) - earlierFen };
}

/** Applies the cap to an eligible interest line (a no-op without a per-loan cap); writes `windowCap` into its trace. */
export function applyWindowCap(ctx: RunContext, work: LineWork): void {
  const p = ctx.p;
  const capFen = p.capPerLoan.value;
  if (capFen === null) return;
  work.notes.use('capPerLoan', p.capPerLoan);
  if (work.wholeWindowAtMostFen !== undefined) {
    if (!ctx.traces) return;
    work.line.trace.windowCap = {
      capFen: fen(capFen),
      wholeWindowAtMostFen: fen(work.wholeWindowAtMostFen),
      partFen: fen(work.amountFen),
      reference: p.capPerLoan.reference,
    };
    return;
  }
  const earlier = work.earlierParts ?? [];
  const thisFen = work.amountFen;
  const { earlierPartsFen, earlierFen, partFen } = windowCapPart(
    capFen,
    earlier.map((part) => part.amountFen),
    thisFen,
  );
  if (ctx.traces) work.line.trace.windowCap = {
    capFen: fen(capFen),
    earlierParts: earlier.map((part, index) => ({
      year: part.year,
      countedFrom: ctx.caches.date(part.from),
      countedToExclusive: ctx.caches.date(part.to),
      days: part.days,
      amountFen: fen(part.amountFen),
      partFen: fen(earlierPartsFen[index]!),
    })),
    earlierFen: fen(earlierFen),
    partFen: fen(partFen),
    reference: p.capPerLoan.reference,
  };
  if (partFen === thisFen) return;
  const earlierText =
    earlier.length === 0
      ? 'no earlier year of its window'
      : `earlier years of its window ${earlier.map((part, index) => `${part.year}: ${part.days} days, ${yuan(part.amountFen)}${earlierPartsFen[index] !== part.amountFen ? ` (part ${yuan(earlierPartsFen[index]!)})` : ''}`).join('; ')}`;
  adjust(
    work,
    'cap_per_loan',
    p.capPerLoan.reference,
    partFen,
    `at most ${yuan(capFen)} per loan over its whole window; ${earlierText}; this year's part = min(${formatYuan(earlierFen)} + ${formatYuan(thisFen)}, ${formatYuan(capFen)}) − min(${formatYuan(earlierFen)}, ${formatYuan(capFen)}) = ${yuan(partFen)}`,
  );
}
