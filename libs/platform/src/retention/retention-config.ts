import { z } from 'zod';
import { allTopicSpecs, envWholeNumber } from '@duban/contracts';
import { Env, loadConfig } from '../config/load-config';

export interface RetentionConfig {
  /** Published outbox rows older than this go; unpublished ones stay whatever their age. */
  outboxDays: number;
  /** Inbox rows older than this go: an event redelivered after that would apply again. */
  inboxDays: number;
  /** Rows per DELETE: each batch is its own short transaction. */
  batchSize: number;
  intervalMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The longest a consumed record can come back: a topic with finite retention (ingest topics)
 * can be re-read that far back, and a dead letter can be redriven for as long as its DLQ keeps
 * it. Topics kept forever (domain topics) are re-read from the start only to rebuild into an
 * empty database, which starts with an empty inbox anyway.
 */
export function longestRedeliveryDays(): number {
  const finite = allTopicSpecs([])
    .filter((s) => s.retentionMs > 0)
    .map((s) => s.retentionMs);
  return Math.ceil(Math.max(0, ...finite) / DAY_MS);
}

/**
 * A DLQ keeps a letter 30 days from when it failed, which can be days after the other consumer
 * groups processed the same event (a group that was down or far behind): a redrive reaches
 * them too, so their inbox rows must outlive the letter by that lag.
 */
export const INBOX_MARGIN_DAYS = 7;

/** The retention part of every service's configuration (service-config.ts parses it at start). */
export const retentionEnv = z
  .object({
    DUBAN_OUTBOX_RETENTION_DAYS: envWholeNumber(7, 1, 3650),
    DUBAN_INBOX_RETENTION_DAYS: envWholeNumber(
      longestRedeliveryDays() + INBOX_MARGIN_DAYS,
      1,
      3650,
    ),
    DUBAN_RETENTION_BATCH_SIZE: envWholeNumber(5000, 1, 1_000_000),
    DUBAN_RETENTION_INTERVAL_SECONDS: envWholeNumber(3600, 1, 7 * 24 * 3600),
  })
  .superRefine((env, ctx) => {
    const floor = longestRedeliveryDays();
    if (env.DUBAN_INBOX_RETENTION_DAYS < floor) {
      ctx.addIssue({
        code: 'custom',
        path: ['DUBAN_INBOX_RETENTION_DAYS'],
        message:
          `DUBAN_INBOX_RETENTION_DAYS=${env.DUBAN_INBOX_RETENTION_DAYS} is shorter than the ${floor} days ` +
          'a consumed event can be redelivered (topic and DLQ retention): a redelivery after its inbox row went would apply twice',
      });
    }
  })
  .transform((env): RetentionConfig => ({
    outboxDays: env.DUBAN_OUTBOX_RETENTION_DAYS,
    inboxDays: env.DUBAN_INBOX_RETENTION_DAYS,
    batchSize: env.DUBAN_RETENTION_BATCH_SIZE,
    intervalMs: env.DUBAN_RETENTION_INTERVAL_SECONDS * 1000,
  }));

/** The retention settings alone (tests, scripts); a service reads ServiceConfig.retention. */
export const retentionConfigFor = (env: Env): RetentionConfig => loadConfig(retentionEnv, env);
