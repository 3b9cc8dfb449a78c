/**
 * Stage 4 — the amount of one eligible loan: Σ over the segments of outstanding × days, × share × rate × ratio /
 * divisor (360, or 365 under ACT/365), computed exactly (bigint fen-days, then one decimal division at 60 digits) and
 * rounded once, half-up, to fen (docs/subsidy-rules.md "Day count", "Window and base"). Its trace fragment holds
 * every factor, the segments, the unrounded and rounded amounts and the formula in one line.
 */
import { Dec, fenToDec, roundFenHalfUp, type Fen } from '../../money';
import type { LineTrace, TraceSegment } from '../types';
import type { SegmentWalk } from '../windows';
import type { RunContext } from './context';
import type { LoanFacts } from './loan-facts';
import type { ShareStage } from './loan-conditions';
import type { ChosenRate } from './rate';
import { fen, showUnrounded, yuan, type TraceNotes } from './trace';

export interface AmountStage {
  roundedFen: Fen;
  /** The unrounded amount of any Σ outstanding × days under the same share, rate and ratio (for earlier years). */
  amountOfOutstandingDays: (outstandingDaysFen: bigint) => Dec;
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
  trace.rate = chosen.trace;
  notes.use('ratio', p.ratio);
  trace.ratio = ctx.shared.ratio!;
  notes.use('dayCount', p.dayCount);
  trace.dayCount = ctx.shared.dayCount;
  notes.use('base', p.base);
  const shareText = shareDenominator === 1n ? '1' : `${shareNumerator}/${shareDenominator}`;
  const shareDec = shareDenominator === 1n ? null : new Dec(shareNumerator.toString()).div(shareDenominator.toString());
  trace.ipShare = {
    collateral: loan.collateral,
    ipPledgedFen: loan.ipPledgedFen === null || loan.ipPledgedFen === undefined ? null : fen(loan.ipPledgedFen),
    principalFen: fen(principalFen),
    ...(supportedPart ? { supportedPart } : {}),
    value: shareDec ? `${shareText} = ${showUnrounded(shareDec)}` : '1',
    reference: supportedPart ? supportedPart.reference : p.base.reference,
  };
  trace.segments = walk.segments.map((segment): TraceSegment => {
    const outstandingText = fen(segment.outstandingFen);
    return {
      from: ctx.caches.date(segment.from),
      toExclusive: ctx.caches.date(segment.to),
      days: ctx.daysBetween(segment.from, segment.to),
      outstandingFen: outstandingText,
      baseFen: shareDec ? showUnrounded(fenToDec(segment.outstandingFen * shareNumerator).div(shareDenominator.toString())) : outstandingText,
    };
  });
  const outstandingDaysFen = walk.outstandingDaysFen;
  const outstandingDaysText = fen(outstandingDaysFen);
  trace.outstandingDaysFen = outstandingDaysText;

  // One rounding: Σ(outstanding × days) × share × rate × ratio / divisor, the multiplications first (exact in bigint
  // and at 60 digits), one division, then half-up to fen.
  let rateRatio = ctx.caches.rateTimesRatio.get(rate);
  if (rateRatio === undefined) {
    rateRatio = rate.times(ctx.caches.decimals.get(ratio));
    ctx.caches.rateTimesRatio.set(rate, rateRatio);
  }
  const rateTimesRatio = rateRatio;
  const denominator = shareDenominator === 1n ? ctx.divisorDec : new Dec((shareDenominator * BigInt(ctx.divisor)).toString());
  const amountOfOutstandingDays = (baseDaysFen: bigint) => fenToDec(baseDaysFen * shareNumerator).times(rateTimesRatio).div(denominator);
  const unrounded = amountOfOutstandingDays(outstandingDaysFen);
  const rounded = roundFenHalfUp(unrounded);
  trace.baseDaysFen = shareDec ? showUnrounded(fenToDec(outstandingDaysFen * shareNumerator).div(shareDenominator.toString())) : outstandingDaysText;
  const unroundedText = showUnrounded(unrounded);
  trace.amountUnroundedFen = unroundedText;
  trace.amountRoundedFen = fen(rounded);
  // Joined rather than concatenated: one flat string, not a rope of ten pieces, for each of 100,000 lines.
  trace.formula = [
    outstandingDaysText, ' fen-days × IP share ', shareText, ' × rate ', rateText, ' × ratio ', ratio, ' / ', String(ctx.divisor),
    ' = ', unroundedText, ' fen, rounded once half-up to ', trace.amountRoundedFen, ' fen (', yuan(rounded), ')',
  ].join('');
  return { roundedFen: rounded, amountOfOutstandingDays };
}
