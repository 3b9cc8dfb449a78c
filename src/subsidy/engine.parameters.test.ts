/**
 * The parameters the shipped policies do not use but real schemes elsewhere need (docs/subsidy-rules.md "Parameters
 * other schemes need"): base rate rules and the cap on the actual rate, fixing rules, ACT/360 and ACT/365, per-loan
 * and cumulative caps, a minimum IP share, a flat IP-pledged base.
 *
 * All cases: a 1,000,000.00 CNY (100,000,000 fen) patent loan 2024-01-01 to 2025-01-01, settled at maturity, its
 * 12-month window [2024-01-01, 2025-01-01) all in 2024 (360 days 30E/360, 366 calendar days), under a copy of the
 * Yuanzhou policy with ratio 0.5 unless said otherwise. LPR1Y in force on 2024-01-01: 0.0345.
 * With 30E/360 and 360 days, amount = 100,000,000 × rate × ratio.
 */
import { computeRun } from './engine';
import { yuanzhou2023 } from './policies';
import { validatePolicy } from './policy';
import { loan, runInput, withParameters } from './test-fixtures';
import type { RawPolicy } from './policy';

const policyWith = (values: Parameters<typeof withParameters>[1]) => validatePolicy(withParameters(yuanzhou2023, { ratio: '0.5', ...values }));
const base = loan({ loanId: 'P-1', startDate: '2024-01-01', maturityDate: '2025-01-01', annualRate: '0.0600', settledOn: '2025-01-01' });
const amountOf = (policy: ReturnType<typeof policyWith>, extra: Partial<Parameters<typeof runInput>[2]> = {}, theLoan = base) =>
  computeRun(runInput(policy, 2024, { loans: [theLoan], ...extra })).lines[0]!;

describe('base rate rules', () => {
  it('The actual rate capped at 1.4 × LPR: 1.4 × 0.0345 = 0.0483 < 0.0600 → 100,000,000 × 0.0483 × 0.5 = 2,415,000', () => {
    const line = amountOf(policyWith({ baseRate: { rule: 'actual', actualCapMultipleOfIndex: '1.4' } }));
    expect(line.trace.rate).toMatchObject({ actualRate: '0.0600', indexRate: '0.0345', rate: '0.0483' });
    expect(line.amountFen).toBe(2_415_000n);
  });

  it('The actual rate without a cap needs no index: 0.0600 × 0.5 → 3,000,000', () => {
    const line = amountOf(policyWith({ baseRate: { rule: 'actual', actualCapMultipleOfIndex: null }, rateIndex: null }));
    expect(line.amountFen).toBe(3_000_000n);
    expect(line.trace.rate?.index).toBe('none');
  });

  it('The lower of index and actual: actual 0.0300 < 0.0345 → 100,000,000 × 0.03 × 0.5 = 1,500,000', () => {
    const line = amountOf(policyWith({ baseRate: { rule: 'lower_of_index_and_actual', actualCapMultipleOfIndex: null } }), {}, { ...base, annualRate: '0.0300' });
    expect(line.amountFen).toBe(1_500_000n);
  });
});

describe('fixing rules', () => {
  it('Qingdao: the latest LPR published in the month before the contract date (contract 2024-08-05 → July: 0.0335)', () => {
    // 100,000,000 × 0.0335 × 0.5 = 1,675,000
    const line = amountOf(policyWith({ rateFixing: { rule: 'latest_published_in_month_before_contract' } }), {}, { ...base, contractDate: '2024-08-05' });
    expect(line.trace.rate).toMatchObject({ fixingDate: '2024-07-31', fixingEffectiveDate: '2024-07-22', rate: '0.0335' });
    expect(line.amountFen).toBe(1_675_000n);
  });

  it('A loan without a contract date under a contract-date rule is ineligible, with the reason', () => {
    const line = amountOf(policyWith({ rateFixing: { rule: 'in_force_on_contract_date' } }));
    expect(line.reasons.map((reason) => reason.code)).toEqual(['contract_date_missing']);
  });

  it('Fujian: the December LPR of the repayment year, the actual rate if lower (settled 2025 → 0.0300 from 2025-05-20)', () => {
    // 100,000,000 × 0.0300 × 0.5 = 1,500,000
    const line = amountOf(
      policyWith({ rateFixing: { rule: 'month_of_repayment_year', month: 12 }, baseRate: { rule: 'lower_of_index_and_actual', actualCapMultipleOfIndex: null } }),
    );
    expect(line.trace.rate).toMatchObject({ fixingDate: '2025-12-31', fixingEffectiveDate: '2025-05-20', rate: '0.0300' });
    expect(line.amountFen).toBe(1_500_000n);
  });
});

