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

/** Whether `date` is a real calendar date written 'YYYY-MM-DD' (rejects 2026-02-30). */
export function isCalendarDate(date: string): boolean {
  if (!DATE_SHAPE.test(date)) return false;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

export function dayNumber(date: string): number {
  if (typeof date !== 'string' || !isCalendarDate(date)) {
    throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
  }
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
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

/** A calendar from explicit data only (for tests and for the override logic). */
export function calendarFrom(data: CalendarData): WorkingCalendar {
  const exceptions = new Exceptions(data);
  const years = [...new Set(data.years)].sort((a, b) => a - b);
  return {
    isWorkingDay: (date) => exceptions.isWorking(dayNumber(date)),
    addWorkingDays(date, days) {
      checkDays(days);
      let day = dayNumber(date);
      while (!exceptions.isWorking(day)) day++;
      for (let left = days; left > 0; left--) {
        day++;
        while (!exceptions.isWorking(day)) day++;
      }
      return dateOfDay(day);
    },
    workingDaysBetween(from, to) {
      const start = dayNumber(from);
      const end = dayNumber(to);
      if (end <= start) return 0;
      const weekdays = weekdaysThrough(end) - weekdaysThrough(start);
      return weekdays + exceptions.through(end) - exceptions.through(start);
    },
    coveredYears: () => [...years],
  };
}

/** Of `years`, those the calendar has no official data for (it counts Monday–Friday there). */
export function uncoveredYears(calendar: WorkingCalendar, years: number[]): number[] {
  const covered = new Set(calendar.coveredYears());
  return [...new Set(years)].filter((year) => !covered.has(year)).sort((a, b) => a - b);
}
