import { z } from 'zod';
import {
  AuthConfig,
  DEFAULT_MAX_TOKEN_LIFETIME,
  DEV_AUTH_SECRET,
  DEV_INGEST_SECRET,
  IngestTrust,
  parseLifetime,
  parseMinKeyVersions,
  productionSecretProblem,
} from '@duban/auth';
import { ServiceName, envChoice, envOptionalText, envText, envWholeNumber } from '@duban/contracts';
import {
  DEFAULT_OUTBOX_BATCH_SIZE,
  KafkaConfig,
  MAX_OUTBOX_BATCH_SIZE,
  kafkaConfigFor,
} from '@duban/messaging';
import { DatabaseConfig, databaseEnv } from '@duban/persistence';
import { RetentionConfig, retentionEnv } from '../retention/retention-config';
import { Env, isProduction } from './load-config';

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  projects: 3001,
  parks: 3002,
  transport: 3003,
  evaluation: 3004,
  scheduler: 3005,
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `token`: Prometheus scrapes with `Authorization: Bearer <DUBAN_METRICS_TOKEN>`. */
export type MetricsAccess = { mode: 'off' } | { mode: 'on' } | { mode: 'token'; token: string };

/** A scrape token is a password Prometheus holds: long enough not to be guessed. */
export const MIN_METRICS_TOKEN_LENGTH = 32;

