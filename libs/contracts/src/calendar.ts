/**
 * Calendar dates are meant in China Standard Time (UTC+8, no daylight saving), whatever the
 * server's zone: a milestone due 2026-12-31 is late from 2027-01-01T00:00+08:00.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Today's date in China, as YYYY-MM-DD. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The current month in China, as YYYY-MM. */
export const chinaMonth = (now: Date): string => chinaDate(now).slice(0, 7);

/** The instant a calendar date begins in China. */
export function startOfChinaDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`));
}

/** The first instant at which a milestone due on `date` is late: the start of the next day. */
export function deadlineAfter(date: string): Date {
  return new Date(startOfChinaDay(date).getTime() + 24 * 60 * 60 * 1000);
}

/** `date` plus `days` calendar days (dates carry no zone: UTC arithmetic is exact). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `month` (YYYY-MM) minus `months`. */
export function monthsBefore(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
