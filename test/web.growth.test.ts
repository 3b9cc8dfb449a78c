/** The dashboard's rates as strings: growth shown in per cent, a per cent typed by staff sent as the API's rate. */
import { growthText, rateOfPercent } from '../web/src/pages/dashboard/growth';

it('growth rates are shown in per cent to two places, by moving the decimal point', () => {
  expect(growthText('0.3000')).toBe('30.00%');
  expect(growthText('1.4000')).toBe('140.00%');
  expect(growthText('-1.0000')).toBe('-100.00%');
  expect(growthText('0.0005')).toBe('0.05%');
  expect(growthText(null)).toBe('—');
});

it('a per cent typed by staff is the API rate: 30 → 0.30, 2.5 → 0.025, 150 → 1.50', () => {
  expect(rateOfPercent('30')).toBe('0.30');
  expect(rateOfPercent(' 2.5 ')).toBe('0.025');
  expect(rateOfPercent('150')).toBe('1.50');
  expect(rateOfPercent('0.25')).toBe('0.0025');
  expect(rateOfPercent('')).toBeUndefined();
  expect(rateOfPercent('三十')).toBe('三十');
});
