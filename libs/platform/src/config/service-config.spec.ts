import { DEV_AUTH_SECRET, DEV_INGEST_SECRET } from '@duban/auth';
import { ConfigError, Env, loadConfig } from './load-config';
import { ServiceConfig, serviceConfigSchema } from './service-config';

const STRONG = 'f3a9c2e87b1d4056a9e2c7b3d8f1e0a4c6b2d9e8f7a1c3b5';
const SCRAPE = 'prometheus-scrape-token-0123456789abcdef';
// kafkaConfigFor (libs/messaging) wants credentials of its own in production.
const PRODUCTION: Env = {
  NODE_ENV: 'production',
  DUBAN_AUTH_SECRET: STRONG,
  DUBAN_INGEST_SECRET: `ingest-${STRONG}`,
  DUBAN_KAFKA_USERNAME: 'duban-projects',
  DUBAN_KAFKA_PASSWORD: 'kafka-password',
};

const load = (env: Env, redis = false): ServiceConfig =>
  loadConfig(serviceConfigSchema('projects', { redis, ingest: true }), env);

function problems(env: Env): readonly string[] {
  try {
    load(env, true);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('a service configuration', () => {
  it('takes the documented defaults in a test run', () => {
    expect(load({ NODE_ENV: 'test' }, true)).toMatchObject({
      production: false,
      http: { host: '127.0.0.1', port: 3001, bodyLimitBytes: 256 * 1024 },
      database: { host: '127.0.0.1', port: 5432, database: 'duban_projects', poolSize: 5 },
      redisUrl: 'redis://127.0.0.1:6379',
      logLevel: 'info',
      metrics: { mode: 'on' },
      docs: true,
    });
  });

  it('reads the service’s own port and database, and treats empty as unset', () => {
    const config = load({
      NODE_ENV: 'development',
      DUBAN_PROJECTS_PORT: '13001',
      DUBAN_PROJECTS_DB: 'duban_projects_x',
      DUBAN_PG_PORT: '',
    });
    expect(config.http.port).toBe(13001);
    expect(config.database).toMatchObject({ database: 'duban_projects_x', port: 5432 });
  });

  it('refuses a number that is not one, naming the variable, rather than carry a NaN', () => {
    expect(problems({ NODE_ENV: 'test', DUBAN_PG_PORT: 'abc' })).toEqual([
      'DUBAN_PG_PORT must be a whole number from 1 to 65535',
    ]);
  });

  it('lists every bad variable at once', () => {
    expect(
      problems({
        NODE_ENV: 'test',
        DUBAN_PROJECTS_PORT: '70000',
        DUBAN_PG_POOL_SIZE: '2.5',
        DUBAN_HTTP_BODY_LIMIT_KB: '-1',
        DUBAN_REDIS_URL: 'http://cache:6379',
        DUBAN_LOG_LEVEL: 'loud',
        DUBAN_DOCS: 'maybe',
      }),
    ).toEqual(
      expect.arrayContaining([
        'DUBAN_PROJECTS_PORT must be a whole number from 0 to 65535',
        'DUBAN_PG_POOL_SIZE must be a whole number from 1 to 100',
        'DUBAN_HTTP_BODY_LIMIT_KB must be a whole number from 1 to 10240',
        'DUBAN_REDIS_URL must be a redis:// or rediss:// URL',
        'DUBAN_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
        'DUBAN_DOCS must be one of on, off',
      ]),
    );
  });

  it('says all of it in the message a refused start prints', () => {
    expect(() => load({ NODE_ENV: 'test', DUBAN_PG_PORT: 'x', DUBAN_DOCS: 'x' })).toThrow(
      /invalid configuration:\n {2}- DUBAN_PG_PORT .*\n {2}- DUBAN_DOCS /,
    );
  });
});

describe('the settings the guard, ingest, retention and readiness use', () => {
  it('parses them with the rest, with their defaults', () => {
    const config = load({ NODE_ENV: 'test' });
    expect(config.auth).toEqual({ secret: DEV_AUTH_SECRET, maxTokenLifetimeSeconds: 12 * 3600 });
    expect(config.ingest).toMatchObject({
      serverSecret: DEV_INGEST_SECRET,
      replayWindowMs: 600_000,
    });
    expect(config.ingest?.minKeyVersion('511112', 'AGRI')).toBe(1);
    expect(config.retention).toEqual({
      outboxDays: 7,
      inboxDays: 37,
      batchSize: 5000,
      intervalMs: 3_600_000,
    });
    expect(config.consumer).toEqual({ stuckAfterMs: 60_000 });
    expect(config.outbox).toEqual({ batchSize: 2000 });
  });

  it('takes the values the environment gives', () => {
    const config = load({
      NODE_ENV: 'test',
      DUBAN_AUTH_SECRET: 'guard-key',
      DUBAN_AUTH_MAX_TOKEN_LIFETIME: '30m',
      DUBAN_INGEST_SECRET: 'ingest-key',
      DUBAN_INGEST_REPLAY_WINDOW_SECONDS: '120',
      DUBAN_INGEST_MIN_KEY_VERSIONS: '511112:AGRI=2',
      DUBAN_OUTBOX_RETENTION_DAYS: '3',
      DUBAN_CONSUMER_STUCK_AFTER_SECONDS: '5',
      DUBAN_OUTBOX_BATCH_SIZE: '500',
    });
    expect(config.auth).toEqual({ secret: 'guard-key', maxTokenLifetimeSeconds: 1800 });
    expect(config.ingest).toMatchObject({ serverSecret: 'ingest-key', replayWindowMs: 120_000 });
    expect(config.ingest?.minKeyVersion('511112', 'AGRI')).toBe(2);
    expect(config.retention.outboxDays).toBe(3);
    expect(config.consumer.stuckAfterMs).toBe(5000);
    expect(config.outbox.batchSize).toBe(500);
  });

  it('has no ingest trust in a service without an ingest topic', () => {
    expect(loadConfig(serviceConfigSchema('evaluation'), { NODE_ENV: 'test' }).ingest).toBeNull();
  });

  it('refuses a bad value of each at start, naming its variable', () => {
    expect(
      problems({
        NODE_ENV: 'test',
        DUBAN_AUTH_MAX_TOKEN_LIFETIME: 'forever',
        DUBAN_INGEST_REPLAY_WINDOW_SECONDS: '0',
        DUBAN_INGEST_MIN_KEY_VERSIONS: '511112:agri=x',
        DUBAN_RETENTION_BATCH_SIZE: 'lots',
        DUBAN_INBOX_RETENTION_DAYS: '7',
        DUBAN_CONSUMER_STUCK_AFTER_SECONDS: '1.5',
        DUBAN_OUTBOX_BATCH_SIZE: '20000',
      }),
    ).toEqual([
      'DUBAN_AUTH_MAX_TOKEN_LIFETIME must be a positive number of seconds or a span such as 12h',
      'DUBAN_INGEST_REPLAY_WINDOW_SECONDS must be a whole number from 1 to 86400',
      'DUBAN_INGEST_MIN_KEY_VERSIONS: "511112:agri=x" is not <region>:<unit>=<version>',
      'DUBAN_RETENTION_BATCH_SIZE must be a whole number from 1 to 1000000',
      'DUBAN_CONSUMER_STUCK_AFTER_SECONDS must be a whole number from 1 to 3600',
      'DUBAN_OUTBOX_BATCH_SIZE must be a whole number from 1 to 10000',
    ]);
    expect(problems({ NODE_ENV: 'test', DUBAN_INBOX_RETENTION_DAYS: '7' })).toEqual([
      expect.stringMatching(/^DUBAN_INBOX_RETENTION_DAYS=7 is shorter than the 30 days/),
    ]);
  });
});

describe('a production configuration', () => {
  it('needs an auth secret, naming the variable', () => {
    expect(problems({ ...PRODUCTION, DUBAN_AUTH_SECRET: undefined })).toEqual([
      'DUBAN_AUTH_SECRET must be set in production',
    ]);
  });

  it.each(['change-me', 'secret', 'change-me-local-compose-secret', DEV_AUTH_SECRET])(
    'refuses the placeholder secret %p',
    (secret) => {
      expect(problems({ ...PRODUCTION, DUBAN_AUTH_SECRET: secret })).toEqual([
        expect.stringMatching(
          /^DUBAN_AUTH_SECRET is (a known placeholder|the development default)$/,
        ),
      ]);
    },
  );

  it('holds the ingest secret to the same policy', () => {
    expect(problems({ ...PRODUCTION, DUBAN_INGEST_SECRET: DEV_INGEST_SECRET })).toEqual([
      'DUBAN_INGEST_SECRET is a known placeholder',
    ]);
    expect(problems({ ...PRODUCTION, DUBAN_INGEST_SECRET: undefined })).toEqual([
      'DUBAN_INGEST_SECRET must be set in production',
    ]);
  });

  it('does not ask a service without an ingest topic for the ingest secret', () => {
    const env = { ...PRODUCTION, DUBAN_INGEST_SECRET: undefined };
    expect(loadConfig(serviceConfigSchema('evaluation'), env).production).toBe(true);
  });

  it('refuses a short secret', () => {
    expect(problems({ ...PRODUCTION, DUBAN_AUTH_SECRET: 'k9x2m4p7q1w3' })).toEqual([
      expect.stringMatching(/^DUBAN_AUTH_SECRET must be at least 32 bytes/),
    ]);
  });

  it('accepts a placeholder secret in a development or test run', () => {
    expect(load({ NODE_ENV: 'test', DUBAN_AUTH_SECRET: 'change-me' }).production).toBe(false);
    expect(load({ NODE_ENV: 'development' }).production).toBe(false);
  });

  it.each([undefined, '', 'staging', 'prod'])('is what NODE_ENV=%p means', (nodeEnv) => {
    expect(problems({ ...PRODUCTION, NODE_ENV: nodeEnv, DUBAN_AUTH_SECRET: 'secret' })).toEqual(
      expect.arrayContaining(['DUBAN_AUTH_SECRET is a known placeholder']),
    );
  });

  it('serves no docs and no metrics unless told, and metrics by token when one is set', () => {
    expect(load(PRODUCTION)).toMatchObject({ docs: false, metrics: { mode: 'off' } });
    expect(load({ ...PRODUCTION, DUBAN_METRICS_TOKEN: SCRAPE }).metrics).toEqual({
      mode: 'token',
      token: SCRAPE,
    });
    expect(load({ ...PRODUCTION, DUBAN_DOCS: 'on', DUBAN_METRICS: 'on' })).toMatchObject({
      docs: true,
      metrics: { mode: 'on' },
    });
  });

  it('needs a long scrape token when metrics are by token', () => {
    expect(problems({ ...PRODUCTION, DUBAN_METRICS: 'token' })).toEqual([
      'DUBAN_METRICS_TOKEN is required when DUBAN_METRICS=token',
    ]);
    expect(problems({ ...PRODUCTION, DUBAN_METRICS_TOKEN: 'short' })).toEqual([
      'DUBAN_METRICS_TOKEN must be at least 32 characters',
    ]);
  });
});
