/**
 * The subsidy computation's words in Chinese: why a line is ineligible (the run line's `reasons[].code`, REASON_CODES
 * of src/subsidy/types.ts) and the interpretations a trace relies on (by parameter name; the policy records keep
 * English text for programs).
 */
export const REASON_LABELS: Record<string, string> = {
  enterprise_excluded: '企业当年被排除',
  right_type_not_eligible: '质押权利类型不在支持范围内',
  combination_ip_part_unknown: '组合贷款未载明知识产权质押部分',
  ip_share_below_minimum: '知识产权占比低于最低比例',
  not_settled: '贷款尚未结清',
  repaid_late: '未按期还款（有逾期或违约记录）',
  asset_subsidised_in_another_year: '质押物已在其他年度享受贴息',
  contract_date_missing: '未登记合同日期',
  outstanding_negative: '登记的还款超过放款',
  no_eligible_loan: '没有符合条件的贷款',
  secured_amount_missing: '缺少担保债权数额',
  enterprise_not_independent_legal_person: '不具有独立法人资格',
  enterprise_not_in_normal_operation: '未正常生产经营',
  settled_after_maturity: '到期后才结清',
};

/** A reason as the console shows it: the server's Chinese sentence when it sent one, else the catalogue's title. */
export function reasonText(reason: { code: string; messageZh?: string }): string {
  return reason.messageZh || REASON_LABELS[reason.code] || '不符合政策条件';
}

/** The interpretations of the shipped policies in Chinese, by parameter name (and, for the day count, by convention). */
export const INTERPRETATION_LABELS: Record<string, string> = {
  rightTypePrecedence: '同时质押多类权利的，按专利权、商标专用权、著作权的顺序，以第一类支持的权利计',
  rateIndex: '文件所称基准利率按该期限档次的贷款市场报价利率（或人民银行基准利率）读取',
  rateFixing: '文件未规定定价日：取贷款起始日有效的报价',
  windowMonths: '“只补贴一年”读作贷款期限的前 12 个月',
  dayCount: '按日计息：日利率 = 年利率 ÷ 360',
  dayCount30E: '按 30E/360 计息：每月按 30 天，31 日按 30 日计，全年恒定余额的贴息恰为“贷款金额 × 利率 × 比例”',
  condition: '按期还款：贷款已结清，且无逾期或违约记录',
  base: '计息基数：每日未偿本金的知识产权部分（知识产权占比 = 知识产权质押部分 ÷ 本金，纯知识产权质押为 1）；到期一次还本的贷款即“贷款金额 × 利率 × 比例”',
  combinationIpPartUnknown: '组合贷款未载明知识产权质押部分的，无法区分，不予补贴',
  capPerEnterpriseYear: '“贴息总额最高不超过 10 万元”读作每家企业每年最高 10 万元',
  capPerLoan: '“贴息总额最高不超过 10 万元”也按单笔贷款的整个贴息期计算：跨两个年度的贴息期不重复计上限',
  feeSupport: '费用补助由区级财政单独承担；每类费用每家企业每年最高 5 万元，按支付年度计，只补助质押专利的贷款',
  premiumSupport: '保费按支付年度计',
  contributionCap: '上限涵盖本批次支付给企业的全部款项（贴息和保费补助）；当年额度先用于当年补助，再按先后支付结转款项',
  noDoubleSupport: '同一贷款已获同级财政其他补助的，从本政策金额中扣除，企业享受二者中较高者（就高不就低）',
  daysBeforeEffectiveFrom: '政策生效前的天数不计',
  supportedPart: '同时质押不支持的权利类型的，按 min（知识产权部分，支持类型质押的担保债权数额合计）补贴；未载明担保债权数额的，无法计算该部分',
  enterpriseConditions: '个体工商户（信用代码以 92 开头）不具有独立法人资格；工作人员可按期间记录企业不具有独立法人资格或未正常生产经营，并注明原因',
};

export function interpretationText(item: { parameter: string; text: string }): string {
  if (item.parameter === 'dayCount' && item.text.startsWith('30E/360')) return INTERPRETATION_LABELS.dayCount30E!;
  return INTERPRETATION_LABELS[item.parameter] ?? '按政策文件的规定适用';
}

/** The note on a fee item the run did not count. */
export function itemNoteText(note: string | undefined): string {
  if (!note) return '';
  if (/[\u4e00-\u9fff]/.test(note)) return note;
  return note.startsWith('not counted') ? '不计入：该贷款未质押政策支持的权利类型' : '';
}

export const FEE_KIND_LABELS: Record<string, string> = {
  evaluation: '评估费',
  guarantee: '担保费',
  insurance: '保险费',
  premium: '保费',
  carried: '结转',
};

/**
 * A clause reference as clerks read it: the document and clause ("袁府办字〔2023〕25号 四(三)2", quotes of the document
 * kept), without the English notes the policy records add in parentheses for programs and reviewers
 * ("(a document of Yuanzhou district, 360902: …)").
 */
export function clauseText(reference: string): string {
  return reference
    .replace(/\s*\((?=[^()]*[A-Za-z]{2,}[^()]*[A-Za-z]{2,})[^()]*\)/g, '')
    .trim();
}

/**
 * A policy parameter's source as clerks read it: a clause of the document, or, where the document is silent and the
 * reading is the service's own, the rules page that states it (docs/subsidy-rules.md) named in Chinese.
 */
export function parameterReferenceText(reference: string): string {
  if (reference.startsWith('docs/')) return '本系统补贴规则说明（文件未明示之处的读法）';
  return clauseText(reference);
}

/** What a parameter's value means, in Chinese; a record's English note is for programs and never shown. */
export function parameterDescriptionText(parameter: string, text: string | undefined): string {
  if (!text) return '';
  if (/[\u4e00-\u9fff]/.test(text)) return text;
  if (parameter === 'attribution') {
    return /settled/.test(text) ? 'Y 年度批次支付在 Y 年按期结清的贷款，按其整个贴息期计算' : 'Y 年度批次支付贴息期中落在 Y 年的部分';
  }
  if (parameter === 'supportedPart') return '各类权利均在支持范围内，整个知识产权部分计入；列出仅为完整';
  return '';
}
