import { dateOfSerial, dateOfText, fieldValueOfCell, moneyOfText, pledgeListOfText, rateOfText } from './cells';
import { EVENT_TYPE_CHOICES } from './kinds';

describe('amounts as clerks type them', () => {
  it.each([
    ['1,234,567.89', '1234567.89'],
    [' 1,234,567.89 ', '1234567.89'],
    ['¥1,234,567.89', '1234567.89'],
    ['1234567.89元', '1234567.89'],
    // Full-width digits and separators, as a Chinese input method types them.
    ['１，２３４，５６７．８９', '1234567.89'],
    ['1,000', '1000'],
    // A trailing zero after the fen is exact: 1.890 is 1.89.
    ['1.890', '1.89'],
  ])('%s → %s', (typed, read) => expect(moneyOfText(typed)).toBe(read));

  it('separators out of place are left for validation to refuse (never guessed)', () => {
    expect(moneyOfText('1,23,456.00')).toBe('1,23,456.00');
    // A third decimal other than 0 is not cut to the fen.
    expect(moneyOfText('1.005')).toBe('1.005');
  });

  it('a number cell is read at Excel precision: 1234567.89 stays 1234567.89, 0.1 + 0.2 is 0.3', () => {
    expect(fieldValueOfCell(1234567.89, 'money')).toBe('1234567.89');
    // 0.30000000000000004 to 15 significant digits is 0.300000000000000, i.e. "0.3" (what Excel shows and stores).
    expect(fieldValueOfCell(0.1 + 0.2, 'money')).toBe('0.3');
    expect(fieldValueOfCell(1000000, 'money')).toBe('1000000');
  });
});

describe('dates as clerks type them', () => {
  it.each([
    ['2026/10/10', '2026-10-10'],
    ['2026-10-10', '2026-10-10'],
    ['2026/1/5', '2026-01-05'],
    ['2026.10.10', '2026-10-10'],
    ['2026年10月10日', '2026-10-10'],
    ['20261010', '2026-10-10'],
    [' 2026-10-10 ', '2026-10-10'],
  ])('%s → %s', (typed, read) => expect(dateOfText(typed)).toBe(read));

  it('Excel serial days: 1899-12-30 is day 0, so 45,658 is 2025-01-01 and 46,305 is 2026-10-10', () => {
    // 2 days to 1900-01-01, then 125 years: 125 × 365 + 31 leap days (1904…2024; 1900 was not one) = 2 + 45,656 = 45,658.
    expect(dateOfSerial(45658)).toBe('2025-01-01');
    // 2026-10-10 is 2025-01-01 + 365 (2025) + 282 (Jan 1 → Oct 10, 2026: 31+28+31+30+31+30+31+31+30+9) = 45,658 + 647.
    expect(dateOfSerial(46305)).toBe('2026-10-10');
    expect(fieldValueOfCell(46305, 'date')).toBe('2026-10-10');
    expect(fieldValueOfCell('46305', 'date')).toBe('2026-10-10');
    // A time of day is dropped, not rounded into the next day.
    expect(dateOfSerial(46305.99)).toBe('2026-10-10');
    // Before 1900-03-01 (serial 61) Excel's calendar has a fictitious 1900-02-29: not read as a date.
    expect(dateOfSerial(60)).toBeUndefined();
  });

  it('a date cell (exceljs gives UTC midnight of the day shown) is that day', () => {
    expect(fieldValueOfCell(new Date(Date.UTC(2026, 9, 10)), 'date')).toBe('2026-10-10');
  });

  it('what is not a date is passed on as typed, for validation to name', () => {
    expect(fieldValueOfCell('next Tuesday', 'date')).toBe('next Tuesday');
    expect(fieldValueOfCell('2026-13-45', 'date')).toBe('2026-13-45');
  });
});

describe('rates, years, choices and pledge lists', () => {
  it('3.45% is 0.0345 exactly; a percent cell already holds 0.0345', () => {
    expect(rateOfText('3.45%')).toBe('0.0345');
    expect(rateOfText('4.35 %')).toBe('0.0435');
    expect(fieldValueOfCell(0.0345, 'rate')).toBe('0.0345');
    expect(rateOfText('0.0345')).toBe('0.0345');
  });

  it('a year typed as 2024年 or as a number is the number 2024', () => {
    expect(fieldValueOfCell('2024年', 'year')).toBe(2024);
    expect(fieldValueOfCell(2024, 'year')).toBe(2024);
    expect(fieldValueOfCell('二〇二四', 'year')).toBe('二〇二四');
  });

  it('a choice is taken by its Chinese label, an alias or its code', () => {
    expect(fieldValueOfCell('放款', 'choice', EVENT_TYPE_CHOICES)).toBe('disbursement');
    expect(fieldValueOfCell('还款', 'choice', EVENT_TYPE_CHOICES)).toBe('principal_repayment');
    expect(fieldValueOfCell('Settlement', 'choice', EVENT_TYPE_CHOICES)).toBe('settlement');
    expect(fieldValueOfCell('作废', 'choice', EVENT_TYPE_CHOICES)).toBe('作废');
  });

  it('a pledge list with Chinese right types and full-width separators is the API list form', () => {
    expect(pledgeListOfText('专利：202310123456.6；商标:12345678')).toBe('patent:202310123456.6;trademark:12345678');
    // With the claim the registration secures (担保债权数额) written as money, and a registration number after it.
    expect(pledgeListOfText('专利:202310123456.6:500,000.00:Y2024-1；商标:12345678::Y2024-2')).toBe(
      'patent:202310123456.6:500000.00:Y2024-1;trademark:12345678::Y2024-2',
    );
  });

  it('a long number typed where text is meant keeps all its digits', () => {
    expect(fieldValueOfCell(12345678, 'text')).toBe('12345678');
    expect(fieldValueOfCell('  JK-2026-0001 ', 'text')).toBe('JK-2026-0001');
    expect(fieldValueOfCell('   ', 'text')).toBeUndefined();
  });
});
