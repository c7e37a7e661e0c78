import type { IHeaders, Message } from 'kafkajs';
import { KafkaHeaders } from '@duban/contracts';
import { DEAD_LETTER_HEADERS, DeadLetterView, headerText } from './dead-letter-view';

/** Headers a redrive adds, so a consumer (and the next dead letter) can tell it was redriven. */
export const RedriveHeaders = {
  redrivenAt: 'duban-redriven-at',
  reason: 'duban-redrive-reason',
  count: 'duban-redrive-count',
  from: 'duban-redriven-from',
} as const;

export interface DeadLetterFilter {
  since?: Date;
  reason?: string;
  eventId?: string;
}

export class UsageError extends Error {}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `--since`: an ISO 8601 instant, or a duration back from `now` such as `90m`, `2h`, `1d12h`. */
export function parseSince(text: string, now: Date): Date {
  const duration = /^(?:\d+[smhdw])+$/.test(text) ? durationMs(text) : null;
  if (duration !== null) return new Date(now.getTime() - duration);
  // Date.parse also takes "2026" or "Nov 29": only instants with a zone are unambiguous.
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text) && !isNaN(Date.parse(text))) {
    return new Date(text);
  }
  throw new UsageError(
    `--since ${text}: expected an ISO instant with a zone (2026-11-29T08:00:00Z) or a duration (30m, 2h, 7d)`,
  );
}

function durationMs(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) total += Number(n) * UNIT_MS[unit];
  return total;
}

/** A letter with no readable failure time cannot be shown to be recent, so --since drops it. */
export function matches(v: DeadLetterView, filter: DeadLetterFilter): boolean {
  if (filter.since && !(v.failedAt && v.failedAt >= filter.since)) return false;
  if (filter.reason !== undefined && v.reason !== filter.reason) return false;
  if (filter.eventId !== undefined && v.eventId !== filter.eventId) return false;
  return true;
}

export function summaryLine(selected: DeadLetterView[], total: number): string {
  const counts = new Map<string, number>();
  for (const v of selected) counts.set(v.reason ?? '-', (counts.get(v.reason ?? '-') ?? 0) + 1);
  const byReason = [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `${reason}=${n}`);
  return [`${selected.length} of ${total} dead letters`, ...byReason].join('  ');
}

export interface RedrivePlan {
  redrive: DeadLetterView[];
  /** Same event as one already planned (several consumer groups dead-lettered it): one redrive reaches every group. */
  duplicates: DeadLetterView[];
  refused: { letter: DeadLetterView; why: string }[];
}

/**
 * Which letters go back to `topic` (the full name the DLQ belongs to). A letter from another
 * topic is refused: putting it on this one would deliver it to consumers it was never for.
 */
export function planRedrive(selected: DeadLetterView[], topic: string): RedrivePlan {
  const plan: RedrivePlan = { redrive: [], duplicates: [], refused: [] };
  const seen = new Set<string>();
  for (const v of selected) {
    if (v.originalTopic !== topic) {
      const why = v.originalTopic
        ? `original topic is ${v.originalTopic}, not ${topic}`
        : `no ${KafkaHeaders.originalTopic} header`;
      plan.refused.push({ letter: v, why });
      continue;
    }
    // A value that is not a CloudEvent has no id; its place in the DLQ identifies it.
    const identity = v.eventId ?? `${v.record.partition}:${v.record.offset}`;
    if (seen.has(identity)) plan.duplicates.push(v);
    else plan.redrive.push(v);
    seen.add(identity);
  }
  return plan;
}

/**
 * The original message again (key, value, its own headers) plus a record of this redrive and
 * any `attestation` (an ingest message's redrive signature, replacing one from an earlier redrive).
 */
export function redriveMessage(
  v: DeadLetterView,
  dlqTopic: string,
  now: Date,
  attestation: Record<string, string> = {},
): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(v.record.headers)) {
    if (value !== undefined && !DEAD_LETTER_HEADERS.includes(name)) headers[name] = value;
  }
  const previous = Number(headerText(v.record.headers, RedriveHeaders.count) ?? 0);
  headers[RedriveHeaders.redrivenAt] = now.toISOString();
  headers[RedriveHeaders.reason] = v.reason ?? 'unknown';
  headers[RedriveHeaders.count] = String((Number.isInteger(previous) ? previous : 0) + 1);
  headers[RedriveHeaders.from] = `${dlqTopic}:${v.record.partition}:${v.record.offset}`;
  return { key: v.record.key, value: v.record.value, headers: { ...headers, ...attestation } };
}
