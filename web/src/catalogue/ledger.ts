/**
 * The ledger's words in Chinese: account types, the groups of accounts by what they record, the sources of entries,
 * and the sign rule of a balance. The accounts' and movements' own names come from the service in Chinese
 * (`nameZh`, `descriptionZh`: src/reports/ledger-names.ts).
 */
import { formatAmount } from '../format/money';

export const ACCOUNT_TYPE_LABELS: Record<string, string> = {
  asset: '资产',
  liability: '负债',
  equity: '权益',
  income: '收入',
  expense: '费用',
  memo: '备查',
};

/** An account code's first part: what the account belongs to. */
export const ACCOUNT_GROUP_LABELS: Record<string, string> = {
  fund: '风险补偿资金池（备查）',
  subsidy: '贴息',
  finance: '财政拨付',
  bank: '合作银行（备查）',
  loan: '贷款（备查）',
};

export const SOURCE_KIND_LABELS: Record<string, string> = {
  loan: '贷款',
  loan_event: '贷款事件',
  fund_contribution: '资金池出资',
  fund_claim: '代偿申请',
  fund_recovery: '追偿',
  fund_write_off: '核销',
  subsidy_run: '贴息批次',
  subsidy_payment: '贴息拨付',
  seed: '期初数据',
};

export const SIDE_LABELS: Record<string, string> = { debit: '借', credit: '贷' };

/**
 * A balance on its side, the sign rule of the ledger page: the API's balance is positive on the account's normal side
 * (debit for assets, expenses and debit memo accounts; credit for the others); shown as "借 ¥5,000.00" or
 * "贷 ¥5,000.00" — the side it lies on and its size, never a minus sign. A zero balance is "平".
 */
export function sidedBalance(balance: string, normalSide: string): string {
  const negative = balance.trim().startsWith('-');
  const size = formatAmount(negative ? balance.trim().slice(1) : balance);
  if (/^¥0\.00$/.test(size)) return '平 ¥0.00';
  const side = negative ? (normalSide === 'debit' ? 'credit' : 'debit') : normalSide;
  return `${SIDE_LABELS[side] ?? ''} ${size}`;
}
