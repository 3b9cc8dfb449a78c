/**
 * The ledger's accounts and movements named for people, in Chinese, from the enterprise, the bank and the contract
 * behind them: `loan:<id>:outstanding` is "贷款 YZ-2024-001（园州科技有限公司，工商银行园州支行）：未偿本金", not
 * "Loan YZ-2024-001: outstanding principal". The ledger keeps its codes and English names for programs and for the
 * hledger journal; the console shows these. Pure functions over a lookup read once through the owners' views
 * (`loan_facts`, `bank_directory`, `enterprise_registration`, `funding_body_directory`).
 */
import type { Queryable } from '../db/pool';

export interface NameLookup {
  loans: ReadonlyMap<string, { contractNo: string; uscc: string; bankId: string }>;
  banks: ReadonlyMap<string, { code: string; name: string }>;
  enterprises: ReadonlyMap<string, string>;
  bodies: ReadonlyMap<string, string>;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UUIDS = new RegExp(UUID, 'gi');

/** The loan, bank and enterprise identifiers a set of account codes and entry texts name. */
function identifiersIn(texts: readonly string[]): { ids: string[]; usccs: string[] } {
  const ids = new Set<string>();
  const usccs = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(UUIDS)) ids.add(match[0].toLowerCase());
    for (const match of text.matchAll(/\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b/g)) usccs.add(match[0]);
  }
  return { ids: [...ids], usccs: [...usccs] };
}

/** Reads what the names of these codes and texts need: the loans, banks and enterprises they name, every body. */
export async function readNameLookup(db: Queryable, texts: readonly string[]): Promise<NameLookup> {
  const { ids, usccs } = identifiersIn(texts);
  const loans = new Map<string, { contractNo: string; uscc: string; bankId: string }>();
  if (ids.length > 0) {
    const rows = await db.query<{ id: string; contract_no: string; enterprise_uscc: string; bank_id: string }>(
      `select id::text, contract_no, enterprise_uscc, bank_id::text from loan_facts where id = any($1::uuid[])`,
      [ids],
    );
    for (const row of rows.rows) loans.set(row.id, { contractNo: row.contract_no, uscc: row.enterprise_uscc, bankId: row.bank_id });
  }
  const banks = new Map<string, { code: string; name: string }>();
  for (const row of (await db.query<{ id: string; code: string; name: string }>(`select id::text, code, name from bank_directory`)).rows) {
    banks.set(row.id, { code: row.code, name: row.name });
  }
  const enterpriseUsccs = [...new Set([...usccs, ...[...loans.values()].map((loan) => loan.uscc)])];
  const enterprises = new Map<string, string>();
  if (enterpriseUsccs.length > 0) {
    const rows = await db.query<{ uscc: string; name: string }>(`select uscc, name from enterprise_registration where uscc = any($1::text[])`, [enterpriseUsccs]);
    for (const row of rows.rows) enterprises.set(row.uscc, row.name);
  }
  const bodies = new Map<string, string>();
  for (const row of (await db.query<{ code: string; name: string }>(`select code, name from funding_body_directory`)).rows) bodies.set(row.code, row.name);
  return { loans, banks, enterprises, bodies };
}

/** "贷款 YZ-2024-001（园州科技有限公司，工商银行园州支行）"; a loan not found is "贷款（未登记）". */
export function loanName(lookup: NameLookup, loanId: string): string {
  const loan = lookup.loans.get(loanId.toLowerCase());
  if (!loan) return '贷款（未登记）';
  const enterprise = lookup.enterprises.get(loan.uscc) ?? loan.uscc;
  const bank = lookup.banks.get(loan.bankId)?.name;
  return `贷款 ${loan.contractNo}（${enterprise}${bank ? `，${bank}` : ''}）`;
}

const bankName = (lookup: NameLookup, bankId: string) => lookup.banks.get(bankId.toLowerCase())?.name ?? '合作银行（未登记）';
const bodyName = (lookup: NameLookup, body: string) => lookup.bodies.get(body) ?? body;
const enterpriseName = (lookup: NameLookup, uscc: string) => lookup.enterprises.get(uscc) ?? uscc;

const LOAN_ACCOUNTS: Record<string, string> = {
  undrawn: '未放款本金',
  outstanding: '未偿本金',
  repaid: '已还本金',
  'interest-paid': '已付利息',
};
const BANK_ACCOUNTS: Record<string, string> = {
  facilities: '知识产权质押贷款授信本金',
  'interest-received': '知识产权质押贷款利息收入',
};
const FUND_ACCOUNTS: Record<string, string> = {
  cash: '资金专户',
  uncommitted: '未承诺可用资金',
  commitments: '已承诺或已收资金（备抵）',
  'compensation-expense': '代偿支出',
  'recovery-income': '追偿收入',
  'recoverable-contra': '待追偿代偿（备抵）',
};

