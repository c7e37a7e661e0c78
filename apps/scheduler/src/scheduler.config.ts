import { z } from 'zod';
import { envOptionalText, envText, envWholeNumber, envWholeNumbers } from '@duban/contracts';
import { envRedisUrl } from '@duban/platform';
import { MailTo, parseMailTo } from './notifications/email/mail-content';

/** The scheduler's knobs (see the README's configuration table). */
export interface SchedulerConfig {
  /** Only deadlines this close hold a Redis timer; the sweep refills the horizon. */
  horizonMs: number;
  sweepIntervalMs: number;
  /** Warning points before a deadline, in days. */
  warnDays: number[];
  /** Working days at level 0 before level 1, and at level 1 before level 2. */
  escalationWorkingDays: [number, number];
  /** Working days between reminders (催办) by severity; 0 = never reminded. */
  reminderWorkingDays: Record<'info' | 'minor' | 'major' | 'critical', number>;
  /** The latest commit date an acknowledgement may name, in working days from today. */
  commitMaxWorkingDays: number;
  /** Working days a resolved alert waits for a supervisor's objection before closing itself; 0 = never. */
  autoCloseWorkingDays: number;
  /** The working-day calendar's local override file (a year chinese-days lacks, a county's own days); null = none. */
  calendarOverride: string | null;
  /** Where the BullMQ queues live. */
  redisUrl: string;
  /** Redis key prefix for the BullMQ queues (tests isolate with it). */
  redisPrefix: string;
  /** Points of physical progress behind a linear plan that make a project "behind pace". */
  behindPaceMarginPct: number;
  webhookAttempts: number;
  webhookBackoffMs: number;
  /** SMTP server for alert e-mail; null turns e-mail off. */
  smtpUrl: string | null;
  mailFrom: string;
  /** Recipients by owner unit, `*` for supervisors who receive every alert. */
  mailTo: MailTo;
  /** Tries per mail before it is dead. */
  mailAttempts: number;
  mailBackoffMs: number;
  /** How often unsent mail rows are queued again (a lost Redis job is resent by then). */
  mailSweepIntervalMs: number;
  /** How old an unsent row must be before the sweep takes it: its own job may be on the way. */
  mailGraceMs: number;
  // -- status (traffic lights, missing reports) --
  /** Day D of month M+1 by which the progress report for month M must be in (逾期未报). */
  reportDueDay: number;
  /** A milestone overdue more than this many days makes its subject red. */
  redOverdueDays: number;
  /** The longest a silence may last, in days. */
  silenceMaxDays: number;
}

const HOUR = 3_600_000;
/** Shipped with the repository (deploy/calendar/overrides.json), relative to the working directory. */
export const DEFAULT_CALENDAR_OVERRIDE = 'deploy/calendar/overrides.json';
const YEAR_HOURS = 366 * 24;

const smtpUrl = envOptionalText.refine(
  (url) => url === undefined || (URL.canParse(url) && /^smtps?:$/.test(new URL(url).protocol)),
  'must be an smtp:// or smtps:// URL',
);

