/**
 * Subsidy windows and segments of outstanding principal (docs/subsidy-rules.md "Window and base").
 *
 * - Window: `[start, min(start + N months, maturity, settlement date))`; the end day is not counted.
 * - An event dated D changes the outstanding principal from day D on.
 * - The work is per segment (outstanding × days), never per day: a loan's events are sorted once and walked once.
 */
import { addMonths, type DayNumber } from './dates';

export interface LoanWindow {
  from: DayNumber;
  /** Exclusive. */
  to: DayNumber;
  endedBy: 'months' | 'maturity' | 'settlement';
}

/** On a tie the reason listed first wins: months, maturity, settlement. */
export function loanWindow(startDay: DayNumber, maturityDay: DayNumber, settlementDay: DayNumber | null, months: number): LoanWindow {
  const monthsEnd = addMonths(startDay, months);
  let to = monthsEnd;
  let endedBy: LoanWindow['endedBy'] = 'months';
  if (maturityDay < to) {
    to = maturityDay;
    endedBy = 'maturity';
  }
  if (settlementDay !== null && settlementDay < to) {
    to = settlementDay;
    endedBy = 'settlement';
  }
  return { from: startDay, to: Math.max(to, startDay), endedBy };
}

/** A change of outstanding principal: `deltaFen` from `day` on. */
export interface PrincipalChange {
  day: DayNumber;
  deltaFen: bigint;
}

export interface Segment {
  from: DayNumber;
  /** Exclusive. */
  to: DayNumber;
  outstandingFen: bigint;
}

/** Days of `[from, to)` under a day-count convention (calendar days unless told otherwise). */
export type DaysBetween = (from: DayNumber, to: DayNumber) => number;

export const calendarDays: DaysBetween = (from, to) => to - from;

export interface SegmentWalk {
  segments: Segment[];
  /** Σ outstanding × days (counted by the convention) over the segments, in fen-days. */
  outstandingDaysFen: bigint;
  /** True when the outstanding went below zero on some day up to `to` (more repaid than disbursed). */
  negative: boolean;
}

/**
 * The segments of constant outstanding principal in `[from, to)`. `changes` must be sorted by day; several changes on
 * one day act together. Changes before `from` set the opening outstanding; changes on or after `to` do not matter.
 */
export function outstandingSegments(
  changes: readonly PrincipalChange[],
  from: DayNumber,
  to: DayNumber,
  daysBetween: DaysBetween = calendarDays,
): SegmentWalk {
  const segments: Segment[] = [];
  let outstanding = 0n;
  let negative = false;
  let position = 0;
  while (position < changes.length && changes[position]!.day <= from) {
    outstanding += changes[position]!.deltaFen;
    position += 1;
  }
  if (outstanding < 0n) negative = true;
  let outstandingDays = 0n;
  let cursor = from;
  while (cursor < to) {
    // The next day the outstanding changes, within the range.
    let next = to;
    if (position < changes.length && changes[position]!.day < to) next = changes[position]!.day;
    if (next > cursor) {
      segments.push({ from: cursor, to: next, outstandingFen: outstanding });
      outstandingDays += outstanding * BigInt(daysBetween(cursor, next));
      cursor = next;
    }
    while (position < changes.length && changes[position]!.day === cursor && cursor < to) {
      outstanding += changes[position]!.deltaFen;
      position += 1;
    }
    if (outstanding < 0n) negative = true;
  }
  return { segments: mergeEqual(segments), outstandingDaysFen: outstandingDays, negative };
}

/** Adjacent segments with the same outstanding (a disbursement and a repayment that cancel) are one. */
function mergeEqual(segments: Segment[]): Segment[] {
  if (segments.length < 2) return segments;
  const merged: Segment[] = [segments[0]!];
  for (let i = 1; i < segments.length; i += 1) {
    const segment = segments[i]!;
    const last = merged[merged.length - 1]!;
    if (last.outstandingFen === segment.outstandingFen && last.to === segment.from) last.to = segment.to;
    else merged.push(segment);
  }
  return merged;
}

/** The intersection of `[a, b)` and `[c, d)`, or null when empty. */
export function intersect(a: DayNumber, b: DayNumber, c: DayNumber, d: DayNumber): { from: DayNumber; to: DayNumber } | null {
  const from = Math.max(a, c);
  const to = Math.min(b, d);
  return from < to ? { from, to } : null;
}
