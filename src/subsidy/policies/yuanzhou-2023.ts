/**
 * Yuanzhou District, Yichun (Jiangxi), 袁府办字〔2023〕25号 (seed 000), 四(三)2:
 * "企业以专利权进行质押贷款的，按贷款金额*贷款市场报价利率（LPR）的15%对贷款期12个月内的利息予以补贴，贴息总额最高不超过
 * 10万元，以专利权与其他资产组合贷款的，对专利权质押部分的贷款利息予以补贴，以上补贴资金由市财政和区财政各承担50%；对企业
 * 质押贷款产生的评估费、担保费、保险费分别按最高不超过实际发生费用的50%进行支持，上限均为5万元。"
 *
 * Version 1 is the record as first shipped (ACT/360, other support netted before the caps, no per-loan cap); version 2
 * corrects those readings (30E/360, 100,000 CNY per loan over its whole window, only the patent-secured part of a loan
 * that also pledges other rights, other support netted after the caps). A recorded version is never edited: runs made
 * under version 1 recompute under version 1.
 */
import type { RawPolicy, RecordedPolicy } from '../policy';

const DOCUMENT = '袁府办字〔2023〕25号';
const CLAUSE = `${DOCUMENT} 四(三)2`;

export const yuanzhou2023v1: RecordedPolicy = {
  id: 'yuanzhou-2023',
  version: 1,
  title: '袁州区加强专利建设促进知识产权高质量发展实施方案：专利权质押贷款贴息',
  documentNo: '袁府办字〔2023〕25号',
  jurisdiction: { divisionPrefixes: ['360902'], reference: '袁府办字〔2023〕25号 (a document of Yuanzhou district, 360902: "结合我区实际")' },
  effectiveFrom: '2023-01-01',
  effectiveTo: null,
  effectiveFromReference: '袁府办字〔2023〕25号 (document of 2023, no day given; Interpretation: in force for the whole of 2023)',
  parameters: {
    eligibleRightTypes: { value: ['patent'], reference: `${CLAUSE} "企业以专利权进行质押贷款的"` },
    rightTypePrecedence: {
      value: ['patent', 'trademark', 'copyright'],
      reference: 'docs/subsidy-rules.md "Right-type precedence"',
      interpretation: 'A pledge of several right types counts under its first eligible type in the order patent, trademark, copyright.',
    },
    rateIndex: {
      value: 'LPR1Y',
      reference: `${CLAUSE} "贷款市场报价利率（LPR）"`,
      interpretation: 'The LPR named without a term is read as the 1-year LPR.',
    },
    rateFixing: {
      value: { rule: 'in_force_on_loan_start' },
      reference: `${CLAUSE} (names no fixing date)`,
      interpretation: 'The document names no fixing date: the LPR in force on the loan start date.',
    },
    baseRate: { value: { rule: 'index', actualCapMultipleOfIndex: null }, reference: `${CLAUSE} "按贷款金额*贷款市场报价利率（LPR）的15%"` },
    ratio: { value: '0.15', reference: `${CLAUSE} "LPR的15%"`, unit: 'fraction' },
    windowMonths: { value: 12, reference: `${CLAUSE} "对贷款期12个月内的利息予以补贴"`, unit: 'months' },
    dayCount: {
      value: 'ACT/360',
      reference: 'docs/subsidy-rules.md "Day count"',
      interpretation: 'ACT/360: the PBoC rule that the daily rate is the annual rate / 360.',
    },
    condition: { value: 'none', reference: `${CLAUSE} (no repayment condition)` },
    attribution: {
      value: 'accrual',
      reference: '袁府办字〔2023〕25号 奖励认定2 "本政策实行一年一兑现"',
      description: 'The run for year Y pays the part of the window that falls in Y.',
    },
    base: {
      value: 'ip_share_of_daily_outstanding',
      reference: `${CLAUSE} "对专利权质押部分的贷款利息予以补贴"`,
      interpretation:
        'Base: the IP share of the daily outstanding principal (IP share = IP-pledged amount / principal, 1 for IP-only loans); for a bullet loan this equals "loan amount × rate × ratio".',
    },
    combinationIpPartUnknown: {
      value: 'ineligible',
      reference: `${CLAUSE} "对专利权质押部分的贷款利息予以补贴"`,
      interpretation: 'A combination loan whose patent-pledged part is not stated cannot be subsidised: ineligible.',
    },
    minIpShareOfCombination: { value: null, reference: `${CLAUSE} (no minimum share)` },
    capPerLoan: { value: null, reference: `${CLAUSE} (no per-loan cap)` },
    capPerEnterpriseYear: {
      value: '100000.00',
      reference: `${CLAUSE} "贴息总额最高不超过10万元"`,
      interpretation: '"贴息总额最高不超过10万元" is read as at most 100,000 CNY per enterprise per year.',
      unit: 'CNY',
    },
    capPerEnterpriseRightTypeYear: { value: null, reference: `${CLAUSE} (no per-right-type cap)` },
    capPerEnterpriseCumulative: { value: null, reference: `${CLAUSE} (no cumulative cap)` },
    sameAsset: { value: 'allowed', reference: `${CLAUSE} (no same-asset rule)` },
    fundingSplit: {
      value: [
        { body: 'city', share: '0.5' },
        { body: 'district', share: '0.5' },
      ],
      reference: `${CLAUSE} "以上补贴资金由市财政和区财政各承担50%"`,
    },
    feeSupport: {
      value: {
        kinds: ['evaluation', 'guarantee', 'insurance'],
        ratio: '0.5',
        capPerKindPerEnterpriseYear: '50000.00',
        fundingSplit: [{ body: 'district', share: '1' }],
        requiresEligibleRightType: true,
      },
      reference: `${CLAUSE} "评估费、担保费、保险费分别按最高不超过实际发生费用的50%进行支持，上限均为5万元"`,
      interpretation:
        'Funded by the district alone: the 50/50 split sentence precedes the fee sentence. Each kind is capped at 50,000 CNY per enterprise per year; fees count in the year they were paid, for loans that pledge a patent.',
    },
    premiumSupport: { value: null, reference: `${CLAUSE} (insurance fees are fee support)` },
    contributionCap: { value: null, reference: '袁府办字〔2023〕25号 (no contribution cap)' },
    exclusions: { value: 'none', reference: '袁府办字〔2023〕25号 (no exclusion clause)' },
    noDoubleSupport: {
      value: { fiscalLevels: ['district'], stage: 'before_caps' },
      reference: '袁府办字〔2023〕25号 奖励认定1 "仅能享受同一级财政的一次补助…就高不就低"',
      interpretation:
        'Support the same loan already received from another district-level programme is netted per loan before the caps: this run pays only the excess of its own amount over it.',
    },
    daysBeforeEffectiveFrom: {
      value: 'not_counted',
      reference: '袁府办字〔2023〕25号 (document of 2023)',
      interpretation: 'Days of a window before the policy took effect are not counted.',
    },
  },
};

