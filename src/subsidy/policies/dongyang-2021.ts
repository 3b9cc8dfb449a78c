/**
 * Dongyang (Zhejiang), 关于全面加强知识产权工作的实施意见 (意见征求稿) (seed 001, no number), § 6:
 * "企业通过质押专利权、商标专用权获得贷款并按期还清贷款本息的，按贷款当年基准利率的50%给予补助，单个企业每种权项质押每年最高
 * 贴息补助30万元。以组合贷款方式进行融资的，只计算专利权、商标专用权质押融资贷款部分，组合贷款中无法计算专利权、商标专用权
 * 质押融资金额的，不予补助。同一专利或商标享受一个年度内的贴息补助，其他年度不重复享受。企业购买专利保险，按年度保费的50%予以
 * 补助，单个企业每年最高补助10万元。" and §§ 20–23.
 *
 * Version 1 is the record as first shipped (ACT/360, other support netted before the caps, no condition on the
 * enterprise); version 2 corrects those readings (30E/360, other support after the caps, only the patent- and
 * trademark-secured part of a loan that also pledges a copyright, the enterprise conditions of § 20).
 */
import type { RawPolicy, RecordedPolicy } from '../policy';

const DOCUMENT = '《关于全面加强知识产权工作的实施意见》';
const CLAUSE = `${DOCUMENT} § 6`;

export const dongyang2021v1: RecordedPolicy = {
  id: 'dongyang-2021',
  version: 1,
  title: '东阳市关于全面加强知识产权工作的实施意见：专利权、商标专用权质押贷款贴息',
  documentNo: '东阳市关于全面加强知识产权工作的实施意见（意见征求稿，无文号）',
  jurisdiction: { divisionPrefixes: ['330783'], reference: '《关于全面加强知识产权工作的实施意见》 § 20 "在本市登记注册"' },
  effectiveFrom: '2021-01-01',
  effectiveTo: null,
  effectiveFromReference: '《关于全面加强知识产权工作的实施意见》 § 21 "奖励享受政策的起算时间自2021年1月1日起"',
  parameters: {
    eligibleRightTypes: { value: ['patent', 'trademark'], reference: `${CLAUSE} "质押专利权、商标专用权"` },
    rightTypePrecedence: {
      value: ['patent', 'trademark', 'copyright'],
      reference: 'docs/subsidy-rules.md "Right-type precedence"',
      interpretation: 'A pledge of several right types counts under its first eligible type in the order patent, trademark, copyright.',
    },
    rateIndex: {
      value: 'PBOC_BY_TERM',
      reference: `${CLAUSE} "贷款当年基准利率"`,
      interpretation: 'The PBoC benchmark lending rate of the loan\'s term band (≤ 1 year, 1–5 years, > 5 years).',
    },
    rateFixing: {
      value: { rule: 'in_force_on_loan_start' },
      reference: `${CLAUSE} "贷款当年基准利率"`,
      interpretation: '"贷款当年" is read as the benchmark in force on the loan start date.',
    },
    baseRate: { value: { rule: 'index', actualCapMultipleOfIndex: null }, reference: `${CLAUSE} "按贷款当年基准利率的50%"` },
    ratio: { value: '0.5', reference: `${CLAUSE} "基准利率的50%"`, unit: 'fraction' },
    windowMonths: {
      value: 12,
      reference: `${CLAUSE} "同一专利或商标享受一个年度内的贴息补助"`,
      interpretation: '"one year only" is read as the first 12 months of the loan term.',
      unit: 'months',
    },
    dayCount: {
      value: 'ACT/360',
      reference: 'docs/subsidy-rules.md "Day count"',
      interpretation: 'ACT/360: the PBoC rule that the daily rate is the annual rate / 360.',
    },
    condition: {
      value: 'repaid_on_time',
      reference: `${CLAUSE} "按期还清贷款本息"`,
      interpretation: 'Repaid on time: the loan is settled and has no overdue (or default) event.',
    },
    attribution: {
      value: 'settlement',
      reference: `${CLAUSE} "获得贷款并按期还清贷款本息的"`,
      description: 'The run for year Y pays loans settled on time in Y, their whole window.',
    },
    base: {
      value: 'ip_share_of_daily_outstanding',
      reference: `${CLAUSE} "只计算专利权、商标专用权质押融资贷款部分"`,
      interpretation:
        'Base: the IP share of the daily outstanding principal (IP share = IP-pledged amount / principal, 1 for IP-only loans); for a bullet loan this equals "loan amount × rate × ratio".',
    },
    combinationIpPartUnknown: {
      value: 'ineligible',
      reference: `${CLAUSE} "组合贷款中无法计算专利权、商标专用权质押融资金额的，不予补助"`,
    },
    minIpShareOfCombination: { value: null, reference: `${CLAUSE} (no minimum share)` },
    capPerLoan: { value: null, reference: `${CLAUSE} (no per-loan cap)` },
    capPerEnterpriseYear: { value: null, reference: `${CLAUSE} (the cap is per right type)` },
    capPerEnterpriseRightTypeYear: {
      value: '300000.00',
      reference: `${CLAUSE} "单个企业每种权项质押每年最高贴息补助30万元"`,
      unit: 'CNY',
    },
    capPerEnterpriseCumulative: { value: null, reference: `${CLAUSE} (no cumulative cap)` },
    sameAsset: { value: 'one_year_only', reference: `${CLAUSE} "同一专利或商标享受一个年度内的贴息补助，其他年度不重复享受"` },
    fundingSplit: {
      value: [{ body: 'city', share: '1' }],
      reference: '《关于全面加强知识产权工作的实施意见》 (a document of Dongyang city alone: one fiscal level)',
    },
    feeSupport: { value: null, reference: `${CLAUSE} (no fee support)` },
    premiumSupport: {
      value: { ratio: '0.5', capPerEnterpriseYear: '100000.00', fundingSplit: [{ body: 'city', share: '1' }] },
      reference: `${CLAUSE} "企业购买专利保险，按年度保费的50%予以补助，单个企业每年最高补助10万元"`,
      interpretation: 'Premiums count in the year they were paid.',
    },
    contributionCap: {
      value: { carryForwardYears: 2, order: 'current_year_first' },
      reference: '《关于全面加强知识产权工作的实施意见》 § 22 "以不超过该企业当年地方综合贡献额部分为限…剩余补助金额可在后两年内兑现"',
      interpretation:
        'The cap covers every line this run pays the enterprise (interest and premium support). A year\'s headroom goes first to that year\'s own support, then to carried amounts, oldest first.',
    },
    exclusions: { value: 'apply', reference: '《关于全面加强知识产权工作的实施意见》 § 23 "当年度内不能享受本意见中的扶持政策"' },
    noDoubleSupport: {
      value: { fiscalLevels: ['city'], stage: 'before_caps' },
      reference: '《关于全面加强知识产权工作的实施意见》 § 21 "对同一事项涉及多项财政奖励（补助）的，同一级别不重复奖励"',
      interpretation:
        'Support the same loan already received from another city-level programme is netted per loan before the caps: this run pays only the excess of its own amount over it.',
    },
    daysBeforeEffectiveFrom: {
      value: 'not_counted',
      reference: '《关于全面加强知识产权工作的实施意见》 § 21 "奖励享受政策的起算时间自2021年1月1日起"',
      interpretation: 'Days of a window before 2021-01-01 are not counted.',
    },
  },
};

