import { z } from 'zod';
import { ServiceName } from '@duban/contracts';
import {
  InboxRecord,
  MessagingRetentionIndexes1795981263745,
  MessagingTables1764316800000,
  OutboxMessage,
} from '@duban/messaging';
import { ServiceSchema } from '@duban/persistence';
import { Env, loadConfig } from './config/load-config';
import { portEnv, redisEnv } from './config/service-config';
import { IdempotencyKey } from './idempotency/idempotency-key.entity';
import { IdempotencyKeys1764400000000 } from './idempotency/migrations/1764400000000-idempotency-keys';

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
  /**
   * The app's own settings: a schema over the same environment, parsed with the platform's
   * (one error lists every bad variable), provided under `provide`.
   */
  settings?: { provide: symbol; schema: z.ZodType };
}

export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');

/** For scripts that look for a service (deploy/local/start.ts); a service reads its config. */
export function portFor(service: ServiceName, env: Env = process.env): number {
  return loadConfig(portEnv(service), env);
}

/** For scripts and tests; a service reads its config. */
export function redisUrl(env: Env = process.env): string {
  return loadConfig(redisEnv, env);
}

/**
 * Connection options (not a client) for BullMQ, so each queue and worker owns, and closes,
 * its connections. Workers block on Redis: maxRetriesPerRequest must be null. Pass
 * SchedulerConfig.redisUrl; the default (the environment, checked) is for callers not yet
 * handed the configuration.
 */
export function redisConnectionOptions(redis: string = redisUrl()) {
  const url = new URL(redis);
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
