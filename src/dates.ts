/**
 * Calendar dates as 'YYYY-MM-DD' strings: no time zone can shift them. Comparisons are string comparisons; day
 * arithmetic goes through UTC midnight, where every day has 86,400 seconds.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function toEpochDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

export function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (the window [from, to) counts `to - from` days: docs/subsidy-rules.md "Day count"). */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(toEpochDay(date) + days);
}

/**
 * The service's clock: the real time, unless a test fixes it (`fixClock`), so that "not in the future" and "today"
 * can be tested on a chosen day. Every "today" of the service goes through here.
 */
let fixedNowMs: number | undefined;
export function clockNow(): Date {
  return fixedNowMs === undefined ? new Date() : new Date(fixedNowMs);
}
/** Fixes the clock at an instant (tests only); `undefined` lets it run again. */
export function fixClock(at: Date | undefined): void {
  fixedNowMs = at?.getTime();
}

/** Today's date in China Standard Time (UTC+8), where our users and their value dates live. */
export function todayInChina(now: Date = clockNow()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
