/**
 * Each figure in its unit (web/src/format/figures.ts), the expected text computed by hand beside each case.
 */
import { fenTextToYuan, formatDays, formatFenDays, formatFenText, formatMultiple, formatPercent, interestFormulaZh } from '../web/src/format/figures';
import { carriedText } from '../web/src/pages/subsidy/carried';

describe('fen of the trace as yuan with two places', () => {
  it.each([
    // 10,995,833.333… fen = 109,958.33333… yuan → 109,958.33 (the third decimal 3 rounds down).
    ['10995833.333333333333…', '¥109,958.33'],
    // 419,750 fen = 4,197.50 yuan.
    ['419750', '¥4,197.50'],
    // 12,345.5 fen = 123.455 yuan → half-up to 123.46.
    ['12345.5', '¥123.46'],
    // 0.4 fen rounds to 0.
    ['0.4', '¥0.00'],
    // −1,000 fen = −10.00 yuan.
    ['-1000', '-¥10.00'],
  ])('%s fen → %s', (fen, shown) => {
    expect(formatFenText(fen)).toBe(shown);
  });

  it('is never the fen figure labelled as yuan, and not a number is a dash', () => {
    expect(fenTextToYuan('10995833.333…')).toBe('109958.33');
    expect(formatFenText(undefined)).toBe('—');
    expect(formatFenText('abc')).toBe('—');
  });
});

describe('fen-days as yuan·天, not money', () => {
  it('182,000,000,000 fen-days = ¥10,000,000.00 × 182 days = 1,820,000,000.00 元·天', () => {
    expect(formatFenDays('182000000000')).toBe('1,820,000,000.00 元·天');
    expect(formatFenDays('182000000000')).not.toContain('¥');
  });
});

describe('rates, multiples and days', () => {
  it.each([
    ['0.0345', '3.45%'],
    ['0.15', '15%'],
    ['0.5', '50%'],
    ['0.03875', '3.875%'],
  ])('%s → %s', (rate, shown) => expect(formatPercent(rate)).toBe(shown));

  it.each([
    // 1.5333333333 → 1.53 (third decimal 3 rounds down).
    ['1.5333333333', '1.53 倍'],
    // 2.345 → 2.35 (half-up).
    ['2.345', '2.35 倍'],
    [10, '10.00 倍'],
    ['0', '0.00 倍'],
  ])('leverage %s → %s', (value, shown) => expect(formatMultiple(value)).toBe(shown));

  it('days as days', () => {
    expect(formatDays(182)).toBe('182 天');
    expect(formatDays(null)).toBe('—');
  });
});

describe('an interest line’s formula in Chinese', () => {
  it('¥10,000,000.00 for 182 days at 4.35% × 50% ÷ 360 = ¥109,958.33', () => {
    // 1,820,000,000 × 0.0435 × 0.5 ÷ 360 = 39,585,000 ÷ 360 = 109,958.333… → 109,958.33.
    expect(
      interestFormulaZh({ baseDaysFen: '182000000000', rate: '0.0435', ratio: '0.5', divisor: 360, amountRoundedFen: '10995833' }),
    ).toBe('Σ 计息基数 × 天数 1,820,000,000.00 元·天 × 利率 4.35% × 贴息比例 50% ÷ 360 = ¥109,958.33（四舍五入到分）');
  });

  it('is left out when a figure is missing (no English fallback)', () => {
    expect(interestFormulaZh({ rate: '0.0435' })).toBeUndefined();
  });
});

describe('carried forward under the contribution cap', () => {
  it('says the cut of the contribution cap on the line', () => {
    // A 2024 line cut by 1,234,500 fen = ¥12,345.00 above the enterprise's contribution.
    expect(carriedText({ run: { year: 2024 }, adjustments: [{ step: 'contribution_cap', cutFen: '1234500' }] })).toBe('超出贡献额 ¥12,345.00 结转至 2025–2026 年兑现');
    expect(carriedText({ run: { year: 2024 }, adjustments: [{ step: 'contribution_cap', cutFen: '0' }] })).toBeUndefined();
  });
});

describe('a loan past maturity with principal outstanding', () => {
  const { shownLoanStatus } = jest.requireActual<typeof import('../web/src/pages/loans/loanStatus')>('../web/src/pages/loans/loanStatus');
  it('shows 已到期未结清 (derived) the day after maturity, not 正常', () => {
    // Matured 2025-01-15, ¥500,000.00 outstanding, read on 2025-01-16.
    expect(shownLoanStatus({ status: 'active', maturityDate: '2025-01-15', outstandingPrincipal: '500000.00' }, '2025-01-16')).toBe('matured_unsettled');
    // On the maturity date itself it is still due that day: 正常.
    expect(shownLoanStatus({ status: 'active', maturityDate: '2025-01-15', outstandingPrincipal: '500000.00' }, '2025-01-15')).toBe('active');
    // Nothing outstanding after maturity (repaid, settlement event not yet sent): not flagged.
    expect(shownLoanStatus({ status: 'active', maturityDate: '2025-01-15', outstandingPrincipal: '0.00' }, '2025-02-01')).toBe('active');
    // The bank's events win: overdue stays overdue, settled stays settled.
    expect(shownLoanStatus({ status: 'overdue', maturityDate: '2025-01-15', outstandingPrincipal: '1.00' }, '2025-02-01')).toBe('overdue');
    expect(shownLoanStatus({ status: 'settled', maturityDate: '2025-01-15', outstandingPrincipal: '0.00' }, '2025-02-01')).toBe('settled');
  });
});
