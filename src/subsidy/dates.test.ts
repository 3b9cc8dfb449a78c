import fc from 'fast-check';
import { addMonths, civilFromDayNumber, dayNumberFromCivil, formatDate, parseDate } from './dates';

describe('dates', () => {
  it('1970-01-01 is day 0 and 2024-03-01 is 19,783 days later', () => {
    // 1970..2023: 54 years × 365 + 13 leap days (1972, 1976, …, 2020) = 19,710 + 13 = 19,723; + Jan 31 + Feb 29 = 19,783
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('2024-03-01')).toBe(19_783);
  });

  it('a window [from, to) counts to − from days: 2024-01-01 to 2025-01-01 is 366', () => {
    expect(parseDate('2025-01-01') - parseDate('2024-01-01')).toBe(366);
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
