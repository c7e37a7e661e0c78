import { ContractError, RuleViolation } from '@duban/contracts';
import { PermanentError } from './permanent-error';

/**
 * What a failed message deserves. `permanent`: the message itself is wrong (contract, rule,
 * refusal) — retrying cannot help, dead-letter it now. `transient`: a dependency is down or
 * busy — the message is fine, so wait and retry it for as long as it takes, never dead-letter
 * it (a database failover must not turn updates into dead letters). `unknown`: anything else —
 * a few tries, then dead-letter, so one bug cannot stall a partition for ever.
 */
export type Failure =
  | { class: 'permanent'; reason: string }
  | { class: 'transient'; kind: TransientKind }
  | { class: 'unknown' };

export type TransientKind = 'database' | 'kafka' | 'redis' | 'network';

// PostgreSQL SQLSTATEs that say "try again": connection exceptions (class 08), operator
// intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now),
// insufficient resources (class 53, e.g. too many connections), deadlock, serialization
// failure, lock timeout.
const PG_TRANSIENT = /^(08...|57P0[123]|53...|40P01|40001|55P03)$/;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// node-postgres and TypeORM report a lost or unobtainable connection only in words.
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'is not currently accepting connections',
  'Driver not Connected',
];

const REDIS_MESSAGES = ['Connection is closed', 'Reached the max retries per request limit'];

export function classifyFailure(err: unknown): Failure {
  if (err instanceof RuleViolation) return { class: 'permanent', reason: `rule-${err.kind}` };
  if (err instanceof PermanentError || err instanceof ContractError) {
    return { class: 'permanent', reason: err.reason };
  }
  for (const e of causes(err)) {
    const kind = transientKind(e);
    if (kind) return { class: 'transient', kind };
  }
  return { class: 'unknown' };
}

function transientKind(e: ErrorLike): TransientKind | null {
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const name = typeof e.name === 'string' ? e.name : '';
  if (
    PG_TRANSIENT.test(code) ||
    PG_CONNECTION_MESSAGES.some((m) => message.includes(m)) ||
    // TypeORM's word for a transaction whose connection died under it (it released it itself).
    name === 'QueryRunnerAlreadyReleasedError' ||
    name === 'QueryRunnerProviderAlreadyReleasedError'
  ) {
    return 'database';
  }
  // Every kafkajs error reaching a handler is the broker or the connection to it.
  if (name.startsWith('KafkaJS')) return 'kafka';
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((m) => message.includes(m))) {
    return 'redis';
  }
  if (NETWORK_CODES.has(code)) return 'network';
  return null;
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  driverError?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** The error and what it wraps (TypeORM's driverError, kafkajs' originalError, `cause`). */
function causes(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let e: unknown = err;
  while (e && typeof e === 'object' && out.length < 5 && !out.includes(e as ErrorLike)) {
    const like = e as ErrorLike;
    out.push(like);
    e = like.driverError ?? like.originalError ?? like.cause;
  }
  return out;
}

/** Capped exponential backoff: base, 2·base, 4·base … up to `capMs`. */
export function retryDelayMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
}
