/**
 * The interest-subsidy policy as data (docs/subsidy-rules.md).
 *
 * A policy is a versioned record; each parameter carries its value, the clause it comes from (`袁府办字〔2023〕25号 四(三)2`) and,
 * where the documents leave a choice open and the project reads them one way (an **Interpretation**), the text of that
 * interpretation, which every line the parameter touches repeats in its trace. A change of rule is a new version (a new record with its own
 * `effectiveFrom`), never an edit of an old one, so an old year is recomputed with the rules it had.
 *
 * Two shapes:
 * - `RawPolicy`: JSON as it travels (money as yuan strings "100000.00", rates and ratios as decimal strings). Its zod
 *   schema `rawPolicySchema` has no transforms, so the HTTP layer can publish it in OpenAPI.
 * - `Policy`: the validated record, money parameters as `Fen`. Only `validatePolicy` builds one, so a bad rule cannot
 *   exist past the edge.
 *
 * A parameter whose value is `null` is UNSET ("set by staff"; e.g. Ankang's ratio, 004 § 12): the policy is valid and
 * can be stored, but `computeRun` refuses it with `policy_parameter_unset` naming the parameter.
 */
import { z } from 'zod';
import { Dec, Fen, parseYuan } from '../money';
import { SubsidyError, type FieldError } from './errors';

export const RIGHT_TYPES = ['patent', 'trademark', 'copyright'] as const;
export type RightType = (typeof RIGHT_TYPES)[number];

/** Reference-rate indexes (API.md `POST /api/v1/rates`). */
export const RATE_INDEXES = ['LPR1Y', 'LPR5Y', 'PBOC_LE1Y', 'PBOC_1TO5Y', 'PBOC_GT5Y'] as const;
export type RateIndex = (typeof RATE_INDEXES)[number];
/** `PBOC_BY_TERM`: the PBoC benchmark of the loan's term band (docs/subsidy-rules.md "Rates"). */
export type RateIndexChoice = RateIndex | 'PBOC_BY_TERM';

export type RateFixing =
  | { rule: 'in_force_on_loan_start' }
  | { rule: 'in_force_on_contract_date' }
  /** Qingdao: the latest fixing published in the month before the contract date. */
  | { rule: 'latest_published_in_month_before_contract' }
  /** Fujian: the fixing of a given month (1–12) of the year the loan was repaid (settled). */
  | { rule: 'month_of_repayment_year'; month: number };

export interface BaseRate {
  /** Which annual rate the ratio applies to. */
  rule: 'index' | 'actual' | 'lower_of_index_and_actual';
  /** Beijing: the actual rate counts at most k × the index rate (a decimal string), or null for no cap. */
  actualCapMultipleOfIndex: string | null;
}

export interface FundingShare {
  body: string;
  /** A decimal fraction, e.g. "0.5"; the shares of a split add up to exactly 1. */
  share: string;
}

export type FeeKind = 'evaluation' | 'guarantee' | 'insurance';
export const FEE_KINDS: readonly FeeKind[] = ['evaluation', 'guarantee', 'insurance'];

export interface FeeSupport {
  kinds: FeeKind[];
  /** Share of the fee actually paid, e.g. "0.5". */
  ratio: string;
  /** Each kind is capped separately per enterprise and year. */
  capPerKindPerEnterpriseYear: Fen;
  fundingSplit: FundingShare[];
  /** Only fees of loans that pledge an eligible right type count. */
  requiresEligibleRightType: boolean;
}

export interface PremiumSupport {
  ratio: string;
  capPerEnterpriseYear: Fen;
  fundingSplit: FundingShare[];
}

export interface ContributionCap {
  /** How many later years an excess may still be paid in (001 § 22 "后两年内": 2). */
  carryForwardYears: number;
  /** Which claim on a year's headroom comes first: that year's own support, or the oldest carried amount. */
  order: 'current_year_first' | 'oldest_first';
}