export const yuanzhou2023: RawPolicy = {
  ...yuanzhou2023v1,
  version: 2,
  parameters: {
    ...yuanzhou2023v1.parameters,
    dayCount: {
      value: '30E/360',
      reference: `${CLAUSE} "按贷款金额*贷款市场报价利率（LPR）的15%对贷款期12个月内的利息予以补贴"`,
      interpretation:
        '30E/360: every month counts 30 days and day 31 counts as day 30 (days of [a, b) = f(b) − f(a), f(d) = 360·year + 30·(month − 1) + min(day, 30)), so a whole 12-month window of a constant balance pays exactly "贷款金额 × LPR × 15%", as the document writes the formula.',
    },
    supportedPart: {
      value: 'secured_by_eligible_pledges',
      reference: `${CLAUSE} "以专利权与其他资产组合贷款的，对专利权质押部分的贷款利息予以补贴"`,
      interpretation:
        'A loan that also pledges trademarks or copyrights is paid on min(IP part, Σ secured amounts (担保债权数额) of its patent pledges); when a pledge does not state its secured amount, the patent part cannot be computed and the loan is ineligible until each is recorded.',
    },
    capPerLoan: {
      value: '100000.00',
      reference: `${CLAUSE} "对贷款期12个月内的利息予以补贴，贴息总额最高不超过10万元"`,
      interpretation:
        '"贴息总额最高不超过10万元" is also read per loan over its whole 12-month window: a window spanning two years is not capped twice. Each year\'s part is cut to min(earlier parts + this part, 100,000) − min(earlier parts, 100,000), the earlier parts computed by the run from the same inputs.',
      unit: 'CNY',
    },
    noDoubleSupport: {
      value: { fiscalLevels: ['district'], stage: 'after_caps' },
      reference: '袁府办字〔2023〕25号 奖励认定1 "仅能享受同一级财政的一次补助…就高不就低"',
      interpretation:
        'Take the higher: support the same loan already received from another district-level programme is deducted from this run\'s amount after the caps, never below zero, so the enterprise ends up with the higher of the two, never both.',
    },
    enterpriseConditions: { value: null, reference: '袁府办字〔2023〕25号 (no condition on the enterprise\'s legal form or operation)' },
  },
};
