/**
 * The rate fixings page's per-cent conversion (web/src/pages/rates/percent.ts): string maths, exact at every place.
 */
import { fromPercent, toPercent } from '../web/src/pages/rates/percent';

describe('per cent and the API’s decimal rate', () => {
  it.each([
    // 3.45 % = 3.45 / 100 = 0.0345
    ['0.0345', '3.45'],
    ['0.0435', '4.35'],
    ['0.049', '4.9'],
    ['0.05', '5'],
    ['0.0001', '0.01'],
    ['0.12345678', '12.345678'],
  ])('%s is %s %%, and back', (rate, percent) => {
    expect(toPercent(rate)).toBe(percent);
    expect(fromPercent(percent)).toBe(rate);
  });

  it('takes at most 8 places and 3 whole digits; anything else is not a per cent', () => {
    // 8 places: 3.12345678 % = 0.0312345678; a ninth place is refused.
    expect(fromPercent('3.12345678')).toBe('0.0312345678');
    expect(fromPercent('3.123456789')).toBeNull();
    expect(fromPercent('1000')).toBeNull();
    expect(fromPercent('3,45')).toBeNull();
    expect(fromPercent('-3')).toBeNull();
    expect(fromPercent('')).toBeNull();
    expect(fromPercent('100')).toBe('1');
  });
});
