import { allTopicSpecs } from '@duban/contracts';

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

export function retentionConfigFor(env: NodeJS.ProcessEnv = process.env): RetentionConfig {
  const floor = longestRedeliveryDays();
  const inboxDays = whole(env, 'DUBAN_INBOX_RETENTION_DAYS', floor + INBOX_MARGIN_DAYS);
  if (inboxDays < floor) {
    throw new Error(
      `DUBAN_INBOX_RETENTION_DAYS=${inboxDays} is shorter than the ${floor} days a consumed event ` +
        'can be redelivered (topic and DLQ retention): a redelivery after its inbox row went would apply twice',
    );
  }
  return {
    outboxDays: whole(env, 'DUBAN_OUTBOX_RETENTION_DAYS', 7),
    inboxDays,
    batchSize: whole(env, 'DUBAN_RETENTION_BATCH_SIZE', 5000),
    intervalMs: whole(env, 'DUBAN_RETENTION_INTERVAL_SECONDS', 3600) * 1000,
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number; got ${raw}`);
  }
  return value;
}