/** An account's Chinese name from its code; a code of no known form keeps the ledger's own name. */
export function accountNameZh(code: string, lookup: NameLookup, fallback: string): string {
  const parts = code.split(':');
  const [kind, first = '', second = '', third = '', fourth = ''] = parts;
  if (kind === 'loan' && parts.length === 3 && LOAN_ACCOUNTS[second]) return `${loanName(lookup, first)}：${LOAN_ACCOUNTS[second]}`;
  if (kind === 'bank' && parts.length === 3 && BANK_ACCOUNTS[second]) return `${bankName(lookup, first)}：${BANK_ACCOUNTS[second]}`;
  if (kind === 'fund') {
    const fund = `风险补偿资金池 ${first}`;
    if (parts.length === 3 && FUND_ACCOUNTS[second]) return `${fund}：${FUND_ACCOUNTS[second]}`;
    if (second === 'capital' && parts.length === 4) return `${fund}：${bodyName(lookup, third)}出资`;
    if (second === 'claims-payable' && parts.length === 4) return `${fund}：应付${bankName(lookup, third)}代偿款`;
    if (second === 'recoverable' && parts.length === 4) return `${fund}：${loanName(lookup, third)}已代偿待追偿`;
    if (second === 'claims-paid' && parts.length === 3) return `${fund}：已赔付代偿`;
  }
  if (kind === 'subsidy' && second === 'expense' && parts.length === 3) return `${bodyName(lookup, first)}：贴息支出`;
  if (kind === 'subsidy' && second === 'payable' && parts.length === 5) return `${bodyName(lookup, first)}：应付${enterpriseName(lookup, fourth)}贴息`;
  if (kind === 'finance' && second === 'treasury' && parts.length === 3) return `${bodyName(lookup, first)}：国库拨付`;
  return fallback;
}

/** The kind of an account for grouping (the console pages memo accounts apart): loan, bank, fund, subsidy, finance. */
export function accountGroup(code: string): string {
  return code.split(':')[0] ?? '';
}

const LOAN_MOVEMENTS: Record<string, string> = {
  'principal granted': '授信本金',
  disbursement: '放款',
  'principal repayment': '还本',
  'interest payment': '付息',
};

/**
 * A ledger entry's Chinese description from the source that posted it and the English description the posting code
 * writes (src/loans/accounts.ts, src/fund/accounts.ts, src/subsidy/runs/postings.ts); an entry of no known form is
 * named by its source only.
 */
export function movementNameZh(entry: { description: string; source: { kind: string; id: string } }, lookup: NameLookup): string {
  const { description, source } = entry;
  const loanInText = new RegExp(`loan (${UUID})`, 'i').exec(description)?.[1];
  switch (source.kind) {
    case 'loan':
    case 'loan_event': {
      const match = /^Loan (.+): (principal granted|disbursement|principal repayment|interest payment)$/.exec(description);
      return match ? `贷款 ${match[1]}：${LOAN_MOVEMENTS[match[2]!]}` : '贷款事件';
    }
    case 'fund_contribution': {
      const match = /^Fund (\S+): contribution by (\S+)$/.exec(description);
      return match ? `风险补偿资金池 ${match[1]}：${bodyName(lookup, match[2]!)}出资` : '资金池出资';
    }
    case 'fund_claim':
      return `${/paid to the bank$/.test(description) ? '拨付代偿' : '批准代偿'}${loanInText ? `：${loanName(lookup, loanInText)}` : ''}`;
    case 'fund_recovery':
      return `追偿所得${loanInText ? `：${loanName(lookup, loanInText)}` : ''}`;
    case 'fund_write_off':
      return `核销代偿${loanInText ? `：${loanName(lookup, loanInText)}` : ''}`;
    case 'subsidy_run': {
      const match = /^Interest subsidy \S+ (\d{4})( \(adjustment\))?: approved for (\S+)$/.exec(description);
      return match ? `${match[1]} 年度贴息${match[2] ? '（调整）' : ''}批准：${enterpriseName(lookup, match[3]!)}` : '贴息批准';
    }
    case 'subsidy_payment': {
      const match = /^Interest subsidy paid by (\S+) under run \S+: (.*)$/.exec(description);
      return match ? `${bodyName(lookup, match[1]!)}拨付贴息（凭证 ${match[2]}）` : '贴息拨付';
    }
    default:
      return /[\u4e00-\u9fff]/.test(description) ? description : '其他记账';
  }
}

/** The source of an entry in Chinese ("贷款事件", "贴息批次"…), never its identifier. */
export const SOURCE_KIND_ZH: Record<string, string> = {
  loan: '贷款',
  loan_event: '贷款事件',
  fund_contribution: '资金池出资',
  fund_claim: '代偿申请',
  fund_recovery: '追偿',
  fund_write_off: '核销',
  subsidy_run: '贴息批次',
  subsidy_payment: '贴息拨付',
};
