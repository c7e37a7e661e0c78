import { z } from 'zod';

/** Shared value types (API-CONVENTIONS.md "Values"), used by HTTP bodies and event data alike. */

/** GB/T 2260 administrative division code: six digits, e.g. 511112. */
export const RegionCode = z
  .string()
  .regex(/^\d{6}$/, 'must be a 6-digit division code (GB/T 2260)');

/** A unit (单位): department, bureau or township, by its code, e.g. `DRC` or `TOWN-QINGFU`. */
export const UnitCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, 'must be 2-32 upper-case letters, digits or hyphens');

/** 万元 with two decimals, as a string so no float ever touches money. */
export const MoneyWan = z
  .string()
  .regex(
    /^-?\d{1,13}\.\d{2}$/,
    'must be a decimal string in 万元 with two decimals, e.g. "1234.50"',
  );

/** A calendar date meant in China Standard Time (UTC+8). */
export const CalendarDate = z
  .string()
  // `abort`: a value that is not even YYYY-MM-DD gets one issue, not also "not a real date".
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD', abort: true })
  .refine(isRealDate, 'is not a real calendar date');

/** Required free text: trimmed, not empty, at most `max` characters. */
export const Text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** 万元 that cannot be negative: planned investment, amounts completed, tax. */
export const NonNegativeWan = MoneyWan.refine((v) => !v.startsWith('-'), 'must not be negative');

/**
 * The largest value of a PostgreSQL `integer` column. A whole number past it passes JSON and
 * zod's safe-integer check but fails the INSERT: bound it here, so it is a 400 on its field.
 */
export const INT4_MAX = 2_147_483_647;

/** Whole numbers that are stored in an `integer` column: employees, counts. */
export const Count = z
  .number()
  // First and aborting: 1e20 is also not a safe integer, but one message says it best.
  .max(INT4_MAX, { message: `must be at most ${INT4_MAX}`, abort: true })
  .min(0, 'must not be negative')
  .int('must be a whole number');

/** The `version` a client sends back for optimistic concurrency (an `integer` column). */
export const Version = z
  .number()
  // First and aborting: 1e20 is also not a safe integer, but one message says it best.
  .max(INT4_MAX, { message: `must be at most ${INT4_MAX}`, abort: true })
  .min(1, 'must be at least 1')
  .int('must be a whole number');

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');

export const Percent = z
  .number()
  .min(0, 'must be at least 0')
  .max(100, 'must be at most 100')
  .refine((v) => Number(v.toFixed(2)) === v, 'must have at most two decimals');

export const Uuid = z.string().uuid('must be a UUID');

export const Instant = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 instant' });

function isRealDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
