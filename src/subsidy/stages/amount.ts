/**
 * Stage 4 — the amount of one eligible loan: Σ over the segments of outstanding × days, × share × rate × ratio /
 * divisor (360, or 365 under ACT/365), computed exactly (bigint fen-days, then one decimal division at 60 digits) and
 * rounded once, half-up, to fen (docs/subsidy-rules.md "Day count", "Window and base"). Its trace fragment holds
 * every factor, the segments, the unrounded and rounded amounts and the formula in one line.
 */
import type { Fen } from '../../money';
import type { LineTrace, TraceSegment } from '../types';
import type { SegmentWalk } from '../windows';
import type { RunContext } from './context';
import type { LoanFacts } from './loan-facts';
import type { ShareStage } from './loan-conditions';
import { amountFormula, rateRatioOf, showFraction, type AmountFormula } from './exact';
import type { ChosenRate } from './rate';
import { fen, yuan, type TraceNotes } from './trace';

export interface AmountStage {
  roundedFen: Fen;
  /** The amount of any Σ outstanding × days under the same share, rate and ratio (for earlier years). */
  formula: AmountFormula;
}

/** The loan's rounded amount; writes the rate, ratio, day count, share, segments and formula into `trace`. */
export function amountOf(
  ctx: RunContext,
  notes: TraceNotes,
  trace: LineTrace,
  facts: LoanFacts,
  share: ShareStage,
  walk: SegmentWalk,
  chosen: ChosenRate,
): AmountStage {
  const p = ctx.p;
  const ratio = p.ratio.value!;
  const { shareNumerator, shareDenominator, supportedPart } = share;
  const { loan, principalFen } = facts;
  const rate = chosen.rate;
  const rateText = chosen.trace.rate;
  let rateRatio = ctx.caches.rateRatios.get(rate);
  if (rateRatio === undefined) {
    rateRatio = rateRatioOf(rate.times(ctx.caches.decimals.get(ratio)));
    ctx.caches.rateRatios.set(rate, rateRatio);
  }
  const formula = amountFormula(shareNumerator, shareDenominator, rateRatio, ctx.divisor);
  trace.rate = chosen.trace;
  notes.use('ratio', p.ratio);
  trace.ratio = ctx.shared.ratio!;
  notes.use('dayCount', p.dayCount);
  trace.dayCount = ctx.shared.dayCount;
  notes.use('base', p.base);
  // Without traces (a reform simulation that shows none): the amount alone, the same one.
  if (!ctx.traces) return { roundedFen: formula.roundedFen(walk.outstandingDaysFen), formula };
  const fractional = shareDenominator !== 1n;
  const shareText = fractional ? `${shareNumerator}/${shareDenominator}` : '1';
  trace.ipShare = {
    collateral: loan.collateral,
    ipPledgedFen: loan.ipPledgedFen === null || loan.ipPledgedFen === undefined ? null : fen(loan.ipPledgedFen),
    principalFen: fen(principalFen),
    ...(supportedPart ? { supportedPart } : {}),
    value: fractional ? `${shareText} = ${showFraction(shareNumerator, shareDenominator)}` : '1',
    reference: supportedPart ? supportedPart.reference : p.base.reference,
  };
  const segments = walk.segments;
  const traceSegments = new Array<TraceSegment>(segments.length);
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    const outstandingText = fen(segment.outstandingFen);
    traceSegments[i] = {
      from: ctx.caches.date(segment.from),
      toExclusive: ctx.caches.date(segment.to),
      days: ctx.daysBetween(segment.from, segment.to),
      outstandingFen: outstandingText,
      baseFen: fractional ? showFraction(segment.outstandingFen * shareNumerator, shareDenominator) : outstandingText,
    };
  }
  trace.segments = traceSegments;
  const outstandingDaysFen = walk.outstandingDaysFen;
  const outstandingDaysText = fen(outstandingDaysFen);
  trace.outstandingDaysFen = outstandingDaysText;

  // One rounding: Σ(outstanding × days) × share × rate × ratio / divisor, the multiplications first, one division,
  // then half-up to fen; exact in bigint (exact.ts), as decimal.js at 60 digits gives it.
  const { roundedFen: rounded, unroundedText } = formula.amount(outstandingDaysFen);
  trace.baseDaysFen = fractional ? showFraction(outstandingDaysFen * shareNumerator, shareDenominator) : outstandingDaysText;
  trace.amountUnroundedFen = unroundedText;
  const roundedText = fen(rounded);
  trace.amountRoundedFen = roundedText;
  // Joined rather than concatenated: one flat string, not a rope of ten pieces, for each of 100,000 lines.
  trace.formula = [
    outstandingDaysText, ' fen-days × IP share ', shareText, ' × rate ', rateText, ' × ratio ', ratio, ' / ', String(ctx.divisor),
    ' = ', unroundedText, ' fen, rounded once half-up to ', roundedText, ' fen (', yuan(rounded), ')',
  ].join('');
  return { roundedFen: rounded, formula };
}
