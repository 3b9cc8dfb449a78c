/**
 * The console's money and problem helpers (web/src): amounts formatted from the API's strings with no float, and
 * problem paths turned into form field names.
 */
import { formatAmount, fromFen, sumAmounts, toFen } from '../web/src/format/money';
import { chinaDayOf } from '../web/src/format/date';
import { namePath } from '../web/src/forms/namePath';

describe('formatAmount', () => {
  it.each([
    ['1234567.89', '¥1,234,567.89'],
    ['0.00', '¥0.00'],
    ['0.5', '¥0.50'],
    ['100', '¥100.00'],
    ['999.99', '¥999.99'],
    ['1000.00', '¥1,000.00'],
    ['-5.00', '-¥5.00'],
    ['-0.00', '¥0.00'],
    ['007.10', '¥7.10'],
    // Beyond 2^53 fen a float would already be wrong: 99,999,999,999,999.99 keeps every digit.
    ['99999999999999.99', '¥99,999,999,999,999.99'],
  ])('%s → %s', (input, shown) => {
    expect(formatAmount(input)).toBe(shown);
  });

  it('shows anything that is not an amount as it came', () => {
    expect(formatAmount('1e3')).toBe('1e3');
    expect(formatAmount('1.234')).toBe('1.234');
    expect(formatAmount('')).toBe('');
  });
});

describe('sums in fen', () => {
  it('adds exactly: 0.10 + 0.20 = 0.30 (a float gives 0.30000000000000004)', () => {
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
  });

  it('round-trips through fen, negatives included', () => {
    expect(toFen('1234567.89')).toBe(123456789n);
    expect(fromFen(123456789n)).toBe('1234567.89');
    expect(fromFen(-5n)).toBe('-0.05');
    expect(sumAmounts(['10.00', '-10.01'])).toBe('-0.01');
  });
});

describe('namePath', () => {
  it('turns a problem path into antd field names, array indices as numbers', () => {
    expect(namePath('code')).toEqual(['code']);
    expect(namePath('pledges.0.number')).toEqual(['pledges', 0, 'number']);
  });
});

describe('chinaDayOf', () => {
  it('is the day in China (UTC+8) of an instant, not its UTC day', () => {
    // 07:19 in Beijing on 5 December is 23:19 UTC on the 4th.
    expect(chinaDayOf('2026-12-04T23:19:00.000Z')).toBe('2026-12-05');
    expect(chinaDayOf('2026-12-04T15:59:59.999Z')).toBe('2026-12-04');
    expect(chinaDayOf('2026-12-04T16:00:00+00:00')).toBe('2026-12-05');
  });
});
