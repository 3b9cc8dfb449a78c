/**
 * Plain data in and out of `computeRun`: dates as `YYYY-MM-DD` strings, money as bigint fen, rates as decimal strings.
 * Nothing here refers to the database; the caller loads one year of loans set-wise and hands them over.
 */
import type { Fen } from '../money';
import type { DayCount, EnterpriseCondition, FeeKind, FundingShare, Policy, RightType } from './policy';

export type LoanEventType = 'disbursement' | 'interest_payment' | 'principal_repayment' | 'overdue' | 'default' | 'settlement';

export interface RunLoanEvent {
  type: LoanEventType;
  date: string;
  /** Required for `disbursement` and `principal_repayment`. */
  amountFen?: Fen;
  daysOverdue?: number;
}

export interface RunPledge {
  rightType: RightType;
  number: string;
  /**
   * The claim this pledge's registration secures (担保债权数额), when the bank stated it; needed only when the loan
   * also pledges a right type the policy does not support (docs/subsidy-rules.md "Supported part").
   */
  securedFen?: Fen | null;
}

export interface RunLoan {
  loanId: string;
  bankId: string;
  enterpriseUscc: string;
  contractNo: string;
  principalFen: Fen;
  /** The IP-pledged part of a combination loan; null when the contract does not say (then the loan is ineligible). */
  ipPledgedFen: Fen | null;
  collateral: 'ip_only' | 'combination';
  /** The loan's actual annual rate, a decimal string ("0.0435"). */
  annualRate: string;
  startDate: string;
  maturityDate: string;
  contractDate?: string;
  pledges: RunPledge[];
  events: RunLoanEvent[];
}

export interface RunRate {
  index: string;
  effectiveDate: string;
  rate: string;
}

export interface RunEnterprise {
  uscc: string;
  name: string;
  /** The 6-digit division where it is registered (defaults to characters 3–8 of the USCC upstream). */
  divisionCode: string;
}

export interface RunExclusion {
  uscc: string;
  year: number;
  reason: string;
  /** Who flagged it (《关于全面加强知识产权工作的实施意见》 § 23: "the flag, its reason and who set it are kept"). */
  setBy?: string;
}

/**
 * Staff's record that an enterprise is not an independent legal person or not in normal operation (《关于全面加强知识产权工作的实施意见》 § 20), for
 * `[from, to]` (both inclusive; `to` null: open). Withdrawn records are not part of a run's input.
 */
export interface RunEnterpriseStatus {
  recordId: string;
  uscc: string;
  condition: EnterpriseCondition;
  from: string;
  to: string | null;
  reason: string;
  /** Who recorded it. */
  recordedBy?: string;
}

export interface RunOtherSupport {
  loanId: string;
  programme: string;
  fiscalLevel: string;
  amountFen: Fen;
  /**
   * The year the other support belongs to. When given, only support of the run's year is netted (an accrual loan is
   * paid over two runs, and support for its first year must not be netted again in the second); when absent, the
   * caller has already chosen what belongs to this run.
   */
  year?: number;
}

export interface RunContribution {
  uscc: string;
  year: number;
  amountFen: Fen;
}

export interface BodyAmount {
  body: string;
  amountFen: Fen;
}

export interface RunCarry {
  uscc: string;
  originYear: number;
  amountFen: Fen;
  /** The funding bodies owing the carried amount; when absent, the policy's funding split applies. */
  shares?: BodyAmount[];
}

export interface RunSubsidisedAsset {
  rightType: string;
  number: string;
  year: number;
  loanId: string;
}

export interface RunFee {
  loanId: string;
  kind: FeeKind;
  amountFen: Fen;
  date: string;
}

export interface RunPremium {
  uscc: string;
  amountFen: Fen;
  date: string;
}

