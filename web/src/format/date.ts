/** Dates as the console shows them: YYYY-MM-DD; instants in the browser's time zone to the second. */
import dayjs, { type Dayjs } from 'dayjs';

export const DATE_FORMAT = 'YYYY-MM-DD';

/** A DatePicker's value → the API's date ("2024-03-15"), or undefined when empty. */
export function toApiDate(value: Dayjs | null | undefined): string | undefined {
  return value ? value.format(DATE_FORMAT) : undefined;
}

/** An RFC 3339 instant → "2024-03-15 14:03:09" local time. */
export function formatInstant(instant: string): string {
  return dayjs(instant).format(`${DATE_FORMAT} HH:mm:ss`);
}

/** The day in China (UTC+8, no daylight saving) of an RFC 3339 instant: the day the service counts it on. */
export function chinaDayOf(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Today as the service counts it: the day in China (UTC+8, no daylight saving), whatever the browser's time zone. A
 * form's default date and its "not after today" check use it, so that between 16:00 and 24:00 UTC a browser elsewhere
 * neither offers yesterday (before a step the service dated today) nor refuses a day the service accepts.
 */
export function chinaToday(): Dayjs {
  return dayjs(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
}

export function today(): string {
  return chinaToday().format(DATE_FORMAT);
}

/**
 * The year a page opens on: the last complete year (a yearly run, its reconciliation and an eligibility check are
 * about a year that has ended), not the current one.
 */
export function lastCompleteYear(): number {
  return chinaToday().year() - 1;
}
