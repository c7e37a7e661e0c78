/**
 * Working days (工作日) for escalation, reminder and commitment clocks: Monday–Friday, minus
 * statutory holidays, plus adjusted working days (调休, a Saturday or Sunday worked to make a
 * holiday longer). Deadlines are not moved by this calendar: a deadline declared on a holiday
 * stays on that day; only clocks counted "N working days after" use it.
 *
 * Dates are China calendar dates 'YYYY-MM-DD' (see @duban/contracts calendar.ts). Internally a
 * date is its day number since 1970-01-01 so a sweep over every open alert does integer maths
 * and set look-ups only.
 */
export interface WorkingCalendar {
  isWorkingDay(date: string): boolean;
  /** The date `days` (>= 0) working days after `date`, i.e. the `days`-th working day strictly after it; days = 0 returns `date` itself if it is a working day, else the next working day. */
  addWorkingDays(date: string, days: number): string;
  /** Working days in the half-open range (from, to]; 0 when to <= from. */
  workingDaysBetween(from: string, to: string): number;
  /** Years the calendar has official data for (package data plus override file years). */
  coveredYears(): number[];
}

export interface CalendarData {
  /** Days off, including holiday days that fall on a weekend anyway. */
  holidays: string[];
  /** Adjusted working days (调休): weekend days worked. */
  workdays: string[];
  /** Years the lists are complete for; other years fall back to Monday–Friday. */
  years: number[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
/** 1970-01-05, the first Monday after the epoch (day 0 was a Thursday). */
const MONDAY_ANCHOR = 4;

/** Day number of a 'YYYY-MM-DD' that is a real calendar date (not 2026-02-30), else NaN. */
function parseDay(date: string): number {
  if (typeof date !== 'string' || !DATE_SHAPE.test(date)) return NaN;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const dayOfMonth = Number(date.slice(8, 10));
  const ms = Date.UTC(year, month - 1, dayOfMonth);
  const check = new Date(ms);
  const valid =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === dayOfMonth;
  return valid ? ms / DAY_MS : NaN;
}

/** Whether `date` is a real calendar date written 'YYYY-MM-DD'. */
export function isCalendarDate(date: string): boolean {
  return !Number.isNaN(parseDay(date));
}

export function dayNumber(date: string): number {
  const day = parseDay(date);
  if (Number.isNaN(day)) {
    throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
  }
  return day;
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isWeekday(day: number): boolean {
  return (((day - MONDAY_ANCHOR) % 7) + 7) % 7 < 5;
}

/** Monday–Friday days up to and including `day`, relative to MONDAY_ANCHOR (differences only). */
function weekdaysThrough(day: number): number {
  const length = day - MONDAY_ANCHOR + 1;
  const weeks = Math.floor(length / 7);
  return weeks * 5 + Math.min(length - weeks * 7, 5);
}

/** Index of the first element greater than `value` in the ascending `sorted`. */
function upperBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`working days must be a whole number >= 0, got ${days}`);
  }
}

/**
 * Only days that differ from Monday–Friday matter: a holiday on a weekday (-1) or a 调休
 * weekend workday (+1). They are kept sorted with running totals so a range count is two
 * binary searches, however long the range.
 */
class Exceptions {
  private readonly status = new Map<number, boolean>();
  private readonly days: number[];
  private readonly totals: number[];

  constructor(data: CalendarData) {
    for (const date of data.holidays) this.status.set(dayNumber(date), false);
    for (const date of data.workdays) {
      const day = dayNumber(date);
      if (this.status.get(day) === false) {
        throw new Error(`${date} is listed both as a holiday and as a working day`);
      }
      this.status.set(day, true);
    }
    const deviating = [...this.status].filter(([day, working]) => working !== isWeekday(day));
    this.days = deviating.map(([day]) => day).sort((a, b) => a - b);
    let total = 0;
    this.totals = this.days.map((day) => (total += this.status.get(day) ? 1 : -1));
  }

  isWorking(day: number): boolean {
    return this.status.get(day) ?? isWeekday(day);
  }

  /** Net adjustment over days <= `day`. */
  through(day: number): number {
    const index = upperBound(this.days, day);
    return index === 0 ? 0 : this.totals[index - 1];
  }
}

function workingBetween(exceptions: Exceptions, start: number, end: number): number {
  if (end <= start) return 0;
  const weekdays = weekdaysThrough(end) - weekdaysThrough(start);
  return weekdays + exceptions.through(end) - exceptions.through(start);
}

/**
 * The first day after `start` with `days` working days in (start, day]: a search over the
 * range count, so a 400-day clock costs a few dozen look-ups rather than 560 steps. The
 * window doubles until it holds enough working days (an override may close weeks at a time).
 */
function nthWorkingDayAfter(exceptions: Exceptions, start: number, days: number): number {
  let low = start;
  let high = start + 2 * days + 14;
  while (workingBetween(exceptions, start, high) < days) {
    low = high;
    high = start + 2 * (high - start);
  }
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2);
    if (workingBetween(exceptions, start, mid) >= days) high = mid;
    else low = mid;
  }
  return high;
}

/** A calendar from explicit data only (for tests and for the override logic). */
export function calendarFrom(data: CalendarData): WorkingCalendar {
  const exceptions = new Exceptions(data);
  const years = [...new Set(data.years)].sort((a, b) => a - b);
  return {
    isWorkingDay: (date) => exceptions.isWorking(dayNumber(date)),
    addWorkingDays(date, days) {
      checkDays(days);
      const day = dayNumber(date);
      // 0 days: the first working day from `date` on, i.e. the first after the day before.
      return dateOfDay(
        days === 0
          ? nthWorkingDayAfter(exceptions, day - 1, 1)
          : nthWorkingDayAfter(exceptions, day, days),
      );
    },
    workingDaysBetween: (from, to) => workingBetween(exceptions, dayNumber(from), dayNumber(to)),
    coveredYears: () => [...years],
  };
}

/** Of `years`, those the calendar has no official data for (it counts Monday–Friday there). */
export function uncoveredYears(calendar: WorkingCalendar, years: number[]): number[] {
  const covered = new Set(calendar.coveredYears());
  return [...new Set(years)].filter((year) => !covered.has(year)).sort((a, b) => a - b);
}
