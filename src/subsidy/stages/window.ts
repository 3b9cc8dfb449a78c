/**
 * Stage 2c — window and segments (docs/subsidy-rules.md "Window and base"):
 * - the window `[start, min(start + N months, maturity, settlement))`, the end day not counted;
 * - attribution to the run's year: accrual (袁府办字〔2023〕25号 奖励认定2 "一年一兑现") pays the part of the window in
 *   the year, and a loan whose window misses the year is not a line; settlement pays loans settled in the year, their
 *   whole window;
 * - the days counted: within the policy's effective period unless it counts days before it;
 * - the segments of constant outstanding principal (an event dated D changes it from day D on), Σ outstanding × days.
 */
import type { DayNumber } from '../dates';
import type { LineTrace } from '../types';
import { intersect, loanWindow, outstandingSegments, type LoanWindow, type SegmentWalk } from '../windows';
import type { ConditionSink } from './conditions';
import type { RunContext } from './context';
import type { LoanFacts } from './loan-facts';
import { RULES, type TraceNotes } from './trace';

export interface Attribution {
  window: LoanWindow;
  /** The part of the window the run pays: `[from, to)`. */
  from: DayNumber;
  to: DayNumber;
  /** Within it, the days counted (the policy's effective period). */
  countedFrom: DayNumber;
  countedTo: DayNumber;
  /** Settlement attribution: whether the loan is settled in the year (always true in a run: else it is no line). */
  settledInYear: boolean;
}

/**
 * The part of the loan's window the run for the year pays, or null when the year is not attributed the loan (no line).
 * An explanation also attributes a loan not settled yet to a policy that pays on settlement (`settledInYear: false`),
 * to say what settling it would bring.
 */
export function attribute(ctx: RunContext, facts: LoanFacts): Attribution | null {
  const window = loanWindow(facts.startDay, facts.maturityDay, facts.settlementDay, ctx.p.windowMonths.value);
  let attributed: { from: DayNumber; to: DayNumber };
  let settledInYear = true;
  if (ctx.p.attribution.value === 'accrual') {
    // The run for Y pays the part of the window that falls in Y (a loan whose window misses Y is not a line).
    const inYear = intersect(window.from, window.to, ctx.yearFrom, ctx.yearTo);
    if (!inYear) return null;
    attributed = inYear;
  } else {
    // The run for Y pays loans settled in Y, their whole window.
    const settlementDay = facts.settlementDay;
    if (settlementDay === null) {
      if (!ctx.explain || facts.startDay >= ctx.yearTo) return null;
      settledInYear = false;
    } else if (settlementDay < ctx.yearFrom || settlementDay >= ctx.yearTo) {
      return null;
    }
    attributed = { from: window.from, to: window.to };
  }
  const counted = intersect(attributed.from, attributed.to, ctx.countFrom, ctx.countTo);
  return {
    window,
    from: attributed.from,
    to: attributed.to,
    countedFrom: counted ? counted.from : attributed.from,
    countedTo: counted ? counted.to : attributed.from,
    settledInYear,
  };
}

/** A settlement-attributed loan not settled yet (explanations only: in a run it is no line). */
export function settledInYearCondition(ctx: RunContext, sink: ConditionSink, facts: LoanFacts, attribution: Attribution): void {
  if (ctx.p.attribution.value !== 'settlement') return;
  const reference = ctx.p.attribution.reference;
  if (attribution.settledInYear) {
    if (sink.all) sink.met('settled_in_year', reference, () => `settled ${ctx.caches.date(facts.settlementDay!)}, in ${ctx.year}`, () => ({ settlementDate: ctx.caches.date(facts.settlementDay!), year: ctx.year }));
    return;
  }
  sink.missed({
    code: 'settled_in_year',
    reference,
    message: `the loan is not settled: the run for ${ctx.year} pays loans settled in ${ctx.year}`,
    params: { year: ctx.year, maturityDate: facts.loan.maturityDate },
    toMeet: `settle it in ${ctx.year} (maturity ${facts.loan.maturityDate}): the run for ${ctx.year} pays loans settled in ${ctx.year}, their whole window`,
  });
}

/** The window's trace fragment (shown for ineligible lines too: it explains the attribution). */
export function windowTrace(ctx: RunContext, notes: TraceNotes, facts: LoanFacts, attribution: Attribution): NonNullable<LineTrace['window']> {
  const p = ctx.p;
  const { window, countedFrom, countedTo } = attribution;
  notes.use('windowMonths', p.windowMonths);
  if (attribution.to > attribution.from && (countedFrom !== attribution.from || countedTo !== attribution.to)) {
    notes.use('daysBeforeEffectiveFrom', p.daysBeforeEffectiveFrom);
  }
  const date = (day: DayNumber) => ctx.caches.date(day);
  return {
    from: date(window.from),
    toExclusive: date(window.to),
    endedBy: window.endedBy,
    months: p.windowMonths.value,
    settlementDate: facts.settlementDay === null ? null : date(facts.settlementDay),
    countedFrom: date(countedFrom),
    countedToExclusive: date(countedTo),
    daysCounted: ctx.daysBetween(countedFrom, countedTo),
    reference: p.windowMonths.reference,
  };
}

/** Σ outstanding × days over `[from, to)` (the base before the share), with its segments. */
export function walkBase(ctx: RunContext, facts: LoanFacts, from: DayNumber, to: DayNumber): SegmentWalk {
  if (ctx.p.base.value === 'ip_share_of_daily_outstanding') return outstandingSegments(facts.changes, from, to, ctx.daysBetween);
  if (to <= from) return { segments: [], outstandingDaysFen: 0n, negative: false };
  return {
    segments: [{ from, to, outstandingFen: facts.principalFen }],
    outstandingDaysFen: facts.principalFen * BigInt(ctx.daysBetween(from, to)),
    negative: false,
  };
}

/** Recorded repayments above the disbursements: the loans module refuses them, so this only guards the computation. */
export function outstandingCondition(sink: ConditionSink, walk: SegmentWalk): void {
  const reference = `${RULES} "Window and base"`;
  if (!walk.negative) {
    if (sink.all) sink.met('outstanding_not_negative', reference, () => 'the outstanding principal never goes below zero');
    return;
  }
  sink.missed({
    code: 'outstanding_not_negative',
    reference,
    message: 'the recorded repayments exceed the disbursements: the outstanding principal goes below zero',
    params: {},
    toMeet: 'the bank corrects the loan\'s events: the repayments recorded exceed the disbursements',
  });
}