const mailTo = envOptionalText.transform((raw, ctx) => {
  try {
    return parseMailTo(raw);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Parsed with the platform's schema at start (PlatformModule.forService `settings`). */
export const schedulerConfigSchema = z
  .object({
    DUBAN_SCHEDULER_HORIZON_HOURS: envWholeNumber(48, 1, YEAR_HOURS),
    DUBAN_SCHEDULER_SWEEP_SECONDS: envWholeNumber(60, 1, 86_400),
    DUBAN_SCHEDULER_WARN_DAYS: envWholeNumbers([7, 1], 1, 366),
    // -- alert loop (督办闭环): clocks in working days --
    DUBAN_ESCALATION_WORKING_DAYS: envWholeNumbers([2, 3], 1, 250, 2),
    DUBAN_REMINDER_WORKING_DAYS: envWholeNumbers([10, 5, 3, 1], 0, 250, 4),
    DUBAN_COMMIT_MAX_WORKING_DAYS: envWholeNumber(20, 1, 250),
    DUBAN_AUTO_CLOSE_WORKING_DAYS: envWholeNumber(5, 0, 250),
    DUBAN_CALENDAR_OVERRIDE: envText(DEFAULT_CALENDAR_OVERRIDE),
    DUBAN_REDIS_URL: envRedisUrl,
    DUBAN_REDIS_PREFIX: envText('duban'),
    DUBAN_BEHIND_PACE_MARGIN_PCT: envWholeNumber(15, 0, 100),
    DUBAN_WEBHOOK_ATTEMPTS: envWholeNumber(6, 1, 100),
    DUBAN_WEBHOOK_BACKOFF_MS: envWholeNumber(2000, 1, HOUR),
    DUBAN_SMTP_URL: smtpUrl,
    DUBAN_MAIL_FROM: envText('duban@localhost'),
    DUBAN_ALERT_MAIL_TO: mailTo,
    DUBAN_MAIL_ATTEMPTS: envWholeNumber(5, 1, 100),
    DUBAN_MAIL_BACKOFF_MS: envWholeNumber(30_000, 1, HOUR),
    DUBAN_MAIL_SWEEP_SECONDS: envWholeNumber(60, 1, 86_400),
    DUBAN_MAIL_GRACE_SECONDS: envWholeNumber(30, 0, 86_400),
    // -- status (traffic lights, missing reports) --
    DUBAN_REPORT_DUE_DAY: envWholeNumber(5, 1, 28),
    DUBAN_STATUS_RED_OVERDUE_DAYS: envWholeNumber(7, 0, 366),
    DUBAN_SILENCE_MAX_DAYS: envWholeNumber(90, 1, 366),
  })
  .transform((env): SchedulerConfig => ({
    horizonMs: env.DUBAN_SCHEDULER_HORIZON_HOURS * HOUR,
    sweepIntervalMs: env.DUBAN_SCHEDULER_SWEEP_SECONDS * 1000,
    warnDays: env.DUBAN_SCHEDULER_WARN_DAYS,
    escalationWorkingDays: [
      env.DUBAN_ESCALATION_WORKING_DAYS[0],
      env.DUBAN_ESCALATION_WORKING_DAYS[1],
    ],
    reminderWorkingDays: {
      info: env.DUBAN_REMINDER_WORKING_DAYS[0],
      minor: env.DUBAN_REMINDER_WORKING_DAYS[1],
      major: env.DUBAN_REMINDER_WORKING_DAYS[2],
      critical: env.DUBAN_REMINDER_WORKING_DAYS[3],
    },
    commitMaxWorkingDays: env.DUBAN_COMMIT_MAX_WORKING_DAYS,
    autoCloseWorkingDays: env.DUBAN_AUTO_CLOSE_WORKING_DAYS,
    // `none` (or empty) turns the override file off.
    calendarOverride: ['', 'none'].includes(env.DUBAN_CALENDAR_OVERRIDE.trim())
      ? null
      : env.DUBAN_CALENDAR_OVERRIDE,
    redisUrl: env.DUBAN_REDIS_URL,
    redisPrefix: env.DUBAN_REDIS_PREFIX,
    behindPaceMarginPct: env.DUBAN_BEHIND_PACE_MARGIN_PCT,
    webhookAttempts: env.DUBAN_WEBHOOK_ATTEMPTS,
    webhookBackoffMs: env.DUBAN_WEBHOOK_BACKOFF_MS,
    smtpUrl: env.DUBAN_SMTP_URL ?? null,
    mailFrom: env.DUBAN_MAIL_FROM,
    mailTo: env.DUBAN_ALERT_MAIL_TO,
    mailAttempts: env.DUBAN_MAIL_ATTEMPTS,
    mailBackoffMs: env.DUBAN_MAIL_BACKOFF_MS,
    mailSweepIntervalMs: env.DUBAN_MAIL_SWEEP_SECONDS * 1000,
    mailGraceMs: env.DUBAN_MAIL_GRACE_SECONDS * 1000,
    // -- status (traffic lights, missing reports) --
    reportDueDay: env.DUBAN_REPORT_DUE_DAY,
    redOverdueDays: env.DUBAN_STATUS_RED_OVERDUE_DAYS,
    silenceMaxDays: env.DUBAN_SILENCE_MAX_DAYS,
  }));

export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');
