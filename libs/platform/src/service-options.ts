import { ServiceName } from '@duban/contracts';
import {
  InboxRecord,
  MessagingRetentionIndexes1795981263745,
  MessagingTables1764316800000,
  OutboxMessage,
} from '@duban/messaging';
import { ServiceSchema } from '@duban/persistence';
import { IdempotencyKey } from './idempotency/idempotency-key.entity';
import { IdempotencyKeys1764400000000 } from './idempotency/migrations/1764400000000-idempotency-keys';

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  projects: 3001,
  parks: 3002,
  transport: 3003,
  evaluation: 3004,
  scheduler: 3005,
};

/** What a Duban app tells the platform about itself; everything else is shared. */
export interface ServiceOptions {
  service: ServiceName;
  /** The app's entities and migrations (the outbox, inbox and idempotency keys are added). */
  schema: ServiceSchema;
  /** Logical topics this app consumes; none means no Kafka consumer. */
  consumes?: readonly string[];
  /** The ingest topic department systems publish to, and where refusals are announced. */
  ingest?: { topic: string; announceOn: string };
  /** Whether readiness must check Redis (the scheduler's timers). */
  usesRedis?: boolean;
}

export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');

export function portFor(service: ServiceName, env: NodeJS.ProcessEnv = process.env): number {
  return Number(env[`DUBAN_${service.toUpperCase()}_PORT`] ?? DEFAULT_PORTS[service]);
}

export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DUBAN_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/**
 * Connection options (not a client) for BullMQ, so each queue and worker owns, and closes,
 * its connections. Workers block on Redis: maxRetriesPerRequest must be null.
 */
export function redisConnectionOptions(env: NodeJS.ProcessEnv = process.env) {
  const url = new URL(redisUrl(env));
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    password: url.password || undefined,
    db: Number(url.pathname.slice(1) || 0),
    maxRetriesPerRequest: null,
  };
}

/** The app's own schema plus the outbox, inbox and idempotency keys every service carries. */
export function fullSchema(schema: ServiceSchema): ServiceSchema {
  return {
    entities: [
      ...(schema.entities as unknown[]),
      OutboxMessage,
      InboxRecord,
      IdempotencyKey,
    ] as ServiceSchema['entities'],
    migrations: [
      ...(schema.migrations as unknown[]),
      MessagingTables1764316800000,
      MessagingRetentionIndexes1795981263745,
      IdempotencyKeys1764400000000,
    ] as ServiceSchema['migrations'],
  };
}
