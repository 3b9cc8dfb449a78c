/**
 * The pure computation of a yearly subsidy run (docs/subsidy-rules.md). Plain data in, plain data out: no database,
 * no clock, no I/O. The same input, in any order, gives the same output: every list is put in a stable order (loan
 * id, USCC, kind, year) before anything depends on order.
 *
 * One parent function decides which rule applies; the leaves (windows, segments, caps, splits) are pure helpers
 * (STYLE.md "push ifs up and fors down"). The stages, in order:
 *  1. lines: each loan of an enterprise in the jurisdiction that the year is attributed to, with its ineligibility
 *     reasons (the enterprise's own conditions among them, 001 § 20);
 *  2. per eligible loan: window, segments of outstanding × supported share, rate, ratio, day count → one amount
 *     rounded once, half-up, to fen;
 *  3. on rounded amounts: the per-loan window cap across years, the enterprise caps (per right type, per year,
 *     cumulative), each cut shared among the enterprise's loans by `allocateFen`, then other support at the same
 *     fiscal level (take the higher, 000 奖励认定 1, 001 § 21);
 *  4. fee and premium support lines, each with its own cap;
 *  5. the contribution cap with carry-forward (001 § 22);
 *  6. the funding split of every line, then pro-rata scaling of each body's shares to its budget.
 */
import { Dec, allocateFen, fenToDec, formatYuan, roundFenHalfUp, sumFen, type Fen } from '../money';
import { capGroup } from './caps';
import { dayNumberFromCivil, formatDate, ordinal30E360, parseDate, yearOf, type DayNumber } from './dates';
import { SubsidyError, type FieldError } from './errors';
import {
  unsetRequiredParameters,
  type DayCount,
  type EnterpriseCondition,
  type FeeKind,
  type FundingShare,
  type Parameter,
  type ParameterName,
  type RightType,
} from './policy';
import { RateTable, fixingDay, resolveIndex } from './rates';
import { Splitter, scaleToBudget } from './split';
import type {
  AdjustmentStep,
  BodyAmount,
  InterestLine,
  LineTrace,
  Reason,
  ReasonCode,
  ReasonParams,
  RunCarry,
  RunCarryOut,
  RunContributionSummary,
  RunInput,
  RunLoan,
  RunResult,
  RunSubsidisedAsset,
  SupportKind,
  SupportLine,
  TraceBudget,
  TraceEnterpriseCondition,
  TraceInterpretation,
  TraceItem,
  TraceSegment,
  TraceSupportedPart,
} from './types';
import { calendarDays, intersect, loanWindow, outstandingSegments, type DaysBetween, type PrincipalChange, type Segment } from './windows';

/** Decimal places shown for a budget factor (the exact fraction is shown beside it). */
const FACTOR_DECIMAL_PLACES = 20;
/** Far beyond any loan: the exclusive end of an open-ended policy. */
const OPEN_END: DayNumber = Number.MAX_SAFE_INTEGER;

/** The project's own text of the rules the documents leave open (cited where no clause of a document applies). */
const RULES = 'docs/subsidy-rules.md';

const DAY_COUNT_RULES: Record<DayCount, string> = {
  '30E/360': 'days of [a, b) = f(b) − f(a), f(d) = 360·year + 30·(month − 1) + min(day, 30); amount = Σ base × days × rate × ratio / 360',
  'ACT/360': 'days of [a, b) = calendar days from a to b; amount = Σ base × days × rate × ratio / 360',
  'ACT/365': 'days of [a, b) = calendar days from a to b; amount = Σ base × days × rate × ratio / 365',
};

const RIGHT_TYPE_ORDER: Record<RightType, number> = { patent: 0, trademark: 1, copyright: 2 };
/** The distinct right types of a pledge list, in the order patent, trademark, copyright, by bit mask (shared arrays). */
const PLEDGED_TYPES_BY_MASK: RightType[][] = Array.from({ length: 8 }, (_, mask) =>
  (['patent', 'trademark', 'copyright'] as const).filter((type) => (mask & (1 << RIGHT_TYPE_ORDER[type])) !== 0),
);
const SUPPORT_KIND_ORDER: Record<SupportKind, number> = {
  fee_evaluation: 0,
  fee_guarantee: 1,
  fee_insurance: 2,
  premium: 3,
  carried_forward: 4,
};

// ---------------------------------------------------------------------------------------------------------------
// Small pure helpers

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function invalid(path: string, message: string): SubsidyError {
  const errors: FieldError[] = [{ path, message }];
  return new SubsidyError('input_invalid', `${path}: ${message}`, { errors });
}

function requireFen(value: unknown, path: string): Fen {
  if (typeof value !== 'bigint') throw invalid(path, 'must be an amount in fen (bigint)');
  if (value < 0n) throw invalid(path, 'must not be negative');
  return value;
}

/** Fen as an integer string: how the trace, a JSON document, holds money. */
function fen(value: Fen): string {
  return value.toString();
}

/** Decimal places shown for an unrounded amount; a longer expansion ends in "…". */
const UNROUNDED_DECIMAL_PLACES = 20;

/** An unrounded amount as a person reads it: exact when it ends within 20 places, else cut there and marked "…". */
function showUnrounded(value: Dec): string {
  const shown = value.toDecimalPlaces(UNROUNDED_DECIMAL_PLACES, Dec.ROUND_DOWN);
  return shown.eq(value) ? value.toFixed() : `${shown.toFixed(UNROUNDED_DECIMAL_PLACES)}…`;
}

function yuan(value: Fen): string {
  return `${formatYuan(value)} CNY`;
}

function minFen(a: Fen, b: Fen): Fen {
  return a < b ? a : b;
}

/** Days of `[from, to)` under the convention; 30E/360 ordinals are computed once per distinct day. */
function dayCounter(convention: DayCount): DaysBetween {
  if (convention !== '30E/360') return calendarDays;
  const ordinals = new Map<DayNumber, number>();
  const ordinal = (day: DayNumber): number => {
    let value = ordinals.get(day);
    if (value === undefined) {
      value = ordinal30E360(day);
      ordinals.set(day, value);
    }
    return value;
  };
  return (from, to) => ordinal(to) - ordinal(from);
}

function reason(code: ReasonCode, message: string, reference: string, params: ReasonParams = {}): Reason {
  return { code, message, reference, params };
}

/** Date strings repeat a lot across a million segments: format each day once per run. */
class DateFormatter {
  private readonly cache = new Map<DayNumber, string>();
  format(day: DayNumber): string {
    let text = this.cache.get(day);
    if (text === undefined) {
      text = formatDate(day);
      this.cache.set(day, text);
    }
    return text;
  }
}

/** A million event dates hold a few thousand distinct days: parse each once per run. */
class DateParser {
  private readonly cache = new Map<string, DayNumber>();
  /** `loanId` and `field` name the field in an error; the path is built only then. */
  parse(text: string, loanId: string, field: string): DayNumber {
    let day = this.cache.get(text);
    if (day === undefined) {
      day = parseDate(text, `loans[${loanId}].${field}`);
      this.cache.set(text, day);
    }
    return day;
  }
}

class DecimalCache {
  private readonly cache = new Map<string, Dec>();
  get(text: string): Dec {
    let value = this.cache.get(text);
    if (value === undefined) {
      value = new Dec(text);
      this.cache.set(text, value);
    }
    return value;
  }
}

/**
 * One state of a trace's clause and interpretation lists. Lines that cite the same clauses in the same order share
 * one state and so one pair of arrays: 100,000 lines hold a handful of lists, not 100,000. A state's arrays are
 * never changed; citing something new moves to (or creates) the next state.
 */
