/**
 * Stage 3 — the annual rate the ratio applies to (docs/subsidy-rules.md "Rates"): the index fixing in force on the
 * fixing day (the latest effective date on or before it; none → `rate_not_in_force`, never a zero rate), the loan's
 * actual rate capped at k × the index when the policy says so, and the base-rate rule (index, actual, or the lower).
 * Loans with the same index, fixing day and actual rate share one rate and one trace fragment.
 */
import type { Dec } from '../../money';
import type { DayNumber } from '../dates';
import { resolveIndex } from '../rates';
import type { LineTrace } from '../types';
import type { RunContext } from './context';
import type { LoanFacts } from './loan-facts';
import type { TraceNotes } from './trace';

export interface ChosenRate {
  rate: Dec;
  trace: NonNullable<LineTrace['rate']>;
}

/** The rate of one eligible loan, with the parameters it used noted in the trace. */
export function rateOf(ctx: RunContext, notes: TraceNotes, facts: LoanFacts, fixing: { day: DayNumber; description: string }): ChosenRate {
  const p = ctx.p;
  notes.use('rateFixing', p.rateFixing);
  notes.use('baseRate', p.baseRate);
  const baseRule = p.baseRate.value;
  const usesIndex = p.rateIndex.value !== null && (baseRule.rule !== 'actual' || baseRule.actualCapMultipleOfIndex !== null);
  if (usesIndex) notes.use('rateIndex', p.rateIndex);
  const resolved = usesIndex ? resolveIndex(p.rateIndex.value!, facts.startDay, facts.maturityDay) : null;
  const annualRate = facts.loan.annualRate;
  // Keyed by index, fixing day and actual rate without building a key string for each loan.
  const index = resolved ? resolved.index : '';
  let byDay = ctx.caches.chosenRates.get(index);
  if (byDay === undefined) ctx.caches.chosenRates.set(index, (byDay = new Map()));
  let byRate = byDay.get(fixing.day);
  if (byRate === undefined) byDay.set(fixing.day, (byRate = new Map()));
  let chosen = byRate.get(annualRate);
  if (chosen === undefined) {
    chosen = chooseRate(ctx, resolved, fixing, facts);
    byRate.set(annualRate, chosen);
  }
  return chosen;
}

function chooseRate(ctx: RunContext, resolved: { index: string; termBand?: string } | null, fixing: { day: DayNumber; description: string }, facts: LoanFacts): ChosenRate {
  const p = ctx.p;
  const baseRule = p.baseRate.value;
  const loan = facts.loan;
  const actualRate = ctx.caches.decimals.get(loan.annualRate);
  let indexRate: Dec | null = null;
  let indexRateText = 'none';
  let fixingEffectiveDate = '';
  if (resolved) {
    const found = ctx.rates.inForceOn(resolved.index, fixing.day, loan.loanId);
    indexRate = ctx.caches.decimals.get(found.rate);
    indexRateText = found.rate;
    fixingEffectiveDate = ctx.caches.date(found.effectiveDay);
  }
  let cappedActual = actualRate;
  if (baseRule.actualCapMultipleOfIndex !== null && indexRate !== null) {
    const capRate = indexRate.times(baseRule.actualCapMultipleOfIndex);
    if (cappedActual.gt(capRate)) cappedActual = capRate;
  }
  const rate =
    baseRule.rule === 'index' ? indexRate! : baseRule.rule === 'actual' ? cappedActual : indexRate!.lt(cappedActual) ? indexRate! : cappedActual;
  // Shown as recorded ("0.0345"), not re-printed, so the trace reads like the rate table and the contract.
  const rateText = rate === indexRate ? indexRateText : rate === actualRate ? loan.annualRate : rate.toString();
  return {
    rate,
    trace: {
      indexChoice: p.rateIndex.value ?? 'none',
      index: resolved ? resolved.index : 'none',
      ...(resolved?.termBand ? { termBand: resolved.termBand } : {}),
      fixingRule: fixing.description,
      fixingDate: ctx.caches.date(fixing.day),
      fixingEffectiveDate,
      indexRate: indexRateText,
      actualRate: loan.annualRate,
      baseRule: baseRule.rule,
      actualCapMultipleOfIndex: baseRule.actualCapMultipleOfIndex,
      rate: rateText,
      reference: p.rateIndex.reference,
    },
  };
}
