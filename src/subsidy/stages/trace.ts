/**
 * How a stage writes its part of a line's trace: the clauses and interpretations it relied on (`TraceNotes`), money
 * as the trace holds it (fen as integer strings), an unrounded amount as a person reads it, and the line's working
 * state between stages (`LineWork`) with the one way an amount changes after rounding (`adjust`, which records the
 * step, the clause, before, after and the cut).
 */
import { Dec, formatYuan, type Fen } from '../../money';
import type { DayNumber } from '../dates';
import type { Parameter, ParameterName } from '../policy';
import type { Splitter } from '../split';
import type { AdjustmentStep, InterestLine, LineTrace, RunLoan, SupportLine, TraceInterpretation } from '../types';

/** The project's own text of the rules the documents leave open (cited where no clause of a document applies). */
export const RULES = 'docs/subsidy-rules.md';

/** Decimal places shown for an unrounded amount; a longer expansion ends in "…". */
const UNROUNDED_DECIMAL_PLACES = 20;

/** Fen as an integer string: how the trace, a JSON document, holds money. */
export function fen(value: Fen): string {
  return value.toString();
}

/** "1,234.50 CNY" as the trace's sentences write money. */
export function yuan(value: Fen): string {
  return `${formatYuan(value)} CNY`;
}

/** An unrounded amount as a person reads it: exact when it ends within 20 places, else cut there and marked "…". */
export function showUnrounded(value: Dec): string {
  const shown = value.toDecimalPlaces(UNROUNDED_DECIMAL_PLACES, Dec.ROUND_DOWN);
  return shown.eq(value) ? value.toFixed() : `${shown.toFixed(UNROUNDED_DECIMAL_PLACES)}…`;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFen(a: Fen, b: Fen): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One state of a trace's clause and interpretation lists. Lines that cite the same clauses in the same order share
 * one state and so one pair of arrays: 100,000 lines hold a handful of lists, not 100,000. A state's arrays are
 * never changed; citing something new moves to (or creates) the next state.
 */
export class NotesState {
  private readonly afterCite = new Map<string, NotesState>();
  private readonly afterUse = new Map<string, NotesState>();
  constructor(
    readonly clauses: readonly string[],
    readonly interpretations: readonly TraceInterpretation[],
  ) {}

  cite(reference: string): NotesState {
    let next = this.afterCite.get(reference);
    if (next === undefined) {
      next = this.clauses.includes(reference) ? this : new NotesState([...this.clauses, reference], this.interpretations);
      this.afterCite.set(reference, next);
    }
    return next;
  }

  use(name: string, parameter: Parameter<unknown>): NotesState {
    let next = this.afterUse.get(name);
    if (next === undefined) {
      next = this.cite(parameter.reference);
      if (parameter.interpretation && !next.interpretations.some((known) => known.parameter === name)) {
        const interpretation = { parameter: name, reference: parameter.reference, text: parameter.interpretation };
        next = new NotesState(next.clauses, [...next.interpretations, interpretation]);
      }
      this.afterUse.set(name, next);
    }
    return next;
  }
}

/** The clauses and interpretations one trace relies on, in the order used, without duplicates. */
export class TraceNotes {
  constructor(private state: NotesState) {}
  cite(reference: string): string {
    this.state = this.state.cite(reference);
    return reference;
  }
  use(name: ParameterName, parameter: Parameter<unknown>): void {
    this.state = this.state.use(name, parameter);
  }
  /** Writes the lists into the trace (shared arrays: read-only). */
  writeTo(trace: LineTrace): void {
    trace.clauses = this.state.clauses as string[];
    trace.interpretations = this.state.interpretations as TraceInterpretation[];
  }
}

/** The loan's amount for an earlier year of its window (per-loan window cap), rounded once. */
export interface EarlierPart {
  year: number;
  from: DayNumber;
  to: DayNumber;
  days: number;
  amountFen: Fen;
}

/** A line between the stages: its amount so far and what later stages need. */
export interface LineWork {
  line: InterestLine | SupportLine;
  /** An interest line's loan. */
  loan?: RunLoan;
  notes: TraceNotes;
  /** The amount after the stages run so far. */
  amountFen: Fen;
  /** The amount after the per-loan stages (rounding, the per-loan window cap) and before the enterprise caps. */
  beforeEnterpriseCapsFen: Fen;
  /** After the caps and other support, before the contribution cap and the budget. */
  approvedFen: Fen;
  splitter: Splitter;
  splitReference: string;
  /** Interest lines under accrual: the loan's amounts, rounded once each, for the earlier years of its window. */
  earlierParts?: EarlierPart[];
  /** Set instead when the whole window cannot pay more than the per-loan cap: that most (see `windowCap`). */
  wholeWindowAtMostFen?: Fen;
}

/** The one way a stage changes a line's amount after rounding: recorded in the trace with its clause. */
export function adjust(work: LineWork, step: AdjustmentStep, reference: string, afterFen: Fen, detail: string): void {
  work.line.trace.adjustments.push({
    step,
    reference: work.notes.cite(reference),
    beforeFen: fen(work.amountFen),
    afterFen: fen(afterFen),
    cutFen: fen(work.amountFen - afterFen),
    detail,
  });
  work.amountFen = afterFen;
}
