/**
 * What every stage of one run (or one explanation) shares: the policy's parameters, the year, and the run's caches.
 *
 * The caches live here and only here. A run of 100,000 loans and 1,000,000 events repeats a few thousand dates, a
 * handful of rates and right-type combinations and a handful of clause lists: each is parsed, formatted, looked up
 * or built once per run, and the stages ask the context for it. Nothing in a cache depends on the order loans come in.
 */
import { Dec, type Fen } from '../../money';
import { dayNumberFromCivil, formatDate, ordinal30E360, parseDate, type DayNumber } from '../dates';
import { SubsidyError, type FieldError } from '../errors';
import { unsetRequiredParameters, type DayCount, type ParameterName, type Policy, type PolicyParameters, type RightType } from '../policy';
import { RateTable } from '../rates';
import { Splitter } from '../split';
import type { LineTrace, RunInput } from '../types';
import { calendarDays, intersect, type DaysBetween } from '../windows';
import type { EnterpriseCheck } from './enterprise';
import type { RateRatio } from './exact';
import type { JurisdictionMatch } from './jurisdiction';
import { NotesState } from './trace';

/** Far beyond any loan: the exclusive end of an open-ended policy. */
const OPEN_END: DayNumber = Number.MAX_SAFE_INTEGER;

const DAY_COUNT_RULES: Record<DayCount, string> = {
  '30E/360': 'days of [a, b) = f(b) − f(a), f(d) = 360·year + 30·(month − 1) + min(day, 30); amount = Σ base × days × rate × ratio / 360',
  'ACT/360': 'days of [a, b) = calendar days from a to b; amount = Σ base × days × rate × ratio / 360',
  'ACT/365': 'days of [a, b) = calendar days from a to b; amount = Σ base × days × rate × ratio / 365',
};

export const RIGHT_TYPE_ORDER: Record<RightType, number> = { patent: 0, trademark: 1, copyright: 2 };

export function invalid(path: string, message: string): SubsidyError {
  const errors: FieldError[] = [{ path, message }];
  return new SubsidyError('input_invalid', `${path}: ${message}`, { errors });
}

export function requireFen(value: unknown, path: string): Fen {
  if (typeof value !== 'bigint') throw invalid(path, 'must be an amount in fen (bigint)');
  if (value < 0n) throw invalid(path, 'must not be negative');
  return value;
}

/** YYYYMMDD of a 10-character `YYYY-MM-DD`, or -1 when it is not digits and dashes there (parseDate says why). */
function dateKey(text: string): number {
  let key = 0;
  for (let i = 0; i < 10; i += 1) {
    const code = text.charCodeAt(i);
    if (i === 4 || i === 7) {
      if (code !== 45) return -1;
      continue;
    }
    if (code < 48 || code > 57) return -1;
    key = key * 10 + (code - 48);
  }
  return key;
}

/** Memoises `compute` per key: the one shape of every cache below. */
class Memo<K, V> {
  private readonly values = new Map<K, V>();
  constructor(private readonly compute: (key: K) => V) {}
  get(key: K): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = this.compute(key);
      this.values.set(key, value);
    }
    return value;
  }
}

/** The run's caches (see the module comment). */
export class RunCaches {
  /** Date strings repeat a lot across a million segments: each day is formatted once. */
  readonly dateTexts = new Memo<DayNumber, string>(formatDate);
  /** A million event dates hold a few thousand distinct days: each is parsed once (the path only on an error). */
  private readonly days = new Map<number, DayNumber>();
  readonly decimals = new Memo<string, Dec>((text) => new Dec(text));
  /** rate × ratio, per distinct rate object (the chosen rates below repeat across loans), also as M / 10^k. */
  readonly rateRatios = new Map<Dec, RateRatio>();
  /** The right-type fragment of a trace per (pledged types, counted type): shared, read-only. */
  readonly rightTypeTraces = new Map<number, NonNullable<LineTrace['rightType']>>();
  /** The chosen rate per (index, fixing day, actual rate), with its trace fragment: shared, read-only. */
  readonly chosenRates = new Map<string, Map<DayNumber, Map<string, { rate: Dec; trace: NonNullable<LineTrace['rate']> }>>>();
  /** Per enterprise: where it is registered and whether the policy covers it (stage 1a). */
  readonly jurisdictions = new Map<string, JurisdictionMatch>();
  /** Per enterprise: its own conditions and exclusions for the year (stage 1b). */
  readonly enterpriseChecks = new Map<string, EnterpriseCheck>();
  /** The clause lists all lines start from. */
  readonly notesRoot = new NotesState([], []);
  /** 30E/360 ordinals, once per distinct day. */
  private readonly ordinals = new Memo<DayNumber, number>(ordinal30E360);

  date(day: DayNumber): string {
    return this.dateTexts.get(day);
  }

  parseLoanDate(text: string, loanId: string, field: string): DayNumber {
    // The digits of a well-formed YYYY-MM-DD read in place (no lookup by string), then the day once per distinct date.
    const key = typeof text === 'string' && text.length === 10 ? dateKey(text) : -1;
    if (key < 0) return parseDate(text, `loans[${loanId}].${field}`); // malformed: refused, naming the field
    let day = this.days.get(key);
    if (day === undefined) {
      day = parseDate(text, `loans[${loanId}].${field}`);
      this.days.set(key, day);
    }
    return day;
  }