class NotesState {
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
class TraceNotes {
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

// ---------------------------------------------------------------------------------------------------------------
// Working state of a line between the stages

interface LineWork {
  line: InterestLine | SupportLine;
  notes: TraceNotes;
  /** The amount after the stages run so far. */
  amountFen: Fen;
  /** For interest lines: the amount approved (after the caps), before the contribution cap and the budget. */
  approvedFen: Fen;
  splitter: Splitter;
  splitReference: string;
  /** Interest lines under accrual: the loan's amounts, rounded once each, for the earlier years of its window. */
  earlierParts?: EarlierPart[];
  /** Set instead when the whole window cannot pay more than the per-loan cap: that most (see `windowCap`). */
  wholeWindowAtMostFen?: Fen;
}

interface EarlierPart {
  year: number;
  from: DayNumber;
  to: DayNumber;
  days: number;
  amountFen: Fen;
}

function adjust(work: LineWork, step: AdjustmentStep, reference: string, afterFen: Fen, detail: string): void {
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

// ---------------------------------------------------------------------------------------------------------------
// The run

export function computeRun(input: RunInput): RunResult {
  const { policy, year } = input;
  const p = policy.parameters;

  const unset = unsetRequiredParameters(policy);
  if (unset.length > 0) {
    const named = unset.map((name) => `${name} (${p[name].reference})`).join(', ');
    throw new SubsidyError(
      'policy_parameter_unset',
      `policy ${policy.id} v${policy.version} cannot be computed: parameter${unset.length > 1 ? 's' : ''} ${named} ${unset.length > 1 ? 'are' : 'is'} not set; staff must set ${unset.length > 1 ? 'them' : 'it'} first`,
      { parameters: unset },
    );
  }
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
  // Days before the policy took effect count only if the policy says so.
  const countFrom = p.daysBeforeEffectiveFrom.value === 'counted' ? Number.MIN_SAFE_INTEGER : effectiveFromDay;
  const countTo = effectiveToExclusive;

  const dates = new DateFormatter();
  const notesRoot = new NotesState([], []);
  const parser = new DateParser();
  /** rate × ratio, per distinct rate object (the cached index and actual rates repeat across loans). */
  const rateTimesRatio = new Map<Dec, Dec>();
  const rightTypeTraces = new Map<number, NonNullable<LineTrace['rightType']>>();
  const chosenRates = new Map<string, { rate: Dec; trace: NonNullable<LineTrace['rate']> }>();
  const decimals = new DecimalCache();
  const fundingSplit = p.fundingSplit.value!;
  const fundingSplitter = new Splitter(fundingSplit);
  const ratio = p.ratio.value!;
  const ratioDec = new Dec(ratio);
  const divisor = p.dayCount.value === 'ACT/365' ? 365 : 360;
  const divisorDec = new Dec(divisor);
  const daysBetween = dayCounter(p.dayCount.value);
  // Parts of a trace that are the same for every line are one shared (read-only) object.
  const ratioTrace = { value: ratio, reference: p.ratio.reference };
  const dayCountTrace = { convention: p.dayCount.value, divisor, rule: DAY_COUNT_RULES[p.dayCount.value], reference: p.dayCount.reference };
  const attribution = p.attribution.value;
  const policyHeader = { id: policy.id, version: policy.version, documentNo: policy.documentNo, title: policy.title };
  const runHeader = { year, attribution, reference: p.attribution.reference };

  // ---- indexes over the inputs ----
  const enterprises = new Map<string, RunInput['enterprises'][number]>();
  input.enterprises.forEach((enterprise, position) => {
    if (enterprises.has(enterprise.uscc)) throw invalid(`enterprises.${position}.uscc`, `enterprise ${enterprise.uscc} is listed twice`);
    enterprises.set(enterprise.uscc, enterprise);
  });
  const jurisdictionCache = new Map<string, LineTrace['jurisdiction'] | null>();
  const jurisdictionOf = (uscc: string): LineTrace['jurisdiction'] | null => {
    let found = jurisdictionCache.get(uscc);
    if (found === undefined) {
      found = jurisdictionFor(uscc);
      jurisdictionCache.set(uscc, found);
    }
    return found;
  };
  const jurisdictionFor = (uscc: string): LineTrace['jurisdiction'] | null => {
    const record = enterprises.get(uscc);
    const divisionCode = record ? record.divisionCode : uscc.substring(2, 8);
    const matchedPrefix = policy.jurisdiction.divisionPrefixes.find((prefix) => divisionCode.startsWith(prefix));
    if (matchedPrefix === undefined) return null;
    return {
      divisionCode,
      source: record ? 'enterprise_record' : 'uscc',
      matchedPrefix,
      reference: policy.jurisdiction.reference ?? `${RULES} "Jurisdiction"`,
    };
  };

  const exclusionsByUscc = new Map<string, RunInput['exclusions']>();
  if (p.exclusions.value === 'apply') {
    for (const exclusion of input.exclusions) {
      if (exclusion.year !== year) continue;
      let list = exclusionsByUscc.get(exclusion.uscc);
      if (!list) exclusionsByUscc.set(exclusion.uscc, (list = []));
      list.push(exclusion);
    }
    for (const list of exclusionsByUscc.values()) {
      list.sort((a, b) => compareStrings(a.reason, b.reason) || compareStrings(a.setBy ?? '', b.setBy ?? ''));
    }
  }
  const exclusionReason = (uscc: string): Reason | null => {
    const flags = exclusionsByUscc.get(uscc);
    if (!flags || flags.length === 0) return null;
    const text = flags.map((flag) => `${flag.reason}${flag.setBy ? ` (flagged by ${flag.setBy})` : ''}`).join('; ');
    return reason('enterprise_excluded', `enterprise ${uscc} is excluded for ${year}: ${text}`, p.exclusions.reference, {
      uscc,
      year,
      reasons: flags.map((flag) => flag.reason).join('; '),
      ...(flags.some((flag) => flag.setBy) ? { setBy: flags.map((flag) => flag.setBy ?? '').filter(Boolean).join('; ') } : {}),
    });
  };

  // ---- 001 § 20: the enterprise itself (independent legal person, in normal operation) ----
  const conditions = p.enterpriseConditions.value;
  const statusByUscc = new Map<string, RunInput['enterpriseStatus']>();
  if (conditions) {
    input.enterpriseStatus.forEach((record, position) => {
      const from = parseDate(record.from, `enterpriseStatus.${position}.from`);
      const to = record.to === null ? null : parseDate(record.to, `enterpriseStatus.${position}.to`);
      if (to !== null && to < from) throw invalid(`enterpriseStatus.${position}.to`, 'must not be before from');
      // A record counts for the run of every year its period [from, to] overlaps.
      if (from >= yearTo || (to !== null && to < yearFrom)) return;
      let list = statusByUscc.get(record.uscc);
      if (!list) statusByUscc.set(record.uscc, (list = []));
      list.push(record);
    });
    for (const list of statusByUscc.values()) list.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.recordId, b.recordId));
  }
  const conditionChecks = new Map<string, { reasons: Reason[]; trace: NonNullable<LineTrace['enterprise']> }>();
  /** The enterprise's conditions for this run: the reasons they give (none when met) and their trace. */
  const enterpriseConditions = (uscc: string): { reasons: Reason[]; trace: NonNullable<LineTrace['enterprise']> } | null => {
    if (!conditions) return null;
    let found = conditionChecks.get(uscc);
    if (found) return found;
    const reasons: Reason[] = [];
    const checked: TraceEnterpriseCondition[] = [];
    const records = statusByUscc.get(uscc) ?? [];
    const reference = p.enterpriseConditions.reference;
    const check = (condition: EnterpriseCondition, code: ReasonCode, what: string) => {
      const prefix = condition === 'not_independent_legal_person'
        ? conditions.notLegalPersonUsccPrefixes.find((candidate) => uscc.startsWith(candidate))
        : undefined;
      const matching = records.filter((record) => record.condition === condition);
      if (prefix !== undefined) {
        checked.push({ condition, met: false, source: 'uscc_prefix', recordIds: [] });
        reasons.push(
          reason(
            code,
            `enterprise ${uscc} is an individual business (USCC beginning ${prefix}): it is not ${what}`,
            reference,
            { uscc, usccPrefix: prefix },
          ),
        );
        return;
      }
      if (matching.length === 0) {
        checked.push({ condition, met: true, source: 'no_record', recordIds: [] });
        return;
      }
      checked.push({ condition, met: false, source: 'record', recordIds: matching.map((record) => record.recordId) });
      const first = matching[0]!;
      const period = (record: (typeof matching)[number]) => (record.to === null ? `from ${record.from}` : `from ${record.from} to ${record.to}`);
      reasons.push(
        reason(
          code,
          `staff recorded that enterprise ${uscc} is not ${what} ${matching.map((record) => `${period(record)} (${record.reason}${record.recordedBy ? `, recorded by ${record.recordedBy}` : ''})`).join('; ')}`,
          reference,
          {
            uscc,
            recordId: first.recordId,
            from: first.from,
            ...(first.to === null ? {} : { to: first.to }),
            reason: first.reason,
            records: matching.length,
          },
        ),
      );
    };
    if (conditions.independentLegalPerson) check('not_independent_legal_person', 'enterprise_not_independent_legal_person', 'an independent legal person');
    if (conditions.normalOperation) check('not_in_normal_operation', 'enterprise_not_in_normal_operation', 'in normal operation');
    found = { reasons, trace: { uscc, conditions: checked, reference } };
    conditionChecks.set(uscc, found);
    return found;
  };

