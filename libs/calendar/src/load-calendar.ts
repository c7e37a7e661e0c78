import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { calendarFrom, isCalendarDate, type WorkingCalendar } from './working-calendar';

/**
 * The override file, applied on top of the chinese-days data; a listed date wins over the
 * package:
 *
 *   { "workdays": ["2027-02-06"], "holidays": ["2027-02-10"] }
 *
 * Use it for a year the installed chinese-days does not have yet (enter that year's whole
 * State Council notice: any date listed makes its year count as covered) or for a county's
 * own adjustments. deploy/calendar/overrides.json is the shipped, empty example.
 */
const calendarDate = z.string().refine(isCalendarDate, 'not a calendar date YYYY-MM-DD');
const overrideSchema = z
  .object({
    workdays: z.array(calendarDate).default([]),
    holidays: z.array(calendarDate).default([]),
  })
  .strict();
export type CalendarOverrides = z.infer<typeof overrideSchema>;

/** chinese-days' raw data: date -> "English name,中文名,n" for days off and 调休 workdays. */
const packageSchema = z.object({
  holidays: z.record(calendarDate, z.string()),
  workdays: z.record(calendarDate, z.string()),
});

const PACKAGE_DATA = 'chinese-days/dist/chinese-days.json';

let packageData: { holidays: string[]; workdays: string[] } | undefined;

/** Read once per process: the package's own functions would re-derive per call. */
function readPackage(): { holidays: string[]; workdays: string[] } {
  if (!packageData) {
    const file = require.resolve(PACKAGE_DATA);
    const raw = packageSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    packageData = { holidays: Object.keys(raw.holidays), workdays: Object.keys(raw.workdays) };
  }
  return packageData;
}

function describeIssue(content: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path.map((part) =>
    typeof part === 'number' ? `[${part}]` : `.${String(part)}`,
  );
  let value: unknown = content;
  for (const part of issue.path) value = (value as Record<PropertyKey, unknown>)?.[part];
  if (path.length === 0) return issue.message;
  const shown = value === undefined ? '' : ` ${JSON.stringify(value)}`;
  return `${path.join('').replace(/^\./, '')}${shown}: ${issue.message}`;
}

/** Parses and validates an override file; the error names the file and the bad entry. */
export function readOverrides(file: string): CalendarOverrides {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`calendar override file ${file}: ${(error as Error).message}`);
  }
  const parsed = overrideSchema.safeParse(content);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => describeIssue(content, issue));
    throw new Error(`calendar override file ${file}: ${issues.join('; ')}`);
  }
  const both = parsed.data.workdays.filter((date) => parsed.data.holidays.includes(date));
  if (both.length > 0) {
    throw new Error(`calendar override file ${file}: ${both[0]} is both a workday and a holiday`);
  }
  return parsed.data;
}

function yearsOf(dates: string[]): number[] {
  return [...new Set(dates.map((date) => Number(date.slice(0, 4))))];
}

/** The package's data with `overrides` applied on top (a listed date wins). */
export function mergeOverrides(
  base: { holidays: string[]; workdays: string[] },
  overrides: CalendarOverrides,
): { holidays: string[]; workdays: string[]; years: number[] } {
  const holidays = new Set(base.holidays);
  const workdays = new Set(base.workdays);
  for (const date of overrides.workdays) {
    holidays.delete(date);
    workdays.add(date);
  }
  for (const date of overrides.holidays) {
    workdays.delete(date);
    holidays.add(date);
  }
  const years = yearsOf([
    ...base.holidays,
    ...base.workdays,
    ...overrides.holidays,
    ...overrides.workdays,
  ]);
  return { holidays: [...holidays], workdays: [...workdays], years };
}

/** The calendar from chinese-days, with an optional override file applied on top. */
export function loadCalendar(overrideFile: string | null): WorkingCalendar {
  const overrides = overrideFile ? readOverrides(overrideFile) : { workdays: [], holidays: [] };
  return calendarFrom(mergeOverrides(readPackage(), overrides));
}