export const dongyang2021: RawPolicy = {
  ...dongyang2021v1,
  version: 2,
  parameters: {
    ...dongyang2021v1.parameters,
    dayCount: {
      value: '30E/360',
      reference: `${CLAUSE} "按贷款当年基准利率的50%给予补助"`,
      interpretation:
        '30E/360: every month counts 30 days and day 31 counts as day 30 (days of [a, b) = f(b) − f(a), f(d) = 360·year + 30·(month − 1) + min(day, 30)), so a whole 12-month window of a constant balance pays exactly "贷款金额 × 基准利率 × 50%".',
    },
    supportedPart: {
      value: 'secured_by_eligible_pledges',
      reference: `${CLAUSE} "只计算专利权、商标专用权质押融资贷款部分，组合贷款中无法计算专利权、商标专用权质押融资金额的，不予补助"`,
      interpretation:
        'A loan that also pledges a copyright is paid on min(IP part, Σ secured amounts (担保债权数额) of its patent and trademark pledges); when a pledge does not state its secured amount, that part cannot be computed: ineligible until each is recorded.',
    },
    noDoubleSupport: {
      value: { fiscalLevels: ['city'], stage: 'after_caps' },
      reference: '《关于全面加强知识产权工作的实施意见》 § 21 "对同一事项涉及多项财政奖励（补助）的，同一级别不重复奖励…按就高不重复原则执行"',
      interpretation:
        'Take the higher: support the same loan already received from another city-level programme is deducted from this run\'s amount after the caps, never below zero, so the enterprise ends up with the higher of the two, never both.',
    },
    enterpriseConditions: {
      value: { independentLegalPerson: true, normalOperation: true, notLegalPersonUsccPrefixes: ['92'] },
      reference: '《关于全面加强知识产权工作的实施意见》 § 20 "本意见中所指企业是指在本市登记注册、具有独立法人资格，财务管理制度和会计核算体系健全，并正常生产经营的企业"',
      interpretation:
        'An individual business (USCC beginning 92) is not an independent legal person. Staff record, dated and with a reason, an enterprise that is not an independent legal person or not in normal operation; a record whose period overlaps the run\'s year makes every line of that enterprise ineligible, naming it. A withdrawn record no longer counts.',
    },
  },
};
