/** The domain's words in Chinese, one place for the whole console. */
import type { Role } from '../api/roles';

export const ROLE_LABELS: Record<Role, string> = {
  staff: '服务中心',
  bank: '合作银行',
  finance: '财政部门',
  auditor: '审计',
};

export const ACCOUNT_TYPE_LABELS: Record<string, string> = {
  asset: '资产',
  liability: '负债',
  equity: '权益',
  income: '收入',
  expense: '费用',
  memo: '备查',
};

export const FUNDING_BODY_LABELS: Record<string, string> = {
  city: '市财政',
  district: '区财政',
  province: '省财政',
};

export const label = (labels: Record<string, string>, code: string | null | undefined): string =>
  code ? (labels[code] ?? code) : '—';

export const LOAN_STATUS_LABELS: Record<string, string> = {
  active: '正常',
  overdue: '逾期',
  defaulted: '违约',
  settled: '结清',
};

export const RIGHT_TYPE_LABELS: Record<string, string> = {
  patent: '专利',
  trademark: '商标',
  copyright: '著作权',
};

export const COLLATERAL_LABELS: Record<string, string> = {
  ip_only: '纯知识产权质押',
  combination: '组合担保',
};

export const EVENT_TYPE_LABELS: Record<string, string> = {
  disbursement: '放款',
  interest_payment: '付息',
  principal_repayment: '还本',
  overdue: '逾期',
  default: '违约',
  settlement: '结清',
};

/** Select options from a label table. */
export const optionsOf = (labels: Record<string, string>) => Object.entries(labels).map(([value, text]) => ({ value, label: text }));
