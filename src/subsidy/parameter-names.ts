/**
 * The policy parameters' names in Chinese: one table for the console's forms and version pages
 * (web/src/pages/policies) and the documents the service writes (src/reports/simulation.ts). Dependency-free, so the
 * console's build imports it as it is.
 */
export const PARAMETER_NAMES_ZH: Readonly<Record<string, string>> = {
  eligibleRightTypes: '支持的权利类型',
  rightTypePrecedence: '权利类型优先顺序',
  rateIndex: '基准利率指标',
  rateFixing: '利率定价日',
  baseRate: '计息利率规则',
  ratio: '贴息比例',
  windowMonths: '贴息期限',
  dayCount: '计息天数规则',
  condition: '还款条件',
  attribution: '年度归属',
  base: '计息基数',
  combinationIpPartUnknown: '组合贷款知识产权部分不明',
  supportedPart: '支持部分',
  minIpShareOfCombination: '组合贷款知识产权最低占比',
  capPerLoan: '单笔贷款上限',
  capPerEnterpriseYear: '每家企业每年上限',
  capPerEnterpriseRightTypeYear: '每家企业每类权利每年上限',
  capPerEnterpriseCumulative: '每家企业累计上限',
  sameAsset: '同一知识产权跨年度',
  fundingSplit: '资金分担',
  feeSupport: '评估费、担保费、保险费支持',
  premiumSupport: '保险保费补助',
  contributionCap: '地方贡献上限',
  exclusions: '不予支持情形',
  enterpriseConditions: '企业条件',
  noDoubleSupport: '同级财政不重复支持',
  daysBeforeEffectiveFrom: '生效日前的天数',
};
