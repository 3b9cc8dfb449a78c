/** The enterprise file's words in Chinese, by the API's codes. */
export const FEE_KIND_LABELS: Record<string, string> = { evaluation: '评估费', guarantee: '担保费', insurance: '保险费' };

export const FISCAL_LEVEL_LABELS: Record<string, string> = {
  national: '中央财政',
  province: '省级财政',
  city: '市级财政',
  district: '区级财政',
  county: '县级财政',
};

export const STATUS_CONDITION_LABELS: Record<string, string> = {
  not_independent_legal_person: '不具有独立法人资格',
  not_in_normal_operation: '未正常生产经营',
};

export const CLAIM_STATUS_LABELS: Record<string, string> = { submitted: '已提交', approved: '已核准', paid: '已代偿', rejected: '已驳回' };