export interface NoDoubleSupport {
  /** Fiscal levels counted as "the same level" as this policy's own money. */
  fiscalLevels: string[];
  /**
   * Whether the other support is netted per loan before or after the caps. "就高不就低" (000 奖励认定 1) and "同一级别
   * 不重复奖励" (001 § 21) mean after: the enterprise ends up with the higher of the two, never both. `before_caps`
   * stays readable for versions recorded with it, so a run made under one recomputes as it was made.
   */
  stage: 'before_caps' | 'after_caps';
}

/** Day-count conventions (docs/subsidy-rules.md "Day count"). */
export const DAY_COUNTS = ['30E/360', 'ACT/360', 'ACT/365'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

/**
 * Which part of a loan the rate applies to when it also pledges a right type the policy does not support:
 * - `whole_ip_part`: the whole IP part, whatever the types (how versions recorded before the parameter existed read);
 * - `secured_by_eligible_pledges`: `min(IP part, Σ securedAmount of the pledges of supported types)`; a loan whose
 *   pledges do not all state their secured amount is ineligible (000 "对专利权质押部分的贷款利息予以补贴"; 001 § 6
 *   "无法计算…质押融资金额的，不予补助").
 */
export type SupportedPart = 'whole_ip_part' | 'secured_by_eligible_pledges';

/** The conditions on the enterprise itself (001 § 20 "具有独立法人资格…并正常生产经营的企业"). */
export interface EnterpriseConditions {
  /** The enterprise must be an independent legal person. */
  independentLegalPerson: boolean;
  /** The enterprise must be in normal operation. */
  normalOperation: boolean;
  /**
   * USCC prefixes (registration authority + entity type, GB 32100-2015) of entities that are never independent legal
   * persons: "92" is an individual business (个体工商户).
   */
  notLegalPersonUsccPrefixes: string[];
}

export const ENTERPRISE_CONDITIONS = ['not_independent_legal_person', 'not_in_normal_operation'] as const;
export type EnterpriseCondition = (typeof ENTERPRISE_CONDITIONS)[number];

export interface Parameter<T> {
  value: T;
  /** The clause the value comes from, by document number and clause: `袁府办字〔2023〕25号 四(三)2`. */
  reference: string;
  /** Present when the reading is an interpretation of the document; repeated in every trace that uses it. */
  interpretation?: string;
  description?: string;
  unit?: string;
}

export interface PolicyParameters<MoneyT> {
  eligibleRightTypes: Parameter<RightType[]>;
  /** A pledge of several right types counts under the first eligible one in this order. */
  rightTypePrecedence: Parameter<RightType[]>;
  rateIndex: Parameter<RateIndexChoice | null>;
  rateFixing: Parameter<RateFixing>;
  baseRate: Parameter<BaseRate>;
  ratio: Parameter<string | null>;
  windowMonths: Parameter<number>;
  /** `30E/360`: days of [a, b) = f(b) − f(a), f(d) = 360·year + 30·(month − 1) + min(day, 30), divisor 360. */
  dayCount: Parameter<DayCount>;
  condition: Parameter<'none' | 'repaid_on_time'>;
  attribution: Parameter<'accrual' | 'settlement'>;
  /**
   * `ip_share_of_daily_outstanding`: Σ days of outstanding × IP share (docs/subsidy-rules.md "Window and base");
   * `ip_pledged_principal`: the IP-pledged principal (whole principal for IP-only loans) on every day of the window.
   */
  base: Parameter<'ip_share_of_daily_outstanding' | 'ip_pledged_principal'>;
  combinationIpPartUnknown: Parameter<'ineligible'>;
  supportedPart: Parameter<SupportedPart>;
  /** Condition "IP share of a combination loan ≥ x", a decimal string, or null for none. */
  minIpShareOfCombination: Parameter<string | null>;
  /**
   * Per loan over its whole window, across the years it is paid in: each year's part is cut to
   * `min(earlier parts + this part, cap) − min(earlier parts, cap)`, the earlier parts computed by the run itself from
   * the same inputs (docs/subsidy-rules.md "Caps").
   */
  capPerLoan: Parameter<MoneyT | null>;
  capPerEnterpriseYear: Parameter<MoneyT | null>;
  capPerEnterpriseRightTypeYear: Parameter<MoneyT | null>;
  capPerEnterpriseCumulative: Parameter<MoneyT | null>;
  sameAsset: Parameter<'allowed' | 'one_year_only'>;
  fundingSplit: Parameter<FundingShare[] | null>;
  feeSupport: Parameter<(Omit<FeeSupport, 'capPerKindPerEnterpriseYear'> & { capPerKindPerEnterpriseYear: MoneyT }) | null>;
  premiumSupport: Parameter<(Omit<PremiumSupport, 'capPerEnterpriseYear'> & { capPerEnterpriseYear: MoneyT }) | null>;
  contributionCap: Parameter<ContributionCap | null>;
  /** 001 § 23: an enterprise flagged for a year gets nothing that year. */
  exclusions: Parameter<'apply' | 'none'>;
  /** 001 § 20: null when the policy sets no condition on the enterprise itself. */
  enterpriseConditions: Parameter<EnterpriseConditions | null>;
  noDoubleSupport: Parameter<NoDoubleSupport | null>;
  /** Whether days of a window before `effectiveFrom` count. */
  daysBeforeEffectiveFrom: Parameter<'not_counted' | 'counted'>;
}

interface PolicyRecord<MoneyT> {
  id: string;
  version: number;
  title: string;
  /** e.g. '袁府办字〔2023〕25号'. */
  documentNo: string;
  /** The seed file the clauses cite, e.g. '000_c8df3c851d07685d.txt'. */
  source?: string;
  jurisdiction: { divisionPrefixes: string[]; reference?: string };
  effectiveFrom: string;
  effectiveTo?: string | null;
  effectiveFromReference?: string;
  parameters: PolicyParameters<MoneyT>;
}

/** The policy as JSON: money as yuan strings. */
export type RawPolicy = PolicyRecord<string>;
/** A version as recorded before the parameters filled in by `completeRecordedPolicy` existed. */
export type RecordedPolicy = Omit<RawPolicy, 'parameters'> & {
  parameters: Omit<RawPolicy['parameters'], 'supportedPart' | 'enterpriseConditions'>;
};
/** A validated policy: money as fen. */
export type Policy = PolicyRecord<Fen>;
export type ParameterName = keyof PolicyParameters<Fen>;

// ---------------------------------------------------------------------------------------------------------------
// Schema of the raw record (no transforms: publishable as JSON Schema)

const DECIMAL = /^\d{1,6}(\.\d{1,12})?$/;
const YUAN = /^\d{1,15}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const decimalString = z.string().regex(DECIMAL, { message: 'must be a decimal string such as "0.15"' });
const yuanString = z.string().regex(YUAN, { message: 'must be an amount in CNY such as "100000.00"' });
const dateString = z.string().regex(DATE, { message: 'must be a date YYYY-MM-DD' });
const rightType = z.enum(RIGHT_TYPES);
const fundingSplitSchema = z.array(z.object({ body: z.string().min(1).max(40), share: decimalString }).strict()).min(1).max(10);

function parameter<T extends z.ZodType>(value: T) {
  return z
    .object({
      value,
      reference: z.string().min(1, { message: 'every parameter cites its clause' }),
      interpretation: z.string().min(1).optional(),
      description: z.string().optional(),
      unit: z.string().optional(),
    })
    .strict();
}

export const rawPolicySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be a lower-case slug such as "yuanzhou-2023"' }),
    version: z.number().int().min(1),
    title: z.string().min(1),
    documentNo: z.string().min(1),
    source: z.string().optional(),
    jurisdiction: z
      .object({
        divisionPrefixes: z.array(z.string().regex(/^\d{2,6}$/, { message: 'must be 2 to 6 digits of a division code' })).min(1),
        reference: z.string().optional(),
      })
      .strict(),
    effectiveFrom: dateString,
    effectiveTo: dateString.nullable().optional(),
    effectiveFromReference: z.string().optional(),
    parameters: z
      .object({
        eligibleRightTypes: parameter(z.array(rightType).min(1)),
        rightTypePrecedence: parameter(z.array(rightType).min(1)),
        rateIndex: parameter(z.enum([...RATE_INDEXES, 'PBOC_BY_TERM']).nullable()),
        rateFixing: parameter(
          z.discriminatedUnion('rule', [
            z.object({ rule: z.literal('in_force_on_loan_start') }).strict(),
            z.object({ rule: z.literal('in_force_on_contract_date') }).strict(),
            z.object({ rule: z.literal('latest_published_in_month_before_contract') }).strict(),
            z.object({ rule: z.literal('month_of_repayment_year'), month: z.number().int().min(1).max(12) }).strict(),
          ]),
        ),
        baseRate: parameter(
          z
            .object({
              rule: z.enum(['index', 'actual', 'lower_of_index_and_actual']),
              actualCapMultipleOfIndex: decimalString.nullable(),
            })
            .strict(),
        ),
        ratio: parameter(decimalString.nullable()),
        windowMonths: parameter(z.number().int().min(1).max(120)),
        dayCount: parameter(z.enum(DAY_COUNTS)),
        condition: parameter(z.enum(['none', 'repaid_on_time'])),
        attribution: parameter(z.enum(['accrual', 'settlement'])),
        base: parameter(z.enum(['ip_share_of_daily_outstanding', 'ip_pledged_principal'])),
        combinationIpPartUnknown: parameter(z.literal('ineligible')),
        supportedPart: parameter(z.enum(['whole_ip_part', 'secured_by_eligible_pledges'])),
        minIpShareOfCombination: parameter(decimalString.nullable()),
        capPerLoan: parameter(yuanString.nullable()),
        capPerEnterpriseYear: parameter(yuanString.nullable()),
        capPerEnterpriseRightTypeYear: parameter(yuanString.nullable()),
        capPerEnterpriseCumulative: parameter(yuanString.nullable()),
        sameAsset: parameter(z.enum(['allowed', 'one_year_only'])),
        fundingSplit: parameter(fundingSplitSchema.nullable()),
        feeSupport: parameter(
          z
            .object({
              kinds: z.array(z.enum(['evaluation', 'guarantee', 'insurance'])).min(1),
              ratio: decimalString,
              capPerKindPerEnterpriseYear: yuanString,
              fundingSplit: fundingSplitSchema,
              requiresEligibleRightType: z.boolean(),
            })
            .strict()
            .nullable(),
        ),
        premiumSupport: parameter(
          z.object({ ratio: decimalString, capPerEnterpriseYear: yuanString, fundingSplit: fundingSplitSchema }).strict().nullable(),
        ),
        contributionCap: parameter(
          z
            .object({
              carryForwardYears: z.number().int().min(0).max(10),
              order: z.enum(['current_year_first', 'oldest_first']),
            })
            .strict()
            .nullable(),
        ),
        exclusions: parameter(z.enum(['apply', 'none'])),
        enterpriseConditions: parameter(
          z
            .object({
              independentLegalPerson: z.boolean(),
              normalOperation: z.boolean(),
              notLegalPersonUsccPrefixes: z.array(z.string().regex(/^[0-9A-Z]{1,2}$/, { message: 'must be 1 or 2 characters of a USCC' })).max(20),
            })
            .strict()
            .nullable(),
        ),
        noDoubleSupport: parameter(
          z
            .object({ fiscalLevels: z.array(z.string().min(1)).min(1), stage: z.enum(['before_caps', 'after_caps']) })
            .strict()
            .nullable(),
        ),
        daysBeforeEffectiveFrom: parameter(z.enum(['not_counted', 'counted'])),
      })
      .strict(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------------------------
// Versions recorded before a parameter existed

/**
 * The parameters added after the first versions were recorded, with what a version that does not name them meant
 * when it was recorded. A stored document is never edited: it is read through `completeRecordedPolicy`, so a run
 * made under an old version recomputes exactly as it was made.
 */
const LATER_PARAMETERS: Partial<Record<ParameterName, Parameter<unknown>>> = {
  supportedPart: {
    value: 'whole_ip_part',
    reference: 'not a parameter of this version (recorded before it existed): the IP part is counted whole',
  },
  enterpriseConditions: {
    value: null,
    reference: 'not a parameter of this version (recorded before it existed): no condition on the enterprise itself',
  },
};

/** A recorded policy document with the parameters added since filled in as that version read them. */
export function completeRecordedPolicy(document: unknown): unknown {
  if (typeof document !== 'object' || document === null) return document;
  const parameters = (document as { parameters?: unknown }).parameters;
  if (typeof parameters !== 'object' || parameters === null) return document;
  const missing = Object.entries(LATER_PARAMETERS).filter(([name]) => !(name in parameters));
  if (missing.length === 0) return document;
  return { ...document, parameters: { ...parameters, ...Object.fromEntries(missing) } };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

export type PolicyCheck = { ok: true; policy: Policy } | { ok: false; errors: FieldError[] };

/** Validates a raw policy and names every bad field; never throws. */
export function checkPolicy(raw: unknown): PolicyCheck {
  const parsed = rawPolicySchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    };
  }
  const rawPolicy = parsed.data as RawPolicy;
  const errors = crossFieldErrors(rawPolicy);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, policy: toPolicy(rawPolicy) };
}

