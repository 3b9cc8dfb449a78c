/** The subsidy module's words in Chinese (runs, lines, objections). */
export const RUN_STATUS_LABELS: Record<string, string> = {
  draft: '草稿',
  reviewed: '已复核',
  publicised: '公示中',
  approved: '已批准',
  partially_paid: '部分拨付',
  paid: '已拨付',
};

export const RUN_KIND_LABELS: Record<string, string> = { regular: '年度', adjustment: '调整' };

export const LINE_KIND_LABELS: Record<string, string> = {
  interest: '贷款贴息',
  fee_evaluation: '评估费补助',
  fee_guarantee: '担保费补助',
  fee_insurance: '保险费补助',
  premium: '保费补助',
  carried_forward: '结转支付',
};

export const ADJUSTMENT_STEP_LABELS: Record<string, string> = {
  cap_per_loan: '单笔贷款上限',
  other_support_same_level: '同级其他支持抵减',
  cap_per_enterprise_right_type_year: '企业每类权利年度上限',
  cap_per_enterprise_year: '企业年度上限',
  cap_per_enterprise_cumulative: '企业累计上限',
  cap_per_kind_per_enterprise_year: '企业每类费用年度上限',
  contribution_cap: '贡献额上限',
};

export const RESOLUTION_LABELS: Record<string, string> = { upheld: '异议成立', dismissed: '异议不成立' };

/** Statuses whose 公示 roster exists (the API answers 409 before, src/reports/exports.ts). */
export const ROSTER_STATUSES = ['publicised', 'approved', 'partially_paid', 'paid'];