describe('day count', () => {
  it('30E/360 (the shipped default): 360 days, 100,000,000 × 360 × 0.0345 × 0.5 / 360 = 1,725,000', () => {
    const line = amountOf(policyWith({}));
    expect(line.trace.dayCount).toMatchObject({ convention: '30E/360', divisor: 360 });
    expect(line.trace.window?.daysCounted).toBe(360);
    expect(line.amountFen).toBe(1_725_000n);
  });

  it('ACT/360: 366 calendar days (2024 is a leap year), 100,000,000 × 366 × 0.0345 × 0.5 / 360 = 631,350,000 / 360 = 1,753,750', () => {
    const line = amountOf(policyWith({ dayCount: 'ACT/360' }));
    expect(line.trace.dayCount).toMatchObject({ convention: 'ACT/360', divisor: 360 });
    expect(line.trace.window?.daysCounted).toBe(366);
    expect(line.amountFen).toBe(1_753_750n);
  });

  it('ACT/365: 100,000,000 × 366 × 0.0345 × 0.5 / 365 = 631,350,000 / 365 = 1,729,726.02… → 1,729,726', () => {
    const line = amountOf(policyWith({ dayCount: 'ACT/365' }));
    expect(line.trace.dayCount).toMatchObject({ convention: 'ACT/365', divisor: 365 });
    expect(line.amountFen).toBe(1_729_726n);
  });
});

describe('caps', () => {
  // index 0.0345 × 0.5 × 100,000,000 = 1,725,000 fen uncapped
  it('A per-loan cap of 10,000.00 cuts 1,725,000 to 1,000,000', () => {
    const line = amountOf(policyWith({ capPerLoan: '10000.00' }));
    expect(line.trace.adjustments).toEqual([expect.objectContaining({ step: 'cap_per_loan', beforeFen: '1725000', afterFen: '1000000' })]);
    expect(line.amountFen).toBe(1_000_000n);
  });

  it('A cumulative cap of 200,000.00 with 190,000.00 paid before leaves 10,000.00', () => {
    const line = amountOf(policyWith({ capPerEnterpriseCumulative: '200000.00', capPerEnterpriseYear: null }), {
      cumulativePaid: [{ uscc: base.enterpriseUscc, amountFen: 19_000_000n }],
    });
    expect(line.amountFen).toBe(1_000_000n);
    expect(line.trace.adjustments[0]).toMatchObject({ step: 'cap_per_enterprise_cumulative', cutFen: '725000' });
  });
});

describe('IP share', () => {
  const combination = (ipPledgedFen: bigint) => ({
    ...base,
    collateral: 'combination' as const,
    ipPledgedFen,
    events: [
      { type: 'disbursement' as const, date: '2024-01-01', amountFen: 100_000_000n },
      { type: 'principal_repayment' as const, date: '2024-07-01', amountFen: 50_000_000n },
    ],
  });

  it('A minimum share of 0.5 makes a combination loan with 0.4 ineligible', () => {
    const line = amountOf(policyWith({ minIpShareOfCombination: '0.5' }), {}, combination(40_000_000n));
    expect(line.reasons.map((reason) => reason.code)).toEqual(['ip_share_below_minimum']);
  });

  it('The flat base ignores repayments: 60,000,000 × 360 × 0.0345 × 0.15 / 360 = 310,500', () => {
    const raw: RawPolicy = withParameters(yuanzhou2023, { base: 'ip_pledged_principal' });
    const line = amountOf(validatePolicy(raw), {}, combination(60_000_000n));
    expect(line.trace.segments).toEqual([{ from: '2024-01-01', toExclusive: '2025-01-01', days: 360, outstandingFen: '100000000', baseFen: '60000000' }]);
    expect(line.amountFen).toBe(310_500n);
  });

  it('The daily base follows the repayment: (100,000,000 × 180 + 50,000,000 × 180) × 0.6 × 0.0345 × 0.15 / 360', () => {
    // [01-01, 07-01): f(07-01) − f(01-01) = 181 − 1 = 180 days; [07-01, 2025-01-01): 360 − 180 = 180 days
    // 18,000,000,000 + 9,000,000,000 = 27,000,000,000; × 0.6 = 16,200,000,000; × 0.0345 = 558,900,000;
    // × 0.15 = 83,835,000; ÷ 360 = 232,875
    const line = amountOf(validatePolicy(withParameters(yuanzhou2023, {})), {}, combination(60_000_000n));
    expect(line.amountFen).toBe(232_875n);
  });
});