  /** Days of `[from, to)` under the convention. */
  dayCounter(convention: DayCount): DaysBetween {
    if (convention !== '30E/360') return calendarDays;
    return (from, to) => this.ordinals.get(to) - this.ordinals.get(from);
  }
}

/** The parameters a stage reads, the year's bounds, the shared trace fragments and the caches. */
export interface RunContext {
  policy: Policy;
  p: PolicyParameters<Fen>;
  year: number;
  /** `[yearFrom, yearTo)`. */
  yearFrom: DayNumber;
  yearTo: DayNumber;
  /** Days outside `[countFrom, countTo)` are not counted (before the policy took effect, after it ended). */
  countFrom: DayNumber;
  countTo: DayNumber;
  /** Parameters a computation needs but that are UNSET: empty in a run (it refuses itself), listed in an explanation. */
  unset: ParameterName[];
  /** Whether met conditions are recorded too (an explanation) or only missed ones (a run). */
  explain: boolean;
  /**
   * Whether each line's trace is written in full (a run, an explanation). A reform simulation that shows no trace
   * computes without: the same amounts, each line's trace holding only its run, window, rule fragments shared by
   * every line, and its reasons and adjustments, not the per-line text (segments, formula, window cap, split).
   */
  traces: boolean;
  caches: RunCaches;
  rates: RateTable;
  daysBetween: DaysBetween;
  divisor: 360 | 365;
  /** The divisor as a decimal, made once. */
  divisorDec: Dec;
  eligibleTypes: ReadonlySet<RightType>;
  /** The funding split of interest lines (null only in an explanation of a policy whose split is UNSET). */
  fundingSplitter: Splitter | null;
  /** Trace fragments that are the same for every line of the run: one shared, read-only object each. */
  shared: {
    policy: LineTrace['policy'];
    run: LineTrace['run'];
    dayCount: NonNullable<LineTrace['dayCount']>;
    ratio: NonNullable<LineTrace['ratio']> | null;
    eligibleTypeList: string[];
  };
}

/**
 * The context of a run of `input.year`: refuses a year that is not a calendar year, a policy not in force in the
 * year (`policy_not_in_force`), then a policy with a parameter the run needs UNSET (`policy_parameter_unset`, naming
 * each with its clause). An explanation (`explain`) lists UNSET parameters instead of refusing.
 */
export function prepareContext(input: Pick<RunInput, 'policy' | 'year' | 'rates'>, options: { explain: boolean; traces?: boolean }): RunContext {
  const { policy, year } = input;
  const p = policy.parameters;
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw invalid('year', 'must be a calendar year');

  const effectiveFromDay = parseDate(policy.effectiveFrom, 'policy.effectiveFrom');
  const effectiveToExclusive = policy.effectiveTo ? parseDate(policy.effectiveTo, 'policy.effectiveTo') + 1 : OPEN_END;
  const yearFrom = dayNumberFromCivil(year, 1, 1);
  const yearTo = dayNumberFromCivil(year + 1, 1, 1);
  if (!intersect(yearFrom, yearTo, effectiveFromDay, effectiveToExclusive)) {
    throw new SubsidyError(
      'policy_not_in_force',
      `policy ${policy.id} v${policy.version} is in force from ${policy.effectiveFrom}${policy.effectiveTo ? ` to ${policy.effectiveTo}` : ''}, not in ${year}`,
      { year },
    );
  }
  // A year the policy does not cover is refused first: no parameter set would make it computable.
  const unset = unsetRequiredParameters(policy);
  if (unset.length > 0 && !options.explain) {
    const named = unset.map((name) => `${name} (${p[name].reference})`).join(', ');
    throw new SubsidyError(
      'policy_parameter_unset',
      `policy ${policy.id} v${policy.version} cannot be computed: parameter${unset.length > 1 ? 's' : ''} ${named} ${unset.length > 1 ? 'are' : 'is'} not set; staff must set ${unset.length > 1 ? 'them' : 'it'} first`,
      { parameters: unset },
    );
  }

  const caches = new RunCaches();
  const divisor = p.dayCount.value === 'ACT/365' ? 365 : 360;
  const fundingSplit = p.fundingSplit.value;
  return {
    policy,
    p,
    year,
    yearFrom,
    yearTo,
    // Days before the policy took effect count only if the policy says so.
    countFrom: p.daysBeforeEffectiveFrom.value === 'counted' ? Number.MIN_SAFE_INTEGER : effectiveFromDay,
    countTo: effectiveToExclusive,
    unset,
    explain: options.explain,
    traces: options.traces ?? true,
    caches,
    rates: new RateTable(input.rates),
    daysBetween: caches.dayCounter(p.dayCount.value),
    divisor,
    divisorDec: new Dec(divisor),
    eligibleTypes: new Set<RightType>(p.eligibleRightTypes.value),
    fundingSplitter: fundingSplit ? new Splitter(fundingSplit) : null,
    shared: {
      policy: { id: policy.id, version: policy.version, documentNo: policy.documentNo, title: policy.title },
      run: { year, attribution: p.attribution.value, reference: p.attribution.reference },
      dayCount: { convention: p.dayCount.value, divisor, rule: DAY_COUNT_RULES[p.dayCount.value], reference: p.dayCount.reference },
      ratio: p.ratio.value === null ? null : { value: p.ratio.value, reference: p.ratio.reference },
      eligibleTypeList: [...p.eligibleRightTypes.value],
    },
  };
}
