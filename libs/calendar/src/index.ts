/**
 * The working-day calendar (工作日历): China's statutory holidays and 调休 working days from the
 * chinese-days package, a local override file on top, Monday–Friday for years neither covers.
 * Plain TypeScript, no framework.
 */
export {
  calendarFrom,
  uncoveredYears,
  type CalendarData,
  type WorkingCalendar,
} from './working-calendar';
export { workingDaysLater } from './working-days-later';
export { loadCalendar, readOverrides, type CalendarOverrides } from './load-calendar';
