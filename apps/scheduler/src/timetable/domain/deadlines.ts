import { deadlineAfter } from '@duban/contracts';

/** What the scheduler keeps of a milestone: just enough to time its alerts. */
export interface TimetableEntry {
  milestoneId: string;
  currentPlannedDate: string;
  forecastDate: string | null;
  status: 'pending' | 'met' | 'missed' | 'cancelled';
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant the entry becomes overdue (start of the day after currentPlannedDate, UTC+8). */
export function deadlineOf(e: Pick<TimetableEntry, 'currentPlannedDate'>): Date {
  // Judged against the current plan, not the baseline: a formal reschedule moves the deadline.
  return deadlineAfter(e.currentPlannedDate);
}

/**
 * Warning instants before the deadline, e.g. warnDays [7, 1] → deadline − 7 d and − 1 d, only
 * those still in the future relative to `now`, ascending.
 */
export function warningTimes(
  e: Pick<TimetableEntry, 'currentPlannedDate'>,
  warnDays: readonly number[],
  now: Date,
): { daysBefore: number; at: Date }[] {
  const deadline = deadlineOf(e).getTime();
  // A warning that has already passed would only repeat what the deadline is about to say;
  // duplicates in the configuration must not become duplicate timers.
  return [...new Set(warnDays)]
    .filter((days) => days > 0)
    .map((daysBefore) => ({ daysBefore, at: new Date(deadline - daysBefore * DAY_MS) }))
    .filter((w) => w.at.getTime() > now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Whether a timer for `at` belongs in Redis now: at <= now + horizonMs (past ones too — they fire at once). */
export function withinHorizon(at: Date, now: Date, horizonMs: number): boolean {
  // Past instants count as inside so a timer missed during an outage still fires.
  return at.getTime() <= now.getTime() + horizonMs;
}

/**
 * Whole days overdue at `now`: 0 before the deadline, 1 throughout the first day late, and so
 * on — so that an alert raised at the deadline already shows a day's slip.
 */
export function daysOverdue(e: Pick<TimetableEntry, 'currentPlannedDate'>, now: Date): number {
  const late = now.getTime() - deadlineOf(e).getTime();
  return late < 0 ? 0 : Math.floor(late / DAY_MS) + 1;
}
