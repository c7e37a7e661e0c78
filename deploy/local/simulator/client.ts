/**
 * The simulator's I/O shared by every domain: tokens, HTTP calls, signed Kafka ingest sends,
 * and the log lines that say who did what over which channel.
 */
import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { CLOUDEVENTS_CONTENT_TYPE, TopicName, createEvent, encodeEvent } from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import type { Rng } from './actions';
import { IngestKeys } from './kafka-io';

const TAG = '[simulate]';
const HTTP_TIMEOUT_MS = 10000;

export const say = (line: string): void => void process.stdout.write(`${TAG} ${line}\n`);
export const warn = (line: string): void => void process.stderr.write(`${TAG} ${line}\n`);

export const short = (name: string, max = 14): string =>
  name.length > max ? `${name.slice(0, max)}…` : name;

// ---------------------------------------------------------------------------------------------
// Tokens: one per unit (and region) the simulator plays, plus a supervisor's for reading.

export class Tokens {
  private readonly secret = authSecretFrom();

  // Signed afresh for each call: the simulator runs longer than a token may live.
  get reader(): string {
    return signToken({ subject: 'duban-simulator', role: 'supervisor' }, this.secret);
  }

  forUnit(unit: string, region: string): string {
    return signToken(
      { subject: `simulator-${unit.toLowerCase()}`, role: 'department', unit, region },
      this.secret,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Answer {
  status: number;
  body: unknown;
}

export async function call(
  base: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  token: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  // PUT is idempotent by itself; the services honour the key on POST only.
  if (method === 'POST') headers['idempotency-key'] = `duban-simulator-${randomUUID()}`;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** "409 conflict: a report for 2026-05 exists …" from an RFC 9457 problem. */
export function describeRefusal(a: Answer): string {
  const p = (a.body ?? {}) as { title?: string; detail?: string; errors?: unknown };
  const detail = p.detail ?? p.title ?? (typeof a.body === 'string' ? a.body : '');
  const errors = Array.isArray(p.errors) ? ` ${JSON.stringify(p.errors)}` : '';
  return `${a.status} ${detail}${errors}`.slice(0, 300);
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error && !err.message.includes(cause.message)
      ? `${err.message} (${cause.message})`
      : err.message;
  }
  return String(err);
}

/** True when `base` answers /health/ready with 200; otherwise says why and returns false. */
export async function isReady(
  base: string,
  what: string,
  timeoutMs: number,
  hint: string,
): Promise<boolean> {
  try {
    const ready = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    if (ready.status === 200) return true;
    warn(`the ${what} at ${base} is not ready (${ready.status}); ${hint}`);
  } catch (err) {
    warn(`cannot reach the ${what} at ${base}: ${errorText(err)}; ${hint}`);
  }
  return false;
}

/** One service's reads, as the supervisor token (it sees every unit's records). */
export class Reader {
  constructor(
    readonly base: string,
    private readonly tokens: Tokens,
  ) {}

  async get<T>(path: string): Promise<T> {
    const a = await call(this.base, 'GET', path, this.tokens.reader);
    if (a.status !== 200) throw new Error(`GET ${path}: ${describeRefusal(a)}`);
    return a.body as T;
  }

  /** Every page of a `{ items, nextCursor }` list (200 a page, at most 10 pages); `path` may carry a query. */
  async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const q: string = `${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const a: { items: T[]; nextCursor: string | null } = await this.get(q);
      items.push(...a.items);
      cursor = a.nextCursor;
      if (!cursor) break;
    }
    return items;
  }
}

// ---------------------------------------------------------------------------------------------
// Writes, as a unit: over HTTP, or as a CloudEvent on an ingest topic.

/** Who acts, and in which county (their token is bound to it). */
export interface As {
  unit: string;
  region: string;
}

export interface IngestMessage {
  topic: TopicName;
  type: string;
  subject: string;
  /** The aggregate the change belongs to: keeps its changes in order on one partition. */
  key: string;
  data: unknown;
  what: string;
}

export class Sender {
  /** Event ids sent over Kafka, to match `duban.ingest.rejected` announcements. */
  readonly sent = new Map<string, string>();
  lastKafkaSendAt = 0;
  producer: Producer | null = null;
  topicPrefix = '';
  constructor(
    readonly tokens: Tokens,
    /** Each unit's own ingest key, as a department system holds it (kafka-io.ts). */
    private readonly keys = new IngestKeys(),
  ) {}

  async http(
    base: string,
    method: 'POST' | 'PUT',
    as: As,
    path: string,
    body: unknown,
    what: string,
  ): Promise<void> {
    const token = this.tokens.forUnit(as.unit, as.region);
    let a: Answer;
    try {
      a = await call(base, method, path, token, body);
    } catch (err) {
      warn(`${as.unit} could not send over HTTP: ${what}: ${errorText(err)}`);
      return;
    }
    // 202: a change a supervisor must approve first (变更申请); the milestone keeps its date.
    if (a.status === 202)
      say(`${as.unit} asked to have ${what}: waits for a supervisor's approval`);
    else if (a.status >= 200 && a.status < 300) say(`${as.unit} ${what} over HTTP`);
    else say(`${as.unit} was refused: ${what}: ${describeRefusal(a)}`);
  }

  async kafka(as: As, m: IngestMessage): Promise<void> {
    if (!this.producer) throw new Error('the Kafka producer is not connected');
    const event = createEvent({
      type: m.type,
      service: 'simulator',
      subject: m.subject,
      region: as.region,
      partitionKey: m.key,
      data: m.data,
    });
    this.sent.set(event.id, `${as.unit} ${m.what}`);
    const value = encodeEvent(event);
    try {
      await this.producer.send({
        topic: this.topicPrefix + m.topic,
        acks: -1,
        messages: [
          {
            key: m.key,
            value,
            headers: {
              ...this.keys.sign(value, as),
              'content-type': CLOUDEVENTS_CONTENT_TYPE,
              ce_type: m.type,
            },
          },
        ],
      });
      this.lastKafkaSendAt = Date.now();
      say(`${as.unit} ${m.what} over Kafka`);
    } catch (err) {
      warn(`${as.unit} could not send over Kafka: ${m.what}: ${errorText(err)}`);
    }
  }
}

/** What a domain's player needs from the run: sending, the PRNG, marking ids busy a while. */
export interface Stage {
  send: Sender;
  rng: Rng;
  /** Keeps an id out of the candidates while a Kafka update to it may still be landing. */
  markBusy(id: string): void;
}
