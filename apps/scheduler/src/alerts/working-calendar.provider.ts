import { existsSync } from 'node:fs';
import { Logger, Provider } from '@nestjs/common';
import { WorkingCalendar, loadCalendar, uncoveredYears } from '@duban/calendar';
import { chinaDate } from '@duban/contracts';
import { Clock } from '@duban/platform';
import { DEFAULT_CALENDAR_OVERRIDE, SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';

/** The working-day calendar the loop's clocks count with; tests override this provider. */
export const WORKING_CALENDAR = Symbol('WORKING_CALENDAR');

const logger = new Logger('calendar');

/**
 * chinese-days with the override file on top. The shipped default file may be absent (an image
 * built without deploy/calendar): then the package alone, with a warning; a file named
 * explicitly must exist and be valid, or the scheduler does not start. A year without official
 * data (this one, and from November the next) is warned about at start: its clocks count Monday–Friday.
 */
export function workingCalendarFor(config: SchedulerConfig, now: Date): WorkingCalendar {
  let file = config.calendarOverride;
  if (file === DEFAULT_CALENDAR_OVERRIDE && !existsSync(file)) {
    logger.warn(`no calendar override file at ${file}; chinese-days only`);
    file = null;
  }
  const calendar = loadCalendar(file);
  const [year, month] = chinaDate(now).split('-').map(Number);
  // Next year's holidays are published around November; before that its absence is normal.
  const missing = uncoveredYears(calendar, month >= 11 ? [year, year + 1] : [year]);
  if (missing.length)
    logger.warn(
      `no statutory holidays known for ${missing.join(', ')}: escalation, reminder and ` +
        `commitment clocks count Monday–Friday there; update chinese-days or add the year to ` +
        `${file ?? 'an override file (DUBAN_CALENDAR_OVERRIDE)'}`,
    );
  return calendar;
}

export const workingCalendarProvider: Provider = {
  provide: WORKING_CALENDAR,
  inject: [SCHEDULER_CONFIG, Clock],
  useFactory: (config: SchedulerConfig, clock: Clock) => workingCalendarFor(config, clock.now()),
};