/** Validates a raw policy; throws `SubsidyError('policy_invalid')` whose `details.errors` name every bad field. */
export function validatePolicy(raw: unknown): Policy {
  const result = checkPolicy(raw);
  if (!result.ok) {
    const summary = result.errors.map((error) => `${error.path}: ${error.message}`).join('; ');
    throw new SubsidyError('policy_invalid', `policy is invalid: ${summary}`, { errors: result.errors });
  }
  return result.policy;
}

function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

function splitErrors(split: FundingShare[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const bodies = new Set<string>();
  let total = new Dec(0);
  split.forEach((share, index) => {
    if (bodies.has(share.body)) errors.push({ path: `${path}.${index}.body`, message: `body "${share.body}" is listed twice` });
    bodies.add(share.body);
    const value = new Dec(share.share);
    if (value.lte(0) || value.gt(1)) errors.push({ path: `${path}.${index}.share`, message: 'must be above 0 and at most 1' });
    total = total.plus(value);
  });
  if (!total.eq(1)) errors.push({ path, message: `shares must add up to exactly 1 (they add up to ${total.toString()})` });
  return errors;
}

function ratioErrors(ratio: string, path: string): FieldError[] {
  const value = new Dec(ratio);
  return value.lte(0) || value.gt(1) ? [{ path, message: 'must be above 0 and at most 1' }] : [];
}

function crossFieldErrors(raw: RawPolicy): FieldError[] {
  const errors: FieldError[] = [];
  const p = raw.parameters;
  if (!isCalendarDate(raw.effectiveFrom)) errors.push({ path: 'effectiveFrom', message: 'must be a calendar date YYYY-MM-DD' });
  if (raw.effectiveTo != null) {
    if (!isCalendarDate(raw.effectiveTo)) errors.push({ path: 'effectiveTo', message: 'must be a calendar date YYYY-MM-DD' });
    else if (raw.effectiveTo < raw.effectiveFrom) errors.push({ path: 'effectiveTo', message: 'must not be before effectiveFrom' });
  }
  if (new Set(p.eligibleRightTypes.value).size !== p.eligibleRightTypes.value.length) {
    errors.push({ path: 'parameters.eligibleRightTypes.value', message: 'lists a right type twice' });
  }
  const precedence = p.rightTypePrecedence.value;
  if (new Set(precedence).size !== precedence.length) {
    errors.push({ path: 'parameters.rightTypePrecedence.value', message: 'lists a right type twice' });
  }
  for (const type of p.eligibleRightTypes.value) {
    if (!precedence.includes(type)) {
      errors.push({ path: 'parameters.rightTypePrecedence.value', message: `must rank every eligible right type (missing "${type}")` });
    }
  }
  if (p.ratio.value !== null) errors.push(...ratioErrors(p.ratio.value, 'parameters.ratio.value'));
  if (p.minIpShareOfCombination.value !== null) {
    errors.push(...ratioErrors(p.minIpShareOfCombination.value, 'parameters.minIpShareOfCombination.value'));
  }
  const cap = p.baseRate.value.actualCapMultipleOfIndex;
  if (cap !== null && new Dec(cap).lte(0)) {
    errors.push({ path: 'parameters.baseRate.value.actualCapMultipleOfIndex', message: 'must be above 0' });
  }
  if (p.fundingSplit.value !== null) errors.push(...splitErrors(p.fundingSplit.value, 'parameters.fundingSplit.value'));
  if (p.feeSupport.value !== null) {
    errors.push(...ratioErrors(p.feeSupport.value.ratio, 'parameters.feeSupport.value.ratio'));
    errors.push(...splitErrors(p.feeSupport.value.fundingSplit, 'parameters.feeSupport.value.fundingSplit'));
  }
  if (p.premiumSupport.value !== null) {
    errors.push(...ratioErrors(p.premiumSupport.value.ratio, 'parameters.premiumSupport.value.ratio'));
    errors.push(...splitErrors(p.premiumSupport.value.fundingSplit, 'parameters.premiumSupport.value.fundingSplit'));
  }
  return errors;
}

function money(value: string | null): Fen | null {
  return value === null ? null : parseYuan(value);
}

function moneyParameter(parameter: Parameter<string | null>): Parameter<Fen | null> {
  return { ...parameter, value: money(parameter.value), unit: 'fen' };
}

function toPolicy(raw: RawPolicy): Policy {
  const p = raw.parameters;
  const fee = p.feeSupport.value;
  const premium = p.premiumSupport.value;
  return {
    ...raw,
    effectiveTo: raw.effectiveTo ?? null,
    parameters: {
      ...p,
      capPerLoan: moneyParameter(p.capPerLoan),
      capPerEnterpriseYear: moneyParameter(p.capPerEnterpriseYear),
      capPerEnterpriseRightTypeYear: moneyParameter(p.capPerEnterpriseRightTypeYear),
      capPerEnterpriseCumulative: moneyParameter(p.capPerEnterpriseCumulative),
      feeSupport: { ...p.feeSupport, value: fee === null ? null : { ...fee, capPerKindPerEnterpriseYear: parseYuan(fee.capPerKindPerEnterpriseYear) } },
      premiumSupport: {
        ...p.premiumSupport,
        value: premium === null ? null : { ...premium, capPerEnterpriseYear: parseYuan(premium.capPerEnterpriseYear) },
      },
    },
  };
}

/**
 * The parameters a run cannot do without, by what the policy says: the ratio and the funding split always; the rate
 * index unless the base is the loan's actual rate with no cap.
 */
export function unsetRequiredParameters(policy: Policy): ParameterName[] {
  const p = policy.parameters;
  const unset: ParameterName[] = [];
  const needsIndex = p.baseRate.value.rule !== 'actual' || p.baseRate.value.actualCapMultipleOfIndex !== null;
  if (needsIndex && p.rateIndex.value === null) unset.push('rateIndex');
  if (p.ratio.value === null) unset.push('ratio');
  if (p.fundingSplit.value === null) unset.push('fundingSplit');
  return unset;
}
