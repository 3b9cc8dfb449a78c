/**
 * The ledger's accounts and movements named in Chinese from the enterprise, the bank and the contract behind them
 * (src/reports/ledger-names.ts), never from the identifiers in their codes.
 */
import { accountNameZh, movementNameZh, type NameLookup } from '../src/reports/ledger-names';

const LOAN = '0b6c1f9e-4d1a-4c1e-9a55-6f1d2e3c4b5a';
const BANK = '5e0c8f2a-1b2c-4d3e-8f90-a1b2c3d4e5f6';
const RUN = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const USCC = '91360902MA36R7KCX7';

const lookup: NameLookup = {
  loans: new Map([[LOAN, { contractNo: 'YZ-2024-001', uscc: USCC, bankId: BANK }]]),
  banks: new Map([[BANK, { code: 'ICBC-YZ', name: '中国工商银行园州支行' }]]),
  enterprises: new Map([[USCC, '园州知识产权科技有限公司']]),
  bodies: new Map([
    ['city', '市财政局'],
    ['district', '区财政局'],
  ]),
};

describe('account names', () => {
  it.each([
    [`loan:${LOAN}:outstanding`, '贷款 YZ-2024-001（园州知识产权科技有限公司，中国工商银行园州支行）：未偿本金'],
    [`loan:${LOAN}:undrawn`, '贷款 YZ-2024-001（园州知识产权科技有限公司，中国工商银行园州支行）：未放款本金'],
    [`bank:${BANK}:facilities`, '中国工商银行园州支行：知识产权质押贷款授信本金'],
    [`bank:${BANK}:interest-received`, '中国工商银行园州支行：知识产权质押贷款利息收入'],
    ['fund:YZ:cash', '风险补偿资金池 YZ：资金专户'],
    ['fund:YZ:capital:city', '风险补偿资金池 YZ：市财政局出资'],
    [`fund:YZ:claims-payable:${BANK}`, '风险补偿资金池 YZ：应付中国工商银行园州支行代偿款'],
    [`fund:YZ:recoverable:${LOAN}`, '风险补偿资金池 YZ：贷款 YZ-2024-001（园州知识产权科技有限公司，中国工商银行园州支行）已代偿待追偿'],
    ['subsidy:district:expense', '区财政局：贴息支出'],
    [`subsidy:district:payable:${RUN}:${USCC}`, '区财政局：应付园州知识产权科技有限公司贴息'],
    ['finance:city:treasury', '市财政局：国库拨付'],
  ])('%s → %s', (code, name) => {
    expect(accountNameZh(code, lookup, 'English name')).toBe(name);
  });

  it('keeps the ledger name of an account of no known form, and never shows a loan id it cannot name', () => {
    expect(accountNameZh('misc:thing', lookup, '其他科目')).toBe('其他科目');
    expect(accountNameZh('loan:11111111-2222-4333-8444-555555555555:outstanding', lookup, 'x')).toBe('贷款（未登记）：未偿本金');
  });
});

describe('movement names', () => {
  it.each([
    [{ description: 'Loan YZ-2024-001: disbursement', source: { kind: 'loan_event', id: 'e' } }, '贷款 YZ-2024-001：放款'],
    [{ description: 'Loan YZ-2024-001: principal granted', source: { kind: 'loan', id: LOAN } }, '贷款 YZ-2024-001：授信本金'],
    [{ description: 'Loan YZ-2024-001: interest payment', source: { kind: 'loan_event', id: 'e' } }, '贷款 YZ-2024-001：付息'],
    [{ description: 'Fund YZ: contribution by city', source: { kind: 'fund_contribution', id: 'c' } }, '风险补偿资金池 YZ：市财政局出资'],
    [
      { description: `Fund YZ: claim ${RUN} on loan ${LOAN} paid to the bank`, source: { kind: 'fund_claim', id: RUN } },
      '拨付代偿：贷款 YZ-2024-001（园州知识产权科技有限公司，中国工商银行园州支行）',
    ],
    [{ description: `Interest subsidy yuanzhou-2023 2024: approved for ${USCC}`, source: { kind: 'subsidy_run', id: RUN } }, '2024 年度贴息批准：园州知识产权科技有限公司'],
    [{ description: `Interest subsidy paid by district under run ${RUN}: BZ-2025-07`, source: { kind: 'subsidy_payment', id: 'p' } }, '区财政局拨付贴息（凭证 BZ-2025-07）'],
  ])('%j → %s', (entry, name) => {
    expect(movementNameZh(entry, lookup)).toBe(name);
  });
});
