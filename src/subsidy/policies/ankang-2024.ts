/**
 * Ankang (Shaanxi), 安政办发〔2024〕13号 (seed 004), 第12条:
 * "对企业用专利等知识产权获得质押贷款并按期偿还本息的，按比例给予两年贴息。"
 * The document gives neither the rate, nor the ratio, nor who pays: those parameters are UNSET (null) until staff set
 * them, and a run is refused until then.
 *
 * Version 1 is the record as first shipped (ACT/360); version 2 counts days 30E/360 like the other shipped policies.
 */
import type { RawPolicy, RecordedPolicy } from '../policy';

const DOCUMENT = '安政办发〔2024〕13号';
const CLAUSE = `${DOCUMENT} 第12条`;

export const ankang2024v1: RecordedPolicy = {
  id: 'ankang-2024',
  version: 1,
  title: '安康市专利转化运用促进知识产权高质量发展若干措施：知识产权质押贷款贴息',
  documentNo: '安政办发〔2024〕13号',
  jurisdiction: { divisionPrefixes: ['6109'], reference: '安政办发〔2024〕13号 (a document of Ankang city, 6109xx: the city and its counties)' },
  effectiveFrom: '2024-12-13',
  effectiveTo: null,
  effectiveFromReference: '安政办发〔2024〕13号 (document dated 2024-12-13)',
  parameters: {
    eligibleRightTypes: { value: ['patent', 'trademark', 'copyright'], reference: `${CLAUSE} "用专利等知识产权获得质押贷款"` },
    rightTypePrecedence: {
      value: ['patent', 'trademark', 'copyright'],
      reference: 'docs/subsidy-rules.md "Right-type precedence"',
      interpretation: 'A pledge of several right types counts under its first eligible type in the order patent, trademark, copyright.',
    },
    rateIndex: { value: null, reference: `${CLAUSE} (set by staff: the document names no rate)` },
    rateFixing: { value: { rule: 'in_force_on_loan_start' }, reference: `${CLAUSE} (names no rate: fixed on the loan start unless staff set another rule)` },
    baseRate: { value: { rule: 'index', actualCapMultipleOfIndex: null }, reference: `${CLAUSE} (set by staff)` },
    ratio: { value: null, reference: `${CLAUSE} "按比例给予两年贴息" (set by staff: the document gives no ratio)` },
    windowMonths: { value: 24, reference: `${CLAUSE} "两年贴息"`, unit: 'months' },
    dayCount: {
      value: 'ACT/360',
      reference: 'docs/subsidy-rules.md "Day count"',
      interpretation: 'ACT/360: the PBoC rule that the daily rate is the annual rate / 360.',
    },
    condition: {
      value: 'repaid_on_time',
      reference: `${CLAUSE} "按期偿还本息"`,
      interpretation: 'Repaid on time: the loan is settled and has no overdue (or default) event.',
    },
    attribution: { value: 'settlement', reference: `${CLAUSE} "按期偿还本息的"` },
    base: {
      value: 'ip_share_of_daily_outstanding',
      reference: `${CLAUSE} "质押贷款"`,
      interpretation:
        'Base: the IP share of the daily outstanding principal (IP share = IP-pledged amount / principal, 1 for IP-only loans); for a bullet loan this equals "loan amount × rate × ratio".',
    },
    combinationIpPartUnknown: {
      value: 'ineligible',
      reference: `${CLAUSE} "知识产权获得质押贷款"`,
      interpretation: 'A combination loan whose IP-pledged part is not stated cannot be subsidised: ineligible.',
    },
    minIpShareOfCombination: { value: null, reference: `${CLAUSE} (no minimum share)` },
    capPerLoan: { value: null, reference: `${CLAUSE} (none unless set)` },
    capPerEnterpriseYear: { value: null, reference: `${CLAUSE} (none unless set)` },
    capPerEnterpriseRightTypeYear: { value: null, reference: `${CLAUSE} (none unless set)` },
    capPerEnterpriseCumulative: { value: null, reference: `${CLAUSE} (none unless set)` },
    sameAsset: { value: 'allowed', reference: `${CLAUSE} (no same-asset rule)` },
    fundingSplit: { value: null, reference: `${CLAUSE} (set by staff: the document does not say who pays)` },
    feeSupport: { value: null, reference: `${CLAUSE} (no fee support)` },
    premiumSupport: { value: null, reference: `${CLAUSE} "执行中省知识产权保险保费补贴政策" (central and provincial schemes, not this run)` },
    contributionCap: { value: null, reference: '安政办发〔2024〕13号 (no contribution cap)' },
    exclusions: { value: 'none', reference: '安政办发〔2024〕13号 (no exclusion clause)' },
    noDoubleSupport: { value: null, reference: '安政办发〔2024〕13号 (no rule on double support)' },
    daysBeforeEffectiveFrom: {
      value: 'not_counted',
      reference: '安政办发〔2024〕13号 (document dated 2024-12-13)',
      interpretation: 'Days of a window before the policy took effect are not counted.',
    },
  },
};

export const ankang2024: RawPolicy = {
  ...ankang2024v1,
  version: 2,
  parameters: {
    ...ankang2024v1.parameters,
    dayCount: {
      value: '30E/360',
      reference: `${CLAUSE} "按比例给予两年贴息"`,
      interpretation:
        '30E/360: every month counts 30 days and day 31 counts as day 30 (days of [a, b) = f(b) − f(a), f(d) = 360·year + 30·(month − 1) + min(day, 30)), so a whole year of a constant balance pays exactly "贷款金额 × 利率 × 比例".',
    },
    supportedPart: {
      value: 'secured_by_eligible_pledges',
      reference: `${CLAUSE} "用专利等知识产权获得质押贷款"`,
      description: 'Every right type is supported, so the whole IP part counts; shown for completeness.',
    },
    enterpriseConditions: { value: null, reference: '安政办发〔2024〕13号 (no condition on the enterprise\'s legal form or operation)' },
  },
};
