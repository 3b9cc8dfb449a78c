import fc from 'fast-check';
import { addMonths, civilFromDayNumber, dayNumberFromCivil, formatDate, ordinal30E360, parseDate } from './dates';

describe('dates', () => {
  it('1970-01-01 is day 0 and 2024-03-01 is 19,783 days later', () => {
    // 1970..2023: 54 years × 365 + 13 leap days (1972, 1976, …, 2020) = 19,710 + 13 = 19,723; + Jan 31 + Feb 29 = 19,783
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('2024-03-01')).toBe(19_783);
  });

  it('a window [from, to) counts to − from days: 2024-01-01 to 2025-01-01 is 366', () => {
    expect(parseDate('2025-01-01') - parseDate('2024-01-01')).toBe(366);
  });

  describe('30E/360: days of [a, b) = f(b) − f(a), f(d) = 360·year + 30·(month − 1) + min(day, 30)', () => {
    const days = (from: string, to: string) => ordinal30E360(parseDate(to)) - ordinal30E360(parseDate(from));
    it.each([
      // f(2025-01-01) = 729,000 + 0 + 1; f(2024-01-01) = 728,640 + 0 + 1: a year is 360 days, leap or not
      ['2024-01-01', '2025-01-01', 360],
      // f(2025-01-01) = 729,001; f(2024-06-10) = 728,640 + 150 + 10 = 728,800
      ['2024-06-10', '2025-01-01', 201],
      // f(2025-06-09) = 729,000 + 150 + 9 = 729,159
      ['2025-01-01', '2025-06-09', 158],
      // day 31 counts as day 30: f(2024-02-01) − f(2024-01-31) = (728,640 + 30 + 1) − (728,640 + 0 + 30) = 1
      ['2024-01-31', '2024-02-01', 1],
      ['2024-01-30', '2024-01-31', 0],
      // February counts 30 days: f(2024-03-01) − f(2024-02-28) = (60 + 1) − (30 + 28) = 3
      ['2024-02-28', '2024-03-01', 3],
      ['2023-02-28', '2023-03-01', 3],
    ])('[%s, %s) is %i days', (from, to, expected) => {
      expect(days(from, to)).toBe(expected);
    });

    it('the days of consecutive ranges add up', () => {
      fc.assert(
        fc.property(fc.integer({ min: 18_000, max: 22_000 }), fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 800 }), (a, x, y) => {
          const f = ordinal30E360;
          expect(f(a + x + y) - f(a)).toBe(f(a + x) - f(a) + (f(a + x + y) - f(a + x)));
          expect(f(a + x) >= f(a)).toBe(true);
        }),
      );
    });
  });

  it.each(['2023-02-29', '2023-13-01', '2023-00-10', '2023-1-01', '20230101', '', '2024-04-31'])('refuses "%s"', (text) => {
    expect(() => parseDate(text, 'loans.0.startDate')).toThrow(expect.objectContaining({ code: 'input_invalid', details: { errors: [{ path: 'loans.0.startDate', message: expect.any(String) }] } }));
  });

  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2023-07-01', 12, '2024-07-01'],
    ['2023-08-31', 6, '2024-02-29'],
    ['2022-12-15', 24, '2024-12-15'],
  ])('%s + %i months is %s', (from, months, to) => {
    expect(formatDate(addMonths(parseDate(from), months))).toBe(to);
  });

  it('day numbers and calendar dates convert both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
        const { year, month, day: dayOfMonth } = civilFromDayNumber(day);
        expect(dayNumberFromCivil(year, month, dayOfMonth)).toBe(day);
        if (year >= 1000 && year <= 9999) expect(parseDate(formatDate(day))).toBe(day);
      }),
    );
  });
});
