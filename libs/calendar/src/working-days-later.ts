import { chinaDate, startOfChinaDay } from '@duban/contracts';
import type { WorkingCalendar } from './working-calendar';

/**
 * The instant `days` working days after `at`, counted in China time: the same China time of
 * day on the day `days` working days later. If `at` falls on a non-working day the clock
 * starts at 00:00 China time of the next working day (a report filed on Saturday has all of
 * Monday, not Monday from the hour it was filed).
 */
export function workingDaysLater(at: Date, days: number, calendar: WorkingCalendar): Date {
  if (Number.isNaN(at.getTime())) throw new RangeError('workingDaysLater: invalid Date');
  const date = chinaDate(at);
  if (!calendar.isWorkingDay(date)) {
    const start = calendar.addWorkingDays(date, 0);
    return startOfChinaDay(calendar.addWorkingDays(start, days));
  }
  const timeOfDay = at.getTime() - startOfChinaDay(date).getTime();
  const target = calendar.addWorkingDays(date, days);
  return new Date(startOfChinaDay(target).getTime() + timeOfDay);
}