export interface RunInput {
  policy: Policy;
  year: number;
  loans: RunLoan[];
  rates: RunRate[];
  enterprises: RunEnterprise[];
  exclusions: RunExclusion[];
  /** 《关于全面加强知识产权工作的实施意见》 § 20: records of enterprises that are not independent legal persons or not in normal operation. */
  enterpriseStatus: RunEnterpriseStatus[];
  otherSupport: RunOtherSupport[];
  contributions: RunContribution[];
  /** Unpaid excess from earlier runs under the contribution cap (《关于全面加强知识产权工作的实施意见》 § 22). */
  carryIn: RunCarry[];
  /** Assets subsidised by earlier runs (same-asset rule, 《关于全面加强知识产权工作的实施意见》 § 6). */
  priorSubsidisedAssets: RunSubsidisedAsset[];
  fees: RunFee[];
  premiums: RunPremium[];
  /** Per funding body: what it can pay this run; approved lines above it are scaled pro rata. */
  budget?: BodyAmount[];
  /** Per enterprise: what earlier runs of this policy paid it, for the cumulative cap. */
  cumulativePaid?: Array<{ uscc: string; amountFen: Fen }>;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

export const REASON_CODES = [
  'enterprise_excluded',
  'right_type_not_eligible',
  'combination_ip_part_unknown',
  'ip_share_below_minimum',
  'not_settled',
  'repaid_late',
  'asset_subsidised_in_another_year',
  'contract_date_missing',
  'outstanding_negative',
  'no_eligible_loan',
  'secured_amount_missing',
  'enterprise_not_independent_legal_person',
  'enterprise_not_in_normal_operation',
  'settled_after_maturity',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** The values a reason's message uses (dates, amounts as "123.45", asset numbers, division codes), by name. */
export type ReasonParams = Record<string, string | number>;

export interface Reason {
  code: ReasonCode;
  /** English, for banks' programs; the console renders its own text from `code` and `params`. */
  message: string;
  /** The clause behind the rule that made the line ineligible. */
  reference: string;
  params: ReasonParams;
}

export type AdjustmentStep =
  | 'cap_per_loan'
  | 'other_support_same_level'
  | 'cap_per_enterprise_right_type_year'
  | 'cap_per_enterprise_year'
  | 'cap_per_enterprise_cumulative'
  | 'cap_per_kind_per_enterprise_year'
  | 'contribution_cap';

/** A step after rounding that changed (or checked) the line's amount. Money in fen as integer strings. */
export interface TraceAdjustment {
  step: AdjustmentStep;
  reference: string;
  beforeFen: string;
  afterFen: string;
  cutFen: string;
  detail: string;
}

export interface TraceInterpretation {
  parameter: string;
  reference: string;
  text: string;
}

export interface TraceSegment {
  from: string;
  /** Exclusive: the day the next segment starts (or the end of the counted range). */
  toExclusive: string;
  days: number;
  outstandingFen: string;
  /** Outstanding × IP share: the base the rate applies to (a decimal of fen when the share is not whole). */
  baseFen: string;
}

export interface TraceSupportedPart {
  /** The IP part: the principal of an IP-only loan, the stated IP-pledged amount of a combination loan. */
  ipPartFen: string;
  pledges: Array<{ rightType: string; number: string; securedFen: string | null; supported: boolean }>;
  /** Σ secured amounts of the supported pledges (null when a pledge does not state its amount). */
  securedSupportedFen: string | null;
  /** min(IP part, Σ secured of supported pledges). */
  supportedPartFen: string | null;
  reference: string;
}

export interface TraceEnterpriseCondition {
  condition: EnterpriseCondition;
  met: boolean;
  /** How it was decided: the USCC's prefix, staff's records overlapping the run's year, or neither. */
  source: 'uscc_prefix' | 'record' | 'no_record';
  recordIds: string[];
}

export interface TraceWindowCap {
  capFen: string;
  /**
   * When the whole window cannot reach the cap (highest outstanding × share × rate × ratio × the window's days /
   * divisor, plus one fen a year for rounding): that most; the cap cannot cut, and the earlier years are not listed.
   */
  wholeWindowAtMostFen?: string;
  /** Each earlier year of the window in which the policy was in force: days, amount rounded once, part after this cap. */
  earlierParts?: Array<{ year: number; countedFrom: string; countedToExclusive: string; days: number; amountFen: string; partFen: string }>;
  /** Σ of the earlier parts (never above the cap). */
  earlierFen?: string;
  /** min(earlier + this year's amount, cap) − earlier. */
  partFen: string;
  reference: string;
}

export interface TraceBudget {
  body: string;
  budgetFen: string;
  approvedFen: string;
  /** budget ÷ approved, as a decimal (to 20 places) and as the exact fraction. */
  factor: string;
  factorFraction: string;
  beforeFen: string;
  afterFen: string;
}

export interface TraceItem {
  loanId?: string;
  kind?: string;
  date?: string;
  programme?: string;
  amountFen: string;
  /** Why an item is listed but not counted. */
  note?: string;
}

/**
 * Enough to recompute a line by hand (docs/api.md "The trace of a line"). Every value is a string or a number, so
 * the trace is stored and served as JSON as it is.
 */
export interface LineTrace {
  policy: { id: string; version: number; documentNo: string; title: string };
  run: { year: number; attribution: 'accrual' | 'settlement'; reference: string };
  /** Every clause this line relied on, in the order used. */
  clauses: string[];
  jurisdiction?: { divisionCode: string; source: 'enterprise_record' | 'uscc'; matchedPrefix: string; reference: string };
  rightType?: { pledged: string[]; counted: string | null; eligible: string[]; reference: string };
  window?: {
    from: string;
    toExclusive: string;
    endedBy: 'months' | 'maturity' | 'settlement';
    months: number;
    settlementDate: string | null;
    countedFrom: string;
    countedToExclusive: string;
    daysCounted: number;
    reference: string;
  };
  rate?: {
    indexChoice: string;
    index: string;
    termBand?: string;
    fixingRule: string;
    fixingDate: string;
    fixingEffectiveDate: string;
    indexRate: string;
    actualRate: string;
    baseRule: string;
    actualCapMultipleOfIndex: string | null;
    rate: string;
    reference: string;
  };
  ratio?: { value: string; reference: string };
  dayCount?: { convention: DayCount; divisor: number; rule: string; reference: string };
  ipShare?: {
    collateral: string;
    ipPledgedFen: string | null;
    principalFen: string;
    /** When the loan also pledges a right type the policy does not support: min(IP part, Σ secured of supported pledges). */
    supportedPart?: TraceSupportedPart;
    value: string;
    reference: string;
  };
  /** The conditions on the enterprise itself (《关于全面加强知识产权工作的实施意见》 § 20), when the policy sets them. */
  enterprise?: { uscc: string; conditions: TraceEnterpriseCondition[]; reference: string };
  /** The per-loan window cap across years: the earlier years' parts the run computed from the same inputs. */
  windowCap?: TraceWindowCap;
  segments?: TraceSegment[];
  /** Σ outstanding × days, in fen-days, before the IP share. */
  outstandingDaysFen?: string;
  /** Σ base × days = outstandingDays × IP share. */
  baseDaysFen?: string;
  /** The items a fee, premium or carried line sums. */
  items?: TraceItem[];
  itemsTotalFen?: string;
  formula?: string;
  amountUnroundedFen?: string;
  amountRoundedFen?: string;
  adjustments: TraceAdjustment[];
  split?: { rule: FundingShare[]; reference: string; shares: Array<{ body: string; amountFen: string }> };
  budget?: TraceBudget[];
  contribution?: {
    contributionFen: string | null;
    note: string;
    reference: string;
  };
  interpretations: TraceInterpretation[];
  reasons: Reason[];
}

export type SupportKind = 'fee_evaluation' | 'fee_guarantee' | 'fee_insurance' | 'premium' | 'carried_forward';

export interface RunLineBase {
  /** A stable key of the line within its run. */
  lineId: string;
  enterpriseUscc: string;
  amountFen: Fen;
  shares: BodyAmount[];
  eligible: boolean;
  reasons: Reason[];
  trace: LineTrace;
}

/** One line per loan attributed to the run (`POST /api/v1/subsidy-runs`). */
export interface InterestLine extends RunLineBase {
  kind: 'interest';
  loanId: string;
  /** The right type the loan counts under (null when it pledges no eligible type). */
  rightType: RightType | null;
}

/** Fee and premium support (per enterprise and kind) and payments of amounts carried from earlier years. */
export interface SupportLine extends RunLineBase {
  kind: SupportKind;
  loanId: null;
  /** For `carried_forward`: the year whose excess is being paid. */
  originYear?: number;
}

export interface RunCarryOut {
  uscc: string;
  originYear: number;
  amountFen: Fen;
  shares: BodyAmount[];
}

export interface RunContributionSummary {
  uscc: string;
  contributionFen: Fen | null;
  currentDueFen: Fen;
  currentPaidFen: Fen;
  carriedInFen: Fen;
  carriedInPaidFen: Fen;
  carryOutFen: Fen;
  lapsedFen: Fen;
}

export interface RunBudgetSummary {
  body: string;
  budgetFen: Fen;
  approvedFen: Fen;
  paidFen: Fen;
  factor: string;
}

export interface RunResult {
  policy: { id: string; version: number };
  year: number;
  lines: InterestLine[];
  supportLines: SupportLine[];
  totals: BodyAmount[];
  totalFen: Fen;
  /** Excess over the contribution cap still payable in later years (《关于全面加强知识产权工作的实施意见》 § 22). */
  carryOut: RunCarryOut[];
  /** Carried amounts whose last year passed unpaid. */
  lapsed: Array<{ uscc: string; originYear: number; amountFen: Fen }>;
  contributions: RunContributionSummary[];
  budget: RunBudgetSummary[];
  /** Assets of the loans this run pays, for the same-asset rule of later runs. */
  subsidisedAssets: RunSubsidisedAsset[];
}
