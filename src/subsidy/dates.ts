/**
 * Calendar dates as whole day numbers (days since 1970-01-01, proleptic Gregorian, no time zone).
 *
 * Every date in the subsidy engine is a `YYYY-MM-DD` string on the way in and out; inside, it is a `DayNumber` so a
 * window `[from, to)` counts `to - from` calendar days with integer subtraction (or `f(to) − f(from)` under 30E/360,
 * `ordinal30E360`), and a run over a million events never builds a `Date` (whose local time zone could shift a day).
 */
import { SubsidyError } from './errors';

/** Days since 1970-01-01. */
export type DayNumber = number;

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Howard Hinnant's days_from_civil: exact for every Gregorian date. */
export function dayNumberFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of `dayNumberFromCivil`. */
export function civilFromDayNumber(dayNumber: DayNumber): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Parses a strict `YYYY-MM-DD` calendar date; `path` names the field in the error. */
export function parseDate(text: string, path = 'date'): DayNumber {
  const match = typeof text === 'string' ? DATE_PATTERN.exec(text) : null;
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return dayNumberFromCivil(year, month, day);
    }
  }
  throw new SubsidyError('input_invalid', `${path}: "${String(text)}" is not a calendar date YYYY-MM-DD`, {
    errors: [{ path, message: 'must be a calendar date YYYY-MM-DD' }],
  });
}

export function formatDate(dayNumber: DayNumber): string {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The same day `months` later; when that month is shorter, its last day (2024-01-31 + 1 month = 2024-02-29,
 * 2024-02-29 + 12 months = 2025-02-28). This is how a loan term "12 months from 2024-01-31" is read in practice.
 */
export function addMonths(dayNumber: DayNumber, months: number): DayNumber {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  return dayNumberFromCivil(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

export function yearStart(year: number): DayNumber {
  return dayNumberFromCivil(year, 1, 1);
}

export function yearOf(dayNumber: DayNumber): number {
  return civilFromDayNumber(dayNumber).year;
}

/** The last day of the month before the one `dayNumber` falls in. */
export function lastDayOfPreviousMonth(dayNumber: DayNumber): DayNumber {
  const { year, month } = civilFromDayNumber(dayNumber);
  return dayNumberFromCivil(year, month, 1) - 1;
}

export function lastDayOfMonth(year: number, month: number): DayNumber {
  return dayNumberFromCivil(year, month, daysInMonth(year, month));
}

/**
 * The 30E/360 ordinal of a day: `360·year + 30·(month − 1) + min(day, 30)`. Every month counts 30 days and day 31
 * counts as day 30, so the days of `[a, b)` are `ordinal(b) − ordinal(a)` and the days of consecutive ranges add up
 * (docs/subsidy-rules.md "Day count").
 */
export function ordinal30E360(dayNumber: DayNumber): number {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return 360 * year + 30 * (month - 1) + Math.min(day, 30);
}