/** What every service reads from its environment, parsed and checked once at start. */
export interface ServiceConfig {
  production: boolean;
  http: { host: string; port: number; bodyLimitBytes: number };
  database: DatabaseConfig;
  kafka: KafkaConfig;
  /** Null for a service that does not use Redis. */
  redisUrl: string | null;
  logLevel: LogLevel;
  metrics: MetricsAccess;
  /** Whether /docs, /docs-json and /docs/asyncapi.json are served. */
  docs: boolean;
  /** Bearer tokens: the key they are signed with and their longest lifetime (the AuthGuard's). */
  auth: AuthConfig;
  /** How department ingest messages are verified; null for a service without an ingest topic. */
  ingest: IngestTrust | null;
  /** Pruning of the outbox and inbox (RetentionService). */
  retention: RetentionConfig;
  /** A partition held back, or a handler busy, this long makes readiness 503. */
  consumer: { stuckAfterMs: number };
  /** The outbox relay: rows per Kafka transaction. */
  outbox: { batchSize: number };
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The environment a service's configuration is parsed from; tests override this provider. */
export const CONFIG_ENV = Symbol('CONFIG_ENV');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

/**
 * Several schemas over the same environment, parsed in one go so that one error lists the
 * problems of all of them.
 */
export function envParts<T extends Record<string, z.ZodType>>(parts: T) {
  return z.preprocess(
    (env) => Object.fromEntries(Object.keys(parts).map((key) => [key, env])),
    z.object(parts),
  );
}

/** What the service uses beyond the shared: Redis (the scheduler), an ingest topic. */
export interface ServiceUses {
  redis?: boolean;
  ingest?: boolean;
}

export function serviceConfigSchema(service: ServiceName, uses: ServiceUses = {}) {
  return envParts({
    http: httpEnv(service),
    database: databaseEnv(service),
    kafka: readBy((env) => kafkaConfigFor(`duban-${service}`, env)),
    auth: authEnv,
    ingest: uses.ingest ? ingestEnv : z.any().transform(() => null),
    retention: retentionEnv,
    consumer: consumerEnv,
    outbox: outboxEnv,
    redisUrl: uses.redis ? redisEnv : z.any().transform(() => null),
    logLevel: z.object({ DUBAN_LOG_LEVEL: envChoice(LOG_LEVELS) }),
    exposure: exposureEnv(uses.ingest ? INGEST_SECRETS : SECRETS),
  }).transform(({ exposure, logLevel, ...parts }): ServiceConfig => ({
    ...exposure,
    ...parts,
    logLevel: logLevel.DUBAN_LOG_LEVEL ?? 'info',
  }));
}

/**
 * The secrets themselves are judged by the production policy (exposureEnv), once: a production
 * service without one never gets this far, a development or test run falls back to the dev key.
 */
export const authEnv = z
  .object({
    // Not trimmed: tokens are signed with the variable exactly as it is.
    DUBAN_AUTH_SECRET: z.string().optional(),
    DUBAN_AUTH_MAX_TOKEN_LIFETIME: envText(DEFAULT_MAX_TOKEN_LIFETIME).transform((v, ctx) => {
      const seconds = parseLifetime(v);
      if (seconds !== undefined && seconds > 0) return seconds;
      ctx.addIssue({
        code: 'custom',
        message: 'must be a positive number of seconds or a span such as 12h',
      });
      return z.NEVER;
    }),
  })
  .transform((env): AuthConfig => ({
    secret: env.DUBAN_AUTH_SECRET || DEV_AUTH_SECRET,
    maxTokenLifetimeSeconds: env.DUBAN_AUTH_MAX_TOKEN_LIFETIME,
  }));

/** `DUBAN_INGEST_MIN_KEY_VERSIONS`, e.g. `511112:AGRI=2`: a typo must stop the service. */
export const ingestEnv = z
  .object({
    DUBAN_INGEST_SECRET: z.string().optional(),
    DUBAN_INGEST_REPLAY_WINDOW_SECONDS: envWholeNumber(600, 1, 86400),
    DUBAN_INGEST_MIN_KEY_VERSIONS: envOptionalText.transform((v, ctx) => {
      try {
        return parseMinKeyVersions(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  })
  .transform((env): IngestTrust => ({
    serverSecret: env.DUBAN_INGEST_SECRET || DEV_INGEST_SECRET,
    replayWindowMs: env.DUBAN_INGEST_REPLAY_WINDOW_SECONDS * 1000,
    minKeyVersion: env.DUBAN_INGEST_MIN_KEY_VERSIONS,
  }));

/** Tests shorten it to see a stuck consumer take the service out of rotation. */
export const consumerEnv = z
  .object({ DUBAN_CONSUMER_STUCK_AFTER_SECONDS: envWholeNumber(60, 1, 3600) })
  .transform((env) => ({ stuckAfterMs: env.DUBAN_CONSUMER_STUCK_AFTER_SECONDS * 1000 }));

/**
 * Rows per Kafka transaction of the outbox relay. Larger drains a backlog faster (fewer
 * transactions, bench/README.md); the ceiling keeps the batch's checkpoint record small.
 */
export const outboxEnv = z
  .object({
    DUBAN_OUTBOX_BATCH_SIZE: envWholeNumber(DEFAULT_OUTBOX_BATCH_SIZE, 1, MAX_OUTBOX_BATCH_SIZE),
  })
  .transform((env) => ({ batchSize: env.DUBAN_OUTBOX_BATCH_SIZE }));

export function portEnv(service: ServiceName) {
  const variable = `DUBAN_${service.toUpperCase()}_PORT`;
  return z
    .object({ [variable]: envWholeNumber(DEFAULT_PORTS[service], 0, 65535) })
    .transform((env) => env[variable]);
}

function httpEnv(service: ServiceName) {
  return envParts({
    shared: z.object({
      DUBAN_HTTP_HOST: envText('127.0.0.1'),
      DUBAN_HTTP_BODY_LIMIT_KB: envWholeNumber(256, 1, 10240),
    }),
    port: portEnv(service),
  }).transform(({ shared, port }) => ({
    host: shared.DUBAN_HTTP_HOST,
    port,
    bodyLimitBytes: shared.DUBAN_HTTP_BODY_LIMIT_KB * 1024,
  }));
}

/**
 * Settings a library reads with a function of its own (Kafka's in libs/messaging): its refusal
 * joins the others in the one error.
 */
function readBy<T>(read: (env: Env) => T) {
  return z.custom<Env>().transform((env, ctx) => {
    try {
      return read(env);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
}

export const envRedisUrl = envText(DEFAULT_REDIS_URL).refine(
  (url) => URL.canParse(url) && ['redis:', 'rediss:'].includes(new URL(url).protocol),
  'must be a redis:// or rediss:// URL',
);

export const redisEnv = z
  .object({ DUBAN_REDIS_URL: envRedisUrl })
  .transform((env) => env.DUBAN_REDIS_URL);

const SECRETS = ['DUBAN_AUTH_SECRET'] as const;
/** Departments' ingest keys derive from it: only the services with an ingest topic use it. */
const INGEST_SECRETS = ['DUBAN_AUTH_SECRET', 'DUBAN_INGEST_SECRET'] as const;

/** What a production service may expose, and with which secrets it signs: safe unless opened. */
const exposureEnv = (secrets: readonly ('DUBAN_AUTH_SECRET' | 'DUBAN_INGEST_SECRET')[]) =>
  z
    .object({
      NODE_ENV: envOptionalText,
      // Not trimmed: tokens and ingest keys are signed with the variables exactly as they are.
      DUBAN_AUTH_SECRET: z.string().optional(),
      DUBAN_INGEST_SECRET: z.string().optional(),
      DUBAN_METRICS: envChoice(['on', 'off', 'token'] as const),
      DUBAN_METRICS_TOKEN: z.string().optional(),
      DUBAN_DOCS: envChoice(['on', 'off'] as const),
    })
    .transform((env, ctx) => {
      const production = isProduction(env);
      const problem = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', message, path: [path] });
      for (const name of secrets) {
        const secret = production ? productionSecretProblem(env[name]) : null;
        if (secret) problem(name, secret);
      }
      const metrics = metricsAccess(env, production, problem);
      const docs = (env.DUBAN_DOCS ?? (production ? 'off' : 'on')) === 'on';
      return { production, metrics, docs };
    });

function metricsAccess(
  env: { DUBAN_METRICS?: 'on' | 'off' | 'token'; DUBAN_METRICS_TOKEN?: string },
  production: boolean,
  problem: (path: string, message: string) => void,
): MetricsAccess {
  const token = env.DUBAN_METRICS_TOKEN || undefined;
  const mode = env.DUBAN_METRICS ?? (production ? (token ? 'token' : 'off') : 'on');
  if (mode !== 'token') return { mode };
  if (!token) problem('DUBAN_METRICS_TOKEN', 'is required when DUBAN_METRICS=token');
  else if (token.length < MIN_METRICS_TOKEN_LENGTH) {
    problem('DUBAN_METRICS_TOKEN', `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`);
  }
  return { mode, token: token ?? '' };
}
