import { MailTo, parseMailTo } from './notifications/email/mail-content';

/** The scheduler's knobs, from the environment (see the README's configuration table). */
export interface SchedulerConfig {
  /** Only deadlines this close hold a Redis timer; the sweep refills the horizon. */
  horizonMs: number;
  sweepIntervalMs: number;
  /** Warning points before a deadline, in days. */
  warnDays: number[];
  /** Time at level 0 before level 1, and at level 1 before level 2. */
  escalationMs: [number, number];
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
}

const HOUR = 3_600_000;
const num = (v: string | undefined, fallback: number): number =>
  v === undefined || v === '' ? fallback : Number(v);

export function schedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const [toOffice, toLeader] = (env.DUBAN_ESCALATION_HOURS ?? '48,72').split(',').map(Number);
  return {
    horizonMs: num(env.DUBAN_SCHEDULER_HORIZON_HOURS, 48) * HOUR,
    sweepIntervalMs: num(env.DUBAN_SCHEDULER_SWEEP_SECONDS, 60) * 1000,
    warnDays: (env.DUBAN_SCHEDULER_WARN_DAYS ?? '7,1').split(',').filter(Boolean).map(Number),
    escalationMs: [toOffice * HOUR, toLeader * HOUR],
    redisPrefix: env.DUBAN_REDIS_PREFIX ?? 'duban',
    behindPaceMarginPct: num(env.DUBAN_BEHIND_PACE_MARGIN_PCT, 15),
    webhookAttempts: num(env.DUBAN_WEBHOOK_ATTEMPTS, 6),
    webhookBackoffMs: num(env.DUBAN_WEBHOOK_BACKOFF_MS, 2000),
    smtpUrl: env.DUBAN_SMTP_URL || null,
    mailFrom: env.DUBAN_MAIL_FROM || 'duban@localhost',
    mailTo: parseMailTo(env.DUBAN_ALERT_MAIL_TO),
  };
}

export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');
