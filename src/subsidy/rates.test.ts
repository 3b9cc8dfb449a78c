import { parseDate } from './dates';
import { RateTable, benchmarkTermBand, fixingDay } from './rates';
import { SHIPPED_RATES } from './test-fixtures';

const d = (text: string) => parseDate(text);
const table = new RateTable(SHIPPED_RATES);

describe('RateTable', () => {
  it('finds the fixing in force on a date: the latest effective on or before it', () => {
    expect(table.inForceOn('LPR1Y', d('2023-08-20')).rate).toBe('0.0355'); // the day before the 2023-08-21 fixing
    expect(table.inForceOn('LPR1Y', d('2023-08-21')).rate).toBe('0.0345'); // on its day
    expect(table.inForceOn('PBOC_LE1Y', d('2030-01-01')).rate).toBe('0.0435'); // the benchmark since 2015-10-24
  });

  it('throws rate_not_in_force before the first fixing and for an unknown index', () => {
    expect(() => table.inForceOn('LPR1Y', d('2019-08-19'))).toThrow(expect.objectContaining({ code: 'rate_not_in_force' }));
    expect(() => table.inForceOn('LPR2Y', d('2024-01-01'))).toThrow(/none is recorded/);
  });

  it('refuses two different rates for one index and date, whatever their order', () => {
    expect(() => new RateTable([...SHIPPED_RATES, { index: 'LPR1Y', effectiveDate: '2023-08-21', rate: '0.0350' }])).toThrow(
      expect.objectContaining({ code: 'input_invalid' }),
    );
    expect(() => new RateTable([...SHIPPED_RATES, { index: 'LPR1Y', effectiveDate: '2023-08-21', rate: '0.03450' }])).not.toThrow();
  });
});

describe('benchmark term band', () => {
  it.each([
    ['2022-03-15', '2023-03-15', 'PBOC_LE1Y'], // exactly 12 months
    ['2022-03-15', '2023-03-16', 'PBOC_1TO5Y'], // a day more
    ['2022-03-15', '2027-03-15', 'PBOC_1TO5Y'], // exactly 60 months
    ['2022-03-15', '2027-03-16', 'PBOC_GT5Y'],
  ])('%s to %s is %s', (start, maturity, band) => {
    expect(benchmarkTermBand(d(start), d(maturity))).toBe(band);
  });
});

describe('fixing rules', () => {
  const loan = { startDay: d('2024-03-15'), maturityDay: d('2025-03-15'), contractDay: d('2024-03-10'), settlementDay: d('2025-02-01') };
  it.each([
    [{ rule: 'in_force_on_loan_start' as const }, '2024-03-15'],
    [{ rule: 'in_force_on_contract_date' as const }, '2024-03-10'],
    [{ rule: 'latest_published_in_month_before_contract' as const }, '2024-02-29'],
    [{ rule: 'month_of_repayment_year' as const, month: 12 }, '2025-12-31'],
  ])('%o fixes on %s', (rule, date) => {
    const result = fixingDay(rule, loan);
    expect(result.ok && result.day).toBe(d(date));
  });
  it('needs the contract date when the rule names it', () => {
    expect(fixingDay({ rule: 'in_force_on_contract_date' }, { ...loan, contractDay: null })).toEqual({ ok: false, missing: 'contract_date' });
  });
});