  const otherSupportByLoan = new Map<string, RunInput['otherSupport']>();
  const doubleSupport = p.noDoubleSupport.value;
  if (doubleSupport) {
    input.otherSupport.forEach((support, position) => {
      requireFen(support.amountFen, `otherSupport.${position}.amountFen`);
      if (!doubleSupport.fiscalLevels.includes(support.fiscalLevel)) return;
      if (support.year !== undefined && support.year !== year) return;
      let list = otherSupportByLoan.get(support.loanId);
      if (!list) otherSupportByLoan.set(support.loanId, (list = []));
      list.push(support);
    });
    for (const list of otherSupportByLoan.values()) {
      list.sort((a, b) => compareStrings(a.programme, b.programme) || compareStrings(a.fiscalLevel, b.fiscalLevel) || (a.amountFen < b.amountFen ? -1 : a.amountFen > b.amountFen ? 1 : 0));
    }
  }

  const priorAssets = new Map<string, RunSubsidisedAsset[]>();
  if (p.sameAsset.value === 'one_year_only') {
    for (const asset of input.priorSubsidisedAssets) {
      if (asset.year === year) continue;
      const key = `${asset.rightType}\u0000${asset.number}`;
      let list = priorAssets.get(key);
      if (!list) priorAssets.set(key, (list = []));
      list.push(asset);
    }
    for (const list of priorAssets.values()) list.sort((a, b) => a.year - b.year || compareStrings(a.loanId, b.loanId));
  }

  const cumulativePaid = new Map<string, Fen>();
  (input.cumulativePaid ?? []).forEach((entry, position) => {
    const amount = requireFen(entry.amountFen, `cumulativePaid.${position}.amountFen`);
    cumulativePaid.set(entry.uscc, (cumulativePaid.get(entry.uscc) ?? 0n) + amount);
  });

  const rates = new RateTable(input.rates);
  const eligibleTypes = new Set<RightType>(p.eligibleRightTypes.value);
  const eligibleTypeList: string[] = [...p.eligibleRightTypes.value];
  const precedence = p.rightTypePrecedence.value;
  const countedRightType = (loan: RunLoan): RightType | null => {
    for (const type of precedence) {
      if (eligibleTypes.has(type) && loan.pledges.some((pledge) => pledge.rightType === type)) return type;
    }
    return null;
  };

  // ---- stage 1 and 2: lines and their rounded amounts ----
  const loans = [...input.loans].sort((a, b) => compareStrings(a.loanId, b.loanId));
  const loansById = new Map<string, RunLoan>();
  const interestWork: LineWork[] = [];
  loans.forEach((loan, position) => {
    if (loansById.has(loan.loanId)) throw invalid(`loans.${position}.loanId`, `loan ${loan.loanId} is listed twice`);
    loansById.set(loan.loanId, loan);
    const work = computeLoanLine(loan);
    if (work) interestWork.push(work);
  });

