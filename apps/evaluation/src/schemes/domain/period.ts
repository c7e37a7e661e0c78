/**
 * Evaluation periods: a year `2026`, a quarter `2026-Q3` or a month `2026-07`, as the calendar
 * dates (China time) they span.
 */
export interface PeriodSpan {
  start: string;
  end: string;
}

export function periodSpan(period: string): PeriodSpan {
  const year = Number(period.slice(0, 4));
  const quarter = /-Q([1-4])$/.exec(period);
  const month = /-(\d{2})$/.exec(period);
  if (quarter) {
    const first = (Number(quarter[1]) - 1) * 3 + 1;
    return { start: day(year, first, 1), end: lastDay(year, first + 2) };
  }
  if (month) {
    const m = Number(month[1]);
    return { start: day(year, m, 1), end: lastDay(year, m) };
  }
  return { start: day(year, 1, 1), end: day(year, 12, 31) };
}

/** Flows count when dated within the period. */
export function inPeriod(date: string, span: PeriodSpan): boolean {
  return date >= span.start && date <= span.end;
}

/**
 * A stock's validity: the intervals its key spent in the counted state, each `[from, until)`
 * with `until` exclusive and null while it is still in it, in order and not overlapping.
 */
export type ValidInterval = readonly [from: string, until: string | null];

/**
 * Stocks count when valid at the period end: some interval entered (`from`) on or before the
 * end and not left by then (`until`, exclusive; null while still valid).
 */
export function validAtEnd(intervals: readonly ValidInterval[], span: PeriodSpan): boolean {
  return intervals.some(
    ([from, until]) => from <= span.end && (until === null || span.end < until),
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
const day = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y: number, m: number) => day(y, m, new Date(Date.UTC(y, m, 0)).getUTCDate());
