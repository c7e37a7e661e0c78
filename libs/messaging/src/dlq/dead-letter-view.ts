import type { IHeaders } from 'kafkajs';
import { KafkaHeaders } from '@duban/contracts';

/** One record as read from a `<topic>.dlq` partition, bytes untouched. */
export interface DeadLetterRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** What an operator needs to know about a dead letter, decoded from its headers and value. */
export interface DeadLetterView {
  record: DeadLetterRecord;
  reason: string | null;
  errorMessage: string | null;
  failedAt: Date | null;
  originalTopic: string | null;
  originalPartition: string | null;
  originalOffset: string | null;
  attempts: string | null;
  consumerGroup: string | null;
  eventId: string | null;
  eventType: string | null;
  subject: string | null;
  /** The CloudEvent as JSON, or null when the value is not JSON (a malformed-event letter). */
  event: unknown;
}

/** The headers the dead-letter writer adds; a redrive removes them to restore the original. */
export const DEAD_LETTER_HEADERS: readonly string[] = [
  KafkaHeaders.errorReason,
  KafkaHeaders.errorMessage,
  KafkaHeaders.originalTopic,
  KafkaHeaders.originalPartition,
  KafkaHeaders.originalOffset,
  KafkaHeaders.attempts,
  KafkaHeaders.failedAt,
  KafkaHeaders.consumerGroup,
];

export function headerText(headers: IHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
}

export function viewOf(record: DeadLetterRecord): DeadLetterView {
  const h = (name: string) => headerText(record.headers, name);
  const event = parseJson(record.value);
  const field = (name: string): string | null => {
    const v = isObject(event) ? event[name] : undefined;
    return typeof v === 'string' ? v : null;
  };
  const failedAt = h(KafkaHeaders.failedAt);
  return {
    record,
    reason: h(KafkaHeaders.errorReason),
    errorMessage: h(KafkaHeaders.errorMessage),
    failedAt: failedAt && !isNaN(Date.parse(failedAt)) ? new Date(failedAt) : null,
    originalTopic: h(KafkaHeaders.originalTopic),
    originalPartition: h(KafkaHeaders.originalPartition),
    originalOffset: h(KafkaHeaders.originalOffset),
    attempts: h(KafkaHeaders.attempts),
    consumerGroup: h(KafkaHeaders.consumerGroup),
    eventId: field('id'),
    eventType: field('type') ?? h(KafkaHeaders.eventType),
    subject: field('subject'),
    event,
  };
}

export function textHeaders(headers: IHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const text = headerText(headers, name);
    if (text !== null) out[name] = text;
  }
  return out;
}

function parseJson(value: Buffer | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);

/** Bearer tokens sit in dead letters written before the writer stripped them: never show one. */
export function maskedHeaders(headers: IHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(textHeaders(headers)).map(([name, text]) => [
      name,
      CREDENTIAL_HEADERS.has(name.toLowerCase()) ? maskCredential(text) : text,
    ]),
  );
}

function maskCredential(value: string): string {
  const scheme = /^(\w+)\s/.exec(value)?.[1];
  return scheme ? `${scheme} ***` : '***';
}

/** One line of `list`: where it is, when and why it failed, what it is, where it came from. */
export function listLine(v: DeadLetterView): string {
  const dash = (s: string | null) => s ?? '-';
  return [
    `${v.record.partition}:${v.record.offset}`,
    v.failedAt?.toISOString() ?? '-',
    dash(v.reason),
    dash(v.eventType),
    dash(v.eventId),
    dash(v.subject),
    `${dash(v.originalTopic)}[${dash(v.originalPartition)}]@${dash(v.originalOffset)}`,
    dash(v.consumerGroup),
  ].join('  ');
}

/** The whole letter for `show`: headers (credentials masked) and the decoded CloudEvent. */
export function showDocument(dlqTopic: string, v: DeadLetterView): object {
  return {
    dlq: { topic: dlqTopic, partition: v.record.partition, offset: v.record.offset },
    key: v.record.key?.toString('utf8') ?? null,
    headers: maskedHeaders(v.record.headers),
    event: v.event ?? v.record.value?.toString('utf8') ?? null,
  };
}