  /** The annual rate the ratio applies to, by the base-rate rule, with its trace. */
  function chooseRate(
    resolved: { index: string; termBand?: string } | null,
    fixing: { day: DayNumber; description: string },
    loan: RunLoan,
  ): { rate: Dec; trace: NonNullable<LineTrace['rate']> } {
    const baseRule = p.baseRate.value;
    const actualRate = decimals.get(loan.annualRate);
    let indexRate: Dec | null = null;
    let indexRateText = 'none';
    let fixingEffectiveDate = '';
    if (resolved) {
      const found = rates.inForceOn(resolved.index, fixing.day, loan.loanId);
      indexRate = decimals.get(found.rate);
      indexRateText = found.rate;
      fixingEffectiveDate = dates.format(found.effectiveDay);
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
        fixingDate: dates.format(fixing.day),
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

  function computeLoanLine(loan: RunLoan): LineWork | null {
    const loanId = loan.loanId;
    const path = (field: string) => `loans[${loanId}].${field}`;
    const jurisdiction = jurisdictionOf(loan.enterpriseUscc);
    if (!jurisdiction) return null; // POLICY.md "Jurisdiction": not a line of the run at all.

    const principalFen = requireFen(loan.principalFen, path('principalFen'));
    if (principalFen === 0n) throw invalid(path('principalFen'), 'must be above zero');
    if (loan.ipPledgedFen !== null && loan.ipPledgedFen !== undefined) {
      const ip = requireFen(loan.ipPledgedFen, path('ipPledgedFen'));
      if (ip > principalFen) throw invalid(path('ipPledgedFen'), 'must not exceed the principal');
    }
    const startDay = parser.parse(loan.startDate, loanId, 'startDate');
    const maturityDay = parser.parse(loan.maturityDate, loanId, 'maturityDate');
    if (maturityDay <= startDay) throw invalid(path('maturityDate'), 'must be after the start date');
    const contractDay = loan.contractDate ? parser.parse(loan.contractDate, loanId, 'contractDate') : null;

    // Events: sorted once; principal changes feed the segments.
    const changes: PrincipalChange[] = [];
    let settlementDay: DayNumber | null = null;
    let firstLateDay: DayNumber | null = null;
    let firstLateType = '';
    for (let i = 0; i < loan.events.length; i += 1) {
      const event = loan.events[i]!;
      const day = parser.parse(event.date, loanId, `events.${i}.date`);
      switch (event.type) {
        case 'disbursement':
        case 'principal_repayment': {
          const amountFen = event.amountFen;
          if (typeof amountFen !== 'bigint' || amountFen < 0n) requireFen(amountFen, path(`events.${i}.amountFen`)); // throws
          changes.push({ day, deltaFen: event.type === 'disbursement' ? amountFen! : -amountFen! });
          break;
        }
        case 'settlement':
          if (settlementDay === null || day < settlementDay) settlementDay = day;
          break;
        case 'overdue':
        case 'default':
          if (firstLateDay === null || day < firstLateDay || (day === firstLateDay && event.type < firstLateType)) {
            firstLateDay = day;
            firstLateType = event.type;
          }
          break;
        case 'interest_payment':
          break;
        default:
          throw invalid(path(`events.${i}.type`), `unknown event type "${String((event as { type: unknown }).type)}"`);
      }
    }
    changes.sort((a, b) => a.day - b.day);

    const window = loanWindow(startDay, maturityDay, settlementDay, p.windowMonths.value);
    let attributed: { from: DayNumber; to: DayNumber };
    if (attribution === 'accrual') {
      // The run for Y pays the part of the window that falls in Y (a loan whose window misses Y is not a line).
      const inYear = intersect(window.from, window.to, yearFrom, yearTo);
      if (!inYear) return null;
      attributed = inYear;
    } else {
      // The run for Y pays loans settled in Y, their whole window.
      if (settlementDay === null || settlementDay < yearFrom || settlementDay >= yearTo) return null;
      attributed = { from: window.from, to: window.to };
    }
    const counted = intersect(attributed.from, attributed.to, countFrom, countTo);
    const countedFrom = counted ? counted.from : attributed.from;
    const countedTo = counted ? counted.to : attributed.from;

    const notes = new TraceNotes(notesRoot);
    const reasons: Reason[] = [];
    const trace: LineTrace = {
      policy: policyHeader,
      run: runHeader,
      clauses: notesRoot.clauses as string[],
      jurisdiction,
      adjustments: [],
      interpretations: notesRoot.interpretations as TraceInterpretation[],
      reasons,
    };
    notes.cite(jurisdiction.reference);
    notes.use('attribution', p.attribution);

    // Which right type the loan counts under.
    const rightType = countedRightType(loan);
    notes.use('eligibleRightTypes', p.eligibleRightTypes);
    let pledgedMask = 0;
    for (const pledge of loan.pledges) pledgedMask |= 1 << RIGHT_TYPE_ORDER[pledge.rightType];
    const pledgedTypes = PLEDGED_TYPES_BY_MASK[pledgedMask]!;
    if (pledgedTypes.filter((type) => eligibleTypes.has(type)).length > 1) notes.use('rightTypePrecedence', p.rightTypePrecedence);
    const rightTypeKey = pledgedMask * 4 + (rightType === null ? 3 : RIGHT_TYPE_ORDER[rightType]);
    let rightTypeTrace = rightTypeTraces.get(rightTypeKey);
    if (rightTypeTrace === undefined) {
      rightTypeTrace = { pledged: pledgedTypes, counted: rightType, eligible: eligibleTypeList, reference: p.eligibleRightTypes.reference };
      rightTypeTraces.set(rightTypeKey, rightTypeTrace);
    }
    trace.rightType = rightTypeTrace;

    // Ineligibility reasons, all of them, in a fixed order.
    const enterprise = enterpriseConditions(loan.enterpriseUscc);
    if (enterprise) {
      notes.use('enterpriseConditions', p.enterpriseConditions);
      trace.enterprise = enterprise.trace;
      reasons.push(...enterprise.reasons);
    }
    const exclusion = exclusionReason(loan.enterpriseUscc);
    if (exclusion) reasons.push(exclusion);
    if (rightType === null) {
      const pledgedText = pledgedTypes.length > 0 ? pledgedTypes.join(', ') : 'no right';
      reasons.push(
        reason(
          'right_type_not_eligible',
          `the loan pledges ${pledgedText}; the policy supports ${p.eligibleRightTypes.value.join(', ')} only`,
          p.eligibleRightTypes.reference,
          { pledged: pledgedTypes.join(', '), eligible: p.eligibleRightTypes.value.join(', ') },
        ),
      );
    }
    const ipKnown = loan.collateral === 'ip_only' || (loan.ipPledgedFen !== null && loan.ipPledgedFen !== undefined);
    if (loan.collateral === 'combination') notes.use('combinationIpPartUnknown', p.combinationIpPartUnknown);
    if (!ipKnown) {
      reasons.push(
        reason(
          'combination_ip_part_unknown',
          `a combination loan whose contract does not state the IP-pledged part: the IP part of the principal ${formatYuan(principalFen)} cannot be separated, so it is not subsidised`,
          p.combinationIpPartUnknown.reference,
          { principal: formatYuan(principalFen) },
        ),
      );
    }
    // The IP part: the principal of an IP-only loan, the stated part of a combination loan.
    const ipPartFen = loan.collateral === 'ip_only' ? principalFen : (loan.ipPledgedFen ?? 0n);
    // Only the part secured by supported right types (000 "对专利权质押部分…"; 001 § 6 "只计算…"): when the loan also
    // pledges a type the policy does not support, min(IP part, Σ secured amounts of the supported pledges).
    let supportedPart: TraceSupportedPart | undefined;
    let supportedFen: Fen | null = null;
    const unsupportedTypes = pledgedTypes.filter((type) => !eligibleTypes.has(type));
    // Pledges in a stable order (right type, then number), so the reasons and the trace do not depend on input order.
    const sortedPledges =
      loan.pledges.length < 2
        ? loan.pledges
        : [...loan.pledges].sort((a, b) => RIGHT_TYPE_ORDER[a.rightType] - RIGHT_TYPE_ORDER[b.rightType] || compareStrings(a.number, b.number));
    if (p.supportedPart.value === 'secured_by_eligible_pledges' && rightType !== null && unsupportedTypes.length > 0) {
      notes.use('supportedPart', p.supportedPart);
      const missing = sortedPledges.filter((pledge) => pledge.securedFen === null || pledge.securedFen === undefined);
      let securedSupportedFen: Fen | null = null;
      if (missing.length === 0) {
        securedSupportedFen = 0n;
        loan.pledges.forEach((pledge, index) => {
          const securedFen = requireFen(pledge.securedFen, path(`pledges.${index}.securedFen`));
          if (eligibleTypes.has(pledge.rightType)) securedSupportedFen! += securedFen;
        });
        supportedFen = minFen(ipPartFen, securedSupportedFen);
      } else {
        const missingText = missing.map((pledge) => `${pledge.rightType} ${pledge.number}`).join(', ');
        reasons.push(
          reason(
            'secured_amount_missing',
            `the loan also pledges ${unsupportedTypes.join(', ')}, which the policy does not support: only the part secured by its ${p.eligibleRightTypes.value.join(', ')} pledges is paid, min(IP part, Σ their secured amounts), and it cannot be computed until each pledge's securedAmount is recorded (missing: ${missingText})`,
            p.supportedPart.reference,
            { unsupported: unsupportedTypes.join(', '), missing: missingText, missingCount: missing.length },
          ),
        );
      }
      supportedPart = {
        ipPartFen: fen(ipPartFen),
        pledges: sortedPledges.map((pledge) => ({
          rightType: pledge.rightType,
          number: pledge.number,
          securedFen: pledge.securedFen === null || pledge.securedFen === undefined ? null : fen(pledge.securedFen),
          supported: eligibleTypes.has(pledge.rightType),
        })),
        securedSupportedFen: securedSupportedFen === null ? null : fen(securedSupportedFen),
        supportedPartFen: supportedFen === null ? null : fen(supportedFen),
        reference: p.supportedPart.reference,
      };
    }
    // The share of the daily outstanding the rate applies to, as an exact fraction (1/1 when the whole loan counts).
    let shareNumerator = loan.collateral === 'ip_only' ? 1n : (loan.ipPledgedFen ?? 0n);
    let shareDenominator = loan.collateral === 'ip_only' ? 1n : principalFen;
    if (supportedFen !== null && supportedFen !== principalFen) {
      shareNumerator = supportedFen;
      shareDenominator = principalFen;
    }
    if (ipKnown && loan.collateral === 'combination' && p.minIpShareOfCombination.value !== null) {
      const minimum = decimals.get(p.minIpShareOfCombination.value);
      if (new Dec(shareNumerator.toString()).div(shareDenominator.toString()).lt(minimum)) {
        reasons.push(
          reason(
            'ip_share_below_minimum',
            `the IP share ${formatYuan(shareNumerator)} / ${formatYuan(shareDenominator)} is below the minimum ${p.minIpShareOfCombination.value}`,
            p.minIpShareOfCombination.reference,
            { ipPart: formatYuan(shareNumerator), principal: formatYuan(shareDenominator), minimum: p.minIpShareOfCombination.value },
          ),
        );
      }
    }
    if (p.condition.value === 'repaid_on_time') {
      notes.use('condition', p.condition);
      if (settlementDay === null) {
        reasons.push(
          reason(
            'not_settled',
            `the loan is not settled: it cannot yet have been repaid on time (maturity ${loan.maturityDate})`,
            p.condition.reference,
            { maturityDate: loan.maturityDate },
          ),
        );
      }
      if (firstLateDay !== null) {
        reasons.push(
          reason(
            'repaid_late',
            `the loan was not repaid on time: ${firstLateType} event on ${dates.format(firstLateDay)}`,
            p.condition.reference,
            { eventType: firstLateType, date: dates.format(firstLateDay) },
          ),
        );
      }
    }
    if (p.sameAsset.value === 'one_year_only') {
      notes.use('sameAsset', p.sameAsset);
      const named: string[] = [];
      const numbers: string[] = [];
      const years = new Set<number>();
      for (const pledge of sortedPledges) {
        if (!eligibleTypes.has(pledge.rightType)) continue;
        const prior = priorAssets.get(`${pledge.rightType}\u0000${pledge.number}`);
        if (!prior) continue;
        named.push(`${pledge.rightType} ${pledge.number} was subsidised in ${prior.map((asset) => `${asset.year} (loan ${asset.loanId})`).join(', ')}`);
        numbers.push(pledge.number);
        for (const asset of prior) years.add(asset.year);
      }
      if (named.length > 0) {
        reasons.push(
          reason('asset_subsidised_in_another_year', `${named.join('; ')}: the same asset is subsidised in one year only`, p.sameAsset.reference, {
            numbers: numbers.join(', '),
            years: [...years].sort((a, b) => a - b).join(', '),
          }),
        );
      }
    }
    const fixing = fixingDay(p.rateFixing.value, { startDay, maturityDay, contractDay, settlementDay });
    if (!fixing.ok) {
      reasons.push(reason('contract_date_missing', 'the rate is fixed by the contract date, which the loan does not record', p.rateFixing.reference));
    }

    // Window and segments (shown for ineligible lines too: they cost little and explain the attribution).
    notes.use('windowMonths', p.windowMonths);
    if (attributed.to > attributed.from && (countedFrom !== attributed.from || countedTo !== attributed.to)) {
      notes.use('daysBeforeEffectiveFrom', p.daysBeforeEffectiveFrom);
    }
    trace.window = {
      from: dates.format(window.from),
      toExclusive: dates.format(window.to),
      endedBy: window.endedBy,
      months: p.windowMonths.value,
      settlementDate: settlementDay === null ? null : dates.format(settlementDay),
      countedFrom: dates.format(countedFrom),
      countedToExclusive: dates.format(countedTo),
      daysCounted: daysBetween(countedFrom, countedTo),
      reference: p.windowMonths.reference,
    };

    /** Σ outstanding × days over [from, to) (the base before the share), with its segments. */
    const walkBase = (from: DayNumber, to: DayNumber): { segments: Segment[]; outstandingDaysFen: bigint; negative: boolean } => {
      if (p.base.value === 'ip_share_of_daily_outstanding') return outstandingSegments(changes, from, to, daysBetween);
      if (to <= from) return { segments: [], outstandingDaysFen: 0n, negative: false };
      return { segments: [{ from, to, outstandingFen: principalFen }], outstandingDaysFen: principalFen * BigInt(daysBetween(from, to)), negative: false };
    };
    const walk = walkBase(countedFrom, countedTo);
    const segments = walk.segments;
    const outstandingDaysFen = walk.outstandingDaysFen;
    if (walk.negative) {
      reasons.push(
        reason(
          'outstanding_negative',
          'the recorded repayments exceed the disbursements: the outstanding principal goes below zero',
          `${RULES} "Window and base"`,
        ),
      );
    }

    const eligible = reasons.length === 0;
    const line: InterestLine = {
      kind: 'interest',
      lineId: `interest:${loan.loanId}`,
      loanId: loan.loanId,
      enterpriseUscc: loan.enterpriseUscc,
      rightType,
      amountFen: 0n,
      shares: [],
      eligible,
      reasons,
      trace,
    };
    const work: LineWork = {
      line,
      notes,
      amountFen: 0n,
      approvedFen: 0n,
      splitter: fundingSplitter,
      splitReference: p.fundingSplit.reference,
    };
    if (!eligible || !fixing.ok) return work;

    // The rate: index fixing, actual rate, the base-rate rule.
    notes.use('rateFixing', p.rateFixing);
    notes.use('baseRate', p.baseRate);
    const baseRule = p.baseRate.value;
    const usesIndex = p.rateIndex.value !== null && (baseRule.rule !== 'actual' || baseRule.actualCapMultipleOfIndex !== null);
    if (usesIndex) notes.use('rateIndex', p.rateIndex);
    const resolved = usesIndex ? resolveIndex(p.rateIndex.value!, startDay, maturityDay) : null;
    // Loans with the same index, fixing date and actual rate share one rate (and one trace object for it).
    const rateKey = `${resolved ? resolved.index : ''}\u0000${fixing.day}\u0000${loan.annualRate}`;
    let chosen = chosenRates.get(rateKey);
    if (chosen === undefined) {
      chosen = chooseRate(resolved, fixing, loan);
      chosenRates.set(rateKey, chosen);
    }
    const rate = chosen.rate;
    const rateText = chosen.trace.rate;
    trace.rate = chosen.trace;
    notes.use('ratio', p.ratio);
    trace.ratio = ratioTrace;
    notes.use('dayCount', p.dayCount);
    trace.dayCount = dayCountTrace;
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
    trace.segments = segments.map((segment): TraceSegment => {
      const outstandingText = fen(segment.outstandingFen);
      return {
        from: dates.format(segment.from),
        toExclusive: dates.format(segment.to),
        days: daysBetween(segment.from, segment.to),
        outstandingFen: outstandingText,
        baseFen: shareDec
          ? showUnrounded(fenToDec(segment.outstandingFen * shareNumerator).div(shareDenominator.toString()))
          : outstandingText,
      };
    });
    const outstandingDaysText = fen(outstandingDaysFen);
    trace.outstandingDaysFen = outstandingDaysText;

    // One rounding: Σ(outstanding × days) × share × rate × ratio / divisor, the multiplications first (exact in
    // bigint and at 60 digits), one division, then half-up to fen.
    let cachedRateRatio = rateTimesRatio.get(rate);
    if (cachedRateRatio === undefined) {
      cachedRateRatio = rate.times(ratioDec);
      rateTimesRatio.set(rate, cachedRateRatio);
    }
    const rateRatio = cachedRateRatio;
    const denominator = shareDenominator === 1n ? divisorDec : new Dec((shareDenominator * BigInt(divisor)).toString());
    const amountOf = (baseDaysFen: bigint) => fenToDec(baseDaysFen * shareNumerator).times(rateRatio).div(denominator);
    const unrounded = amountOf(outstandingDaysFen);
    const rounded = roundFenHalfUp(unrounded);
    trace.baseDaysFen = shareDec ? showUnrounded(fenToDec(outstandingDaysFen * shareNumerator).div(shareDenominator.toString())) : outstandingDaysText;
    const unroundedText = showUnrounded(unrounded);
    trace.amountUnroundedFen = unroundedText;
    trace.amountRoundedFen = fen(rounded);
    // Joined rather than concatenated: one flat string, not a rope of ten pieces, for each of 100,000 lines.
    trace.formula = [
      outstandingDaysText, ' fen-days × IP share ', shareText, ' × rate ', rateText, ' × ratio ', ratio, ' / ', String(divisor),
      ' = ', unroundedText, ' fen, rounded once half-up to ', trace.amountRoundedFen, ' fen (', yuan(rounded), ')',
    ].join('');
    work.amountFen = rounded;

    // The per-loan window cap across years (accrual): the loan's amounts for the earlier years of its window in which
    // the policy was in force, computed here from the same inputs (not read from earlier runs), each rounded once.
    if (p.capPerLoan.value !== null && attribution === 'accrual') {
      // Most loans are far below the cap over their whole window: then the cap cannot cut, and the earlier years need
      // not be computed. The whole window pays at most the highest outstanding × share × rate × ratio × its days /
      // divisor, plus at most half a fen of rounding in each year it is paid in (one fen a year, to be safe).
      let outstandingFen = 0n;
      let highestFen = 0n;
      for (const change of changes) {
        outstandingFen += change.deltaFen;
        if (outstandingFen > highestFen) highestFen = outstandingFen;
      }
      const years = BigInt(yearOf(Math.max(window.from, window.to - 1)) - yearOf(window.from) + 1);
      const atMostFen = roundFenHalfUp(amountOf(highestFen * BigInt(daysBetween(window.from, window.to)))) + years;
      if (atMostFen <= p.capPerLoan.value) {
        work.wholeWindowAtMostFen = atMostFen;
        return work;
      }
      const earlierParts: EarlierPart[] = [];
      for (let earlierYear = yearOf(window.from); earlierYear < year; earlierYear += 1) {
        const inYear = intersect(window.from, window.to, dayNumberFromCivil(earlierYear, 1, 1), dayNumberFromCivil(earlierYear + 1, 1, 1));
        const inForce = inYear && intersect(inYear.from, inYear.to, countFrom, countTo);
        if (!inForce) continue;
        const earlier = walkBase(inForce.from, inForce.to);
        earlierParts.push({
          year: earlierYear,
          from: inForce.from,
          to: inForce.to,
          days: daysBetween(inForce.from, inForce.to),
          amountFen: roundFenHalfUp(amountOf(earlier.outstandingDaysFen)),
        });
      }
      work.earlierParts = earlierParts;
    }
    return work;
  }

  const eligibleInterest = interestWork.filter((work) => work.line.eligible);

  // ---- stage 3: caps and other support on rounded amounts ----
  // (1) The per-loan window cap, across the years the loan is paid in: this year's part is cut to
  // min(earlier + this, cap) − min(earlier, cap), the earlier parts being what this rule gave the loan's earlier years
  // (before the enterprise caps). Under settlement attribution the whole window is paid in one run: no earlier part.
  const capPerLoan = p.capPerLoan.value;
  if (capPerLoan !== null) {
    for (const work of eligibleInterest) {
      work.notes.use('capPerLoan', p.capPerLoan);
      if (work.wholeWindowAtMostFen !== undefined) {
        work.line.trace.windowCap = {
          capFen: fen(capPerLoan),
          wholeWindowAtMostFen: fen(work.wholeWindowAtMostFen),
          partFen: fen(work.amountFen),
          reference: p.capPerLoan.reference,
        };
        continue;
      }
      const earlier = work.earlierParts ?? [];
      let rawBeforeFen = 0n;
      const parts = earlier.map((part) => {
        const partFen = minFen(rawBeforeFen + part.amountFen, capPerLoan) - minFen(rawBeforeFen, capPerLoan);
        rawBeforeFen += part.amountFen;
        return { part, partFen };
      });
      const earlierFen = minFen(rawBeforeFen, capPerLoan);
      const thisFen = work.amountFen;
      const afterFen = minFen(earlierFen + thisFen, capPerLoan) - earlierFen;
      work.line.trace.windowCap = {
        capFen: fen(capPerLoan),
        earlierParts: parts.map(({ part, partFen }) => ({
          year: part.year,
          countedFrom: dates.format(part.from),
          countedToExclusive: dates.format(part.to),
          days: part.days,
          amountFen: fen(part.amountFen),
          partFen: fen(partFen),
        })),
        earlierFen: fen(earlierFen),
        partFen: fen(afterFen),
        reference: p.capPerLoan.reference,
      };
      if (afterFen === thisFen) continue;
      const earlierText =
        parts.length === 0
          ? 'no earlier year of its window'
          : `earlier years of its window ${parts.map(({ part, partFen }) => `${part.year}: ${part.days} days, ${yuan(part.amountFen)}${partFen !== part.amountFen ? ` (part ${yuan(partFen)})` : ''}`).join('; ')}`;
      adjust(
        work,
        'cap_per_loan',
        p.capPerLoan.reference,
        afterFen,
        `at most ${yuan(capPerLoan)} per loan over its whole window; ${earlierText}; this year's part = min(${formatYuan(earlierFen)} + ${formatYuan(thisFen)}, ${formatYuan(capPerLoan)}) − min(${formatYuan(earlierFen)}, ${formatYuan(capPerLoan)}) = ${yuan(afterFen)}`,
      );
    }
  }

  const applyOtherSupport = (stage: 'before_caps' | 'after_caps') => {
    if (!doubleSupport || doubleSupport.stage !== stage) return;
    for (const work of eligibleInterest) {
      const others = otherSupportByLoan.get((work.line as InterestLine).loanId);
      if (!others || others.length === 0) continue;
      work.notes.use('noDoubleSupport', p.noDoubleSupport);
      const otherFen = sumFen(others.map((other) => other.amountFen));
      const listed = others.map((other) => `${other.programme} (${other.fiscalLevel}) ${yuan(other.amountFen)}`).join('; ');
      const after = work.amountFen > otherFen ? work.amountFen - otherFen : 0n;
      adjust(
        work,
        'other_support_same_level',
        p.noDoubleSupport.reference,
        after,
        `already received at the same fiscal level: ${listed}; total ${yuan(otherFen)}; this run pays only the excess of its own amount ${stage === 'after_caps' ? 'after the caps ' : ''}${yuan(work.amountFen)} over it, never below zero (take the higher)`,
      );
    }
  };
  applyOtherSupport('before_caps');

  const groupCap = (
    groups: Map<string, LineWork[]>,
    capFenOf: (key: string, group: LineWork[]) => Fen,
    step: AdjustmentStep,
    name: ParameterName,
    describe: (key: string, capFen: Fen) => string,
  ) => {
    const keys = [...groups.keys()].sort(compareStrings);
    for (const key of keys) {
      const group = groups.get(key)!;
      const capFen = capFenOf(key, group);
      for (const work of group) work.notes.use(name, p[name]);
      const result = capGroup(
        group.map((work) => work.amountFen),
        capFen,
      );
      if (result.cutFen === 0n) continue;
      group.forEach((work, index) => {
        adjust(
          work,
          step,
          p[name].reference,
          result.amountsFen[index]!,
          `${describe(key, capFen)}: the ${group.length} loan(s) total ${yuan(result.totalBeforeFen)}, cut ${yuan(result.cutFen)} shared in proportion to their amounts; this loan's part ${yuan(result.cutsFen[index]!)}`,
        );
      });
    }
  };
  const groupBy = (key: (work: LineWork) => string): Map<string, LineWork[]> => {
    const groups = new Map<string, LineWork[]>();
    for (const work of eligibleInterest) {
      const k = key(work);
      let group = groups.get(k);
      if (!group) groups.set(k, (group = []));
      group.push(work); // eligibleInterest is in loan-id order, so each group is too.
    }
    return groups;
  };

  const capRightType = p.capPerEnterpriseRightTypeYear.value;
  if (capRightType !== null) {
    groupCap(
      groupBy((work) => `${work.line.enterpriseUscc}\u0000${(work.line as InterestLine).rightType}`),
      () => capRightType,
      'cap_per_enterprise_right_type_year',
      'capPerEnterpriseRightTypeYear',
      (key, capFen) => `enterprise ${key.split('\u0000')[0]}, right type ${key.split('\u0000')[1]}: capped at ${yuan(capFen)} a year`,
    );
  }
  const capYear = p.capPerEnterpriseYear.value;
  if (capYear !== null) {
    groupCap(
      groupBy((work) => work.line.enterpriseUscc),
      () => capYear,
      'cap_per_enterprise_year',
      'capPerEnterpriseYear',
      (key, capFen) => `enterprise ${key}: capped at ${yuan(capFen)} a year`,
    );
  }
  const capCumulative = p.capPerEnterpriseCumulative.value;
  if (capCumulative !== null) {
    groupCap(
      groupBy((work) => work.line.enterpriseUscc),
      (key) => {
        const paid = cumulativePaid.get(key) ?? 0n;
        return paid >= capCumulative ? 0n : capCumulative - paid;
      },
      'cap_per_enterprise_cumulative',
      'capPerEnterpriseCumulative',
      (key, capFen) =>
        `enterprise ${key}: cumulative cap ${yuan(capCumulative)} less ${yuan(cumulativePaid.get(key) ?? 0n)} paid by earlier runs leaves ${yuan(capFen)}`,
    );
  }
  applyOtherSupport('after_caps');
  for (const work of eligibleInterest) work.approvedFen = work.amountFen;

  // ---- stage 4: fee and premium support ----
  /** The reasons an enterprise's support lines are ineligible for: its own conditions (001 § 20) and exclusions. */
  const enterpriseReasons = (uscc: string): Reason[] => {
    const reasons: Reason[] = [...(enterpriseConditions(uscc)?.reasons ?? [])];
    const exclusion = exclusionReason(uscc);
    if (exclusion) reasons.push(exclusion);
    return reasons;
  };
  const supportWork: LineWork[] = [];
  const feeSupport = p.feeSupport.value;
  if (feeSupport) {
    const groups = new Map<string, { uscc: string; kind: FeeKind; items: Array<{ fee: RunInput['fees'][number]; counted: boolean }> }>();
    input.fees.forEach((fee, position) => {
      requireFen(fee.amountFen, `fees.${position}.amountFen`);
      const day = parseDate(fee.date, `fees.${position}.date`);
      if (day < yearFrom || day >= yearTo || !feeSupport.kinds.includes(fee.kind)) return;
      const loan = loansById.get(fee.loanId);
      if (!loan) throw invalid(`fees.${position}.loanId`, `no loan ${fee.loanId} in the run's input`);
      if (!jurisdictionOf(loan.enterpriseUscc)) return;
      const counted = !feeSupport.requiresEligibleRightType || countedRightType(loan) !== null;
      const key = `${loan.enterpriseUscc}\u0000${fee.kind}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { uscc: loan.enterpriseUscc, kind: fee.kind, items: [] }));
      group.items.push({ fee, counted });
    });
    for (const group of groups.values()) {
      group.items.sort(
        (a, b) =>
          compareStrings(a.fee.date, b.fee.date) ||
          compareStrings(a.fee.loanId, b.fee.loanId) ||
          (a.fee.amountFen < b.fee.amountFen ? -1 : a.fee.amountFen > b.fee.amountFen ? 1 : 0),
      );
      const items: TraceItem[] = group.items.map(({ fee, counted }) => ({
        loanId: fee.loanId,
        kind: fee.kind,
        date: fee.date,
        amountFen: fen(fee.amountFen),
        ...(counted ? {} : { note: 'not counted: the loan pledges no eligible right type' }),
      }));
      const totalFen = sumFen(group.items.filter((item) => item.counted).map((item) => item.fee.amountFen));
      const reasons = enterpriseReasons(group.uscc);
      if (!group.items.some((item) => item.counted)) {
        reasons.push(
          reason('no_eligible_loan', `no ${group.kind} fee of a loan pledging ${p.eligibleRightTypes.value.join(', ')}`, p.feeSupport.reference, {
            kind: group.kind,
            eligible: p.eligibleRightTypes.value.join(', '),
          }),
        );
      }
      supportWork.push(
        supportLine(`fee_${group.kind}` as SupportKind, group.uscc, items, totalFen, feeSupport.ratio, feeSupport.capPerKindPerEnterpriseYear, 'feeSupport', new Splitter(feeSupport.fundingSplit), reasons),
      );
    }
  }
  const premiumSupport = p.premiumSupport.value;
  if (premiumSupport) {
    const groups = new Map<string, RunInput['premiums']>();
    input.premiums.forEach((premium, position) => {
      requireFen(premium.amountFen, `premiums.${position}.amountFen`);
      const day = parseDate(premium.date, `premiums.${position}.date`);
      if (day < yearFrom || day >= yearTo || !jurisdictionOf(premium.uscc)) return;
      let group = groups.get(premium.uscc);
      if (!group) groups.set(premium.uscc, (group = []));
      group.push(premium);
    });
    for (const [uscc, premiums] of groups) {
      premiums.sort((a, b) => compareStrings(a.date, b.date) || (a.amountFen < b.amountFen ? -1 : a.amountFen > b.amountFen ? 1 : 0));
      const reasons = enterpriseReasons(uscc);
      supportWork.push(
        supportLine(
          'premium',
          uscc,
          premiums.map((premium) => ({ date: premium.date, amountFen: fen(premium.amountFen) })),
          sumFen(premiums.map((premium) => premium.amountFen)),
          premiumSupport.ratio,
          premiumSupport.capPerEnterpriseYear,
          'premiumSupport',
          new Splitter(premiumSupport.fundingSplit),
          reasons,
        ),
      );
    }
  }

  function supportLine(
    kind: SupportKind,
    uscc: string,
    items: TraceItem[],
    totalFen: Fen,
    supportRatio: string,
    capFen: Fen,
    name: 'feeSupport' | 'premiumSupport',
    splitter: Splitter,
    reasons: Reason[],
  ): LineWork {
    const notes = new TraceNotes(notesRoot);
    const parameter = p[name];
    notes.use(name, parameter);
    const enterprise = enterpriseConditions(uscc);
    if (enterprise) notes.use('enterpriseConditions', p.enterpriseConditions);
    const trace: LineTrace = {
      policy: policyHeader,
      run: runHeader,
      clauses: notesRoot.clauses as string[],
      jurisdiction: jurisdictionOf(uscc) ?? undefined,
      ...(enterprise ? { enterprise: enterprise.trace } : {}),
      items,
      itemsTotalFen: fen(totalFen),
      adjustments: [],
      interpretations: notesRoot.interpretations as TraceInterpretation[],
      reasons,
    };
    const line: SupportLine = {
      kind,
      lineId: `${kind}:${uscc}`,
      loanId: null,
      enterpriseUscc: uscc,
      amountFen: 0n,
      shares: [],
      eligible: reasons.length === 0,
      reasons,
      trace,
    };
    const work: LineWork = { line, notes, amountFen: 0n, approvedFen: 0n, splitter, splitReference: parameter.reference };
    if (!line.eligible) return work;
    const unrounded = fenToDec(totalFen).times(supportRatio);
    const rounded = roundFenHalfUp(unrounded);
    trace.ratio = { value: supportRatio, reference: parameter.reference };
    trace.amountUnroundedFen = showUnrounded(unrounded);
    trace.amountRoundedFen = fen(rounded);
    trace.formula = `${fen(totalFen)} fen × ${supportRatio} = ${showUnrounded(unrounded)} fen, rounded once half-up to ${fen(rounded)} fen (${yuan(rounded)})`;
    work.amountFen = rounded;
    if (rounded > capFen) {
      adjust(work, 'cap_per_kind_per_enterprise_year', parameter.reference, capFen, `capped at ${yuan(capFen)} per enterprise per year`);
    }
    work.approvedFen = work.amountFen;
    return work;
  }

  supportWork.sort(
    (a, b) => compareStrings(a.line.enterpriseUscc, b.line.enterpriseUscc) || SUPPORT_KIND_ORDER[a.line.kind as SupportKind] - SUPPORT_KIND_ORDER[b.line.kind as SupportKind],
  );

  // ---- stage 5: contribution cap with carry-forward (001 § 22) ----
  const carryOut: RunCarryOut[] = [];
  const lapsed: RunResult['lapsed'] = [];
  const contributionSummaries: RunContributionSummary[] = [];
  const carriedWork: LineWork[] = [];
  const contributionCap = p.contributionCap.value;
  if (!contributionCap && input.carryIn.length > 0) {
    throw invalid('carryIn', `policy ${policy.id} has no contribution cap, so nothing can be carried into its runs`);
  }
  if (contributionCap) {
    const contributions = new Map<string, Fen>();
    input.contributions.forEach((contribution, position) => {
      const amount = requireFen(contribution.amountFen, `contributions.${position}.amountFen`);
      if (contribution.year !== year) return;
      if (contributions.has(contribution.uscc)) {
        throw invalid(`contributions.${position}`, `a second contribution for ${contribution.uscc} in ${year}`);
      }
      contributions.set(contribution.uscc, amount);
    });
    const carryByUscc = new Map<string, RunCarry[]>();
    input.carryIn.forEach((carry, position) => {
      requireFen(carry.amountFen, `carryIn.${position}.amountFen`);
      if (!Number.isInteger(carry.originYear) || carry.originYear >= year) {
        throw invalid(`carryIn.${position}.originYear`, `must be a year before ${year}`);
      }
      let list = carryByUscc.get(carry.uscc);
      if (!list) carryByUscc.set(carry.uscc, (list = []));
      list.push(carry);
    });
    const linesByUscc = new Map<string, LineWork[]>();
    for (const work of [...interestWork, ...supportWork]) {
      if (!work.line.eligible) continue;
      let list = linesByUscc.get(work.line.enterpriseUscc);
      if (!list) linesByUscc.set(work.line.enterpriseUscc, (list = []));
      list.push(work);
    }
    const usccs = [...new Set([...linesByUscc.keys(), ...carryByUscc.keys()])].sort(compareStrings);
    for (const uscc of usccs) {
      const lines = (linesByUscc.get(uscc) ?? []).filter((work) => work.amountFen > 0n);
      const carries = (carryByUscc.get(uscc) ?? []).sort((a, b) => a.originYear - b.originYear || (a.amountFen < b.amountFen ? -1 : a.amountFen > b.amountFen ? 1 : 0));
      const contribution = contributions.get(uscc) ?? null;
      // 001 §§ 20, 23: an enterprise that gets nothing this year is paid no carried amount either.
      const excluded = exclusionReason(uscc) ?? enterpriseConditions(uscc)?.reasons[0] ?? null;
      const currentDueFen = sumFen(lines.map((work) => work.amountFen));
      const summary: RunContributionSummary = {
        uscc,
        contributionFen: contribution,
        currentDueFen,
        currentPaidFen: currentDueFen,
        carriedInFen: sumFen(carries.map((carry) => carry.amountFen)),
        carriedInPaidFen: 0n,
        carryOutFen: 0n,
        lapsedFen: 0n,
      };
      contributionSummaries.push(summary);
      const lastYearOf = (originYear: number) => originYear + contributionCap.carryForwardYears;
      const keepOrLapse = (carry: RunCarry, unpaidFen: Fen, shares: BodyAmount[]) => {
        if (unpaidFen === 0n) return;
        if (lastYearOf(carry.originYear) > year) {
          carryOut.push({ uscc, originYear: carry.originYear, amountFen: unpaidFen, shares });
          summary.carryOutFen += unpaidFen;
        } else {
          lapsed.push({ uscc, originYear: carry.originYear, amountFen: unpaidFen });
          summary.lapsedFen += unpaidFen;
        }
      };
      const carryShares = (carry: RunCarry, amountFen: Fen): BodyAmount[] => {
        if (carry.shares && carry.shares.length > 0 && sumFen(carry.shares.map((share) => share.amountFen)) > 0n) {
          const parts = allocateFen(amountFen, carry.shares.map((share) => share.amountFen));
          return carry.shares.map((share, index) => ({ body: share.body, amountFen: parts[index]! }));
        }
        return fundingSplitter.apply(amountFen);
      };
      // Carried amounts past their last year lapse before anything is paid.
      const live = carries.filter((carry) => {
        if (lastYearOf(carry.originYear) >= year) return true;
        lapsed.push({ uscc, originYear: carry.originYear, amountFen: carry.amountFen });
        summary.lapsedFen += carry.amountFen;
        return false;
      });
      if (excluded) {
        // 001 § 23: nothing in this year; what was carried waits for its next year, if it has one.
        for (const carry of live) keepOrLapse(carry, carry.amountFen, carryShares(carry, carry.amountFen));
        continue;
      }
      const note =
        contribution === null
          ? 'contribution not entered: no contribution cap applied'
          : `local contribution for ${year}: ${yuan(contribution)}`;
      for (const work of lines) {
        work.notes.use('contributionCap', p.contributionCap);
        work.line.trace.contribution = { contributionFen: contribution === null ? null : fen(contribution), note, reference: p.contributionCap.reference };
      }
      let headroom = contribution;
      let currentPaidFen = currentDueFen;
      const payCurrent = () => {
        if (headroom === null) return;
        currentPaidFen = currentDueFen < headroom ? currentDueFen : headroom;
        headroom -= currentPaidFen;
      };
      const carriedPaid: Array<{ carry: RunCarry; paidFen: Fen }> = [];
      const payCarries = () => {
        for (const carry of live) {
          const paidFen = headroom === null ? carry.amountFen : carry.amountFen < headroom ? carry.amountFen : headroom;
          if (headroom !== null) headroom -= paidFen;
          carriedPaid.push({ carry, paidFen });
        }
      };
      if (contributionCap.order === 'current_year_first') {
        payCurrent();
        payCarries();
      } else {
        payCarries();
        payCurrent();
      }
      summary.currentPaidFen = currentPaidFen;
      const cutFen = currentDueFen - currentPaidFen;
      if (cutFen > 0n) {
        const before = lines.map((work) => work.amountFen);
        const cuts = allocateFen(cutFen, before);
        const excessByBody = new Map<string, Fen>();
        lines.forEach((work, index) => {
          const beforeShares = work.splitter.apply(work.amountFen);
          adjust(
            work,
            'contribution_cap',
            p.contributionCap.reference,
            work.amountFen - cuts[index]!,
            `the enterprise's support this year ${yuan(currentDueFen)} exceeds what its contribution ${yuan(contribution!)} leaves (${yuan(currentPaidFen)}); the excess ${yuan(cutFen)} is shared in proportion to the lines and carried to ${year + 1}–${year + contributionCap.carryForwardYears}; this line's part ${yuan(cuts[index]!)}`,
          );
          const afterShares = work.splitter.apply(work.amountFen);
          beforeShares.forEach((share, shareIndex) => {
            excessByBody.set(share.body, (excessByBody.get(share.body) ?? 0n) + share.amountFen - afterShares[shareIndex]!.amountFen);
          });
        });
        const shares = [...excessByBody.entries()].map(([body, amountFen]) => ({ body, amountFen }));
        keepOrLapse({ uscc, originYear: year, amountFen: cutFen }, cutFen, shares);
      }
      for (const { carry, paidFen } of carriedPaid) {
        summary.carriedInPaidFen += paidFen;
        const fullShares = carryShares(carry, carry.amountFen);
        const paidShares = carryShares(carry, paidFen);
        keepOrLapse(
          carry,
          carry.amountFen - paidFen,
          fullShares.map((share, index) => ({ body: share.body, amountFen: share.amountFen - paidShares[index]!.amountFen })),
        );
        if (paidFen === 0n) continue;
        const notes = new TraceNotes(notesRoot);
        notes.use('contributionCap', p.contributionCap);
        const trace: LineTrace = {
          policy: policyHeader,
          run: runHeader,
          clauses: notesRoot.clauses as string[],
          items: [{ kind: `carried from ${carry.originYear}`, amountFen: fen(carry.amountFen) }],
          itemsTotalFen: fen(carry.amountFen),
          formula: `carried ${fen(carry.amountFen)} fen from ${carry.originYear}; paid ${fen(paidFen)} fen within this year's headroom; ${fen(carry.amountFen - paidFen)} fen ${lastYearOf(carry.originYear) > year ? 'carried on' : 'lapses'}`,
          amountRoundedFen: fen(paidFen),
          adjustments: [],
          contribution: { contributionFen: contribution === null ? null : fen(contribution), note, reference: p.contributionCap.reference },
          interpretations: notesRoot.interpretations as TraceInterpretation[],
          reasons: [],
        };
        const line: SupportLine = {
          kind: 'carried_forward',
          lineId: `carried_forward:${uscc}:${carry.originYear}`,
          loanId: null,
          enterpriseUscc: uscc,
          originYear: carry.originYear,
          amountFen: paidFen,
          shares: paidShares,
          eligible: true,
          reasons: [],
          trace,
        };
        carriedWork.push({ line, notes, amountFen: paidFen, approvedFen: paidFen, splitter: fundingSplitter, splitReference: p.contributionCap.reference });
      }
    }
    // Carried lines of the same enterprise and origin year merge into one line id: keep them distinct by position.
    const seen = new Map<string, number>();
    for (const work of carriedWork) {
      const count = seen.get(work.line.lineId) ?? 0;
      seen.set(work.line.lineId, count + 1);
      if (count > 0) work.line.lineId = `${work.line.lineId}:${count + 1}`;
    }
  }

  // ---- stage 6: funding split, then budget scaling per body ----
  const allWork = [...interestWork, ...supportWork, ...carriedWork];
  for (const work of allWork) {
    const line = work.line;
    line.amountFen = work.amountFen;
    if (line.kind === 'carried_forward') {
      // Already split by the bodies that owe the carried amount.
      line.trace.split = {
        rule: line.shares.map((share) => ({ body: share.body, share: `${share.amountFen}/${line.amountFen}` })),
        reference: work.splitReference,
        shares: line.shares.map((share) => ({ body: share.body, amountFen: fen(share.amountFen) })),
      };
      continue;
    }
    line.shares = work.splitter.apply(work.amountFen);
    work.notes.cite(work.splitReference);
    line.trace.split = {
      rule: work.splitter.split as FundingShare[],
      reference: work.splitReference,
      shares: line.shares.map((share) => ({ body: share.body, amountFen: fen(share.amountFen) })),
    };
  }

  const budgetSummaries: RunResult['budget'] = [];
  const budgets = [...(input.budget ?? [])].sort((a, b) => compareStrings(a.body, b.body));
  budgets.forEach((budget, position) => {
    const budgetFen = requireFen(budget.amountFen, `budget.${position}.amountFen`);
    if (position > 0 && budgets[position - 1]!.body === budget.body) throw invalid(`budget.${position}.body`, `body "${budget.body}" has two budgets`);
    const holders: Array<{ work: LineWork; shareIndex: number }> = [];
    for (const work of allWork) {
      work.line.shares.forEach((share, shareIndex) => {
        if (share.body === budget.body && share.amountFen > 0n) holders.push({ work, shareIndex });
      });
    }
    const scaling = scaleToBudget(
      holders.map(({ work, shareIndex }) => work.line.shares[shareIndex]!.amountFen),
      budgetFen,
    );
    const factorExact = scaling.approvedFen === 0n ? new Dec(1) : fenToDec(budgetFen).div(fenToDec(scaling.approvedFen));
    const factor = scaling.scaled ? factorExact.toDecimalPlaces(FACTOR_DECIMAL_PLACES, Dec.ROUND_HALF_UP).toFixed(FACTOR_DECIMAL_PLACES) : '1';
    budgetSummaries.push({ body: budget.body, budgetFen, approvedFen: scaling.approvedFen, paidFen: scaling.paidFen, factor });
    if (!scaling.scaled) return;
    holders.forEach(({ work, shareIndex }, index) => {
      const share = work.line.shares[shareIndex]!;
      const after = scaling.sharesFen[index]!;
      const entry: TraceBudget = {
        body: budget.body,
        budgetFen: fen(budgetFen),
        approvedFen: fen(scaling.approvedFen),
        factor,
        factorFraction: `${budgetFen}/${scaling.approvedFen}`,
        beforeFen: fen(share.amountFen),
        afterFen: fen(after),
      };
      (work.line.trace.budget ??= []).push(entry);
      work.notes.cite(`${RULES} "Budget"`);
      share.amountFen = after;
    });
  });
  for (const work of allWork) {
    if (!work.line.trace.budget) continue;
    work.line.amountFen = sumFen(work.line.shares.map((share) => share.amountFen));
    work.line.trace.split!.shares = work.line.shares.map((share) => ({ body: share.body, amountFen: fen(share.amountFen) }));
  }

  for (const work of allWork) work.notes.writeTo(work.line.trace);

  // ---- totals and outputs ----
  const bodyOrder: string[] = [];
  const addBodies = (split: readonly { body: string }[]) => {
    for (const share of split) if (!bodyOrder.includes(share.body)) bodyOrder.push(share.body);
  };
  addBodies(fundingSplit);
  if (feeSupport) addBodies(feeSupport.fundingSplit);
  if (premiumSupport) addBodies(premiumSupport.fundingSplit);
  const totalsByBody = new Map<string, Fen>();
  for (const work of allWork) {
    addBodies(work.line.shares);
    for (const share of work.line.shares) totalsByBody.set(share.body, (totalsByBody.get(share.body) ?? 0n) + share.amountFen);
  }
  const totals = bodyOrder.map((body) => ({ body, amountFen: totalsByBody.get(body) ?? 0n }));
  const totalFen = sumFen(allWork.map((work) => work.line.amountFen));

  const subsidisedAssets: RunSubsidisedAsset[] = [];
  for (const work of interestWork) {
    if (!work.line.eligible || work.approvedFen === 0n) continue;
    const loan = loansById.get((work.line as InterestLine).loanId)!;
    const pledges = [...loan.pledges]
      .filter((pledge) => eligibleTypes.has(pledge.rightType))
      .sort((a, b) => RIGHT_TYPE_ORDER[a.rightType] - RIGHT_TYPE_ORDER[b.rightType] || compareStrings(a.number, b.number));
    for (const pledge of pledges) subsidisedAssets.push({ rightType: pledge.rightType, number: pledge.number, year, loanId: loan.loanId });
  }

  const supportLines = [...supportWork, ...carriedWork]
    .map((work) => work.line as SupportLine)
    .sort(
      (a, b) =>
        compareStrings(a.enterpriseUscc, b.enterpriseUscc) ||
        SUPPORT_KIND_ORDER[a.kind] - SUPPORT_KIND_ORDER[b.kind] ||
        (a.originYear ?? 0) - (b.originYear ?? 0) ||
        compareStrings(a.lineId, b.lineId),
    );
  carryOut.sort((a, b) => compareStrings(a.uscc, b.uscc) || a.originYear - b.originYear);
  lapsed.sort((a, b) => compareStrings(a.uscc, b.uscc) || a.originYear - b.originYear);

  return {
    policy: { id: policy.id, version: policy.version },
    year,
    lines: interestWork.map((work) => work.line as InterestLine),
    supportLines,
    totals,
    totalFen,
    carryOut,
    lapsed,
    contributions: contributionSummaries,
    budget: budgetSummaries,
    subsidisedAssets,
  };
}

export type { ReasonCode };
