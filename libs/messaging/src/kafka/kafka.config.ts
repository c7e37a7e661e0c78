import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kafka, KafkaConfig as KafkaJsConfig, logLevel, Partitioners, Producer } from 'kafkajs';
import { isLocalRun } from '@duban/contracts';

/** The one mechanism the brokers take: SCRAM keeps passwords off the wire and out of the broker. */
export interface KafkaSasl {
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
}

/** kafkajs stays behind this folder (it is frozen at 2.2.4): swap the client here, nowhere else. */
export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name; tests use it to get topics of their own. */
  topicPrefix: string;
  /** Absent only when no credentials are configured and no local broker wrote any. */
  sasl?: KafkaSasl;
  /** TLS to the brokers; `caFile` when their certificates are not signed by a public CA. */
  ssl?: { caFile?: string };
}

export const LOCAL_ADMIN_USERNAME = 'admin';

/**
 * Credentials come from DUBAN_KAFKA_USERNAME / DUBAN_KAFKA_PASSWORD, TLS from DUBAN_KAFKA_SSL
 * (`true`; DUBAN_KAFKA_SSL_CA names a PEM file of CAs to trust). Without credentials, a local
 * run (NODE_ENV=development or test, the same rule as the services': isLocalRun) uses the local
 * broker's super user, and only where deploy/local/kafka.sh wrote its password, never in an
 * image; an unset NODE_ENV is production and must bring credentials.
 */
export function kafkaConfigFor(
  clientId: string,
  env: NodeJS.ProcessEnv = process.env,
): KafkaConfig {
  const sasl = saslFrom(env);
  const ssl = sslFrom(env);
  return {
    brokers: (env.DUBAN_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
    clientId,
    topicPrefix: env.DUBAN_TOPIC_PREFIX ?? '',
    ...(sasl ? { sasl } : {}),
    ...(ssl ? { ssl } : {}),
  };
}

function saslFrom(env: NodeJS.ProcessEnv): KafkaSasl | undefined {
  const username = env.DUBAN_KAFKA_USERNAME;
  const password = env.DUBAN_KAFKA_PASSWORD;
  if (username && password) return { mechanism: 'scram-sha-512', username, password };
  if (username || password) {
    throw new Error('DUBAN_KAFKA_USERNAME and DUBAN_KAFKA_PASSWORD must be set together');
  }
  if (!isLocalRun(env)) {
    const mode = env.NODE_ENV ? `NODE_ENV=${env.NODE_ENV}` : 'an unset NODE_ENV (production)';
    throw new Error(
      `${mode} needs DUBAN_KAFKA_USERNAME and DUBAN_KAFKA_PASSWORD ` +
        "(NODE_ENV=development uses the local broker's admin)",
    );
  }
  return localAdmin(env);
}

function localAdmin(env: NodeJS.ProcessEnv): KafkaSasl | undefined {
  const file = localAdminPasswordFile(env);
  if (!existsSync(file)) return undefined;
  const password = readFileSync(file, 'utf8').trim();
  return { mechanism: 'scram-sha-512', username: LOCAL_ADMIN_USERNAME, password };
}

/**
 * DUBAN_KAFKA_SSL=true: SASL_SSL to the brokers, trusting the system's CAs, or only those in
 * the PEM file DUBAN_KAFKA_SSL_CA (a private CA, e.g. kafka.sh's DUBAN_KAFKA_TLS=1). A CA file
 * that is missing or not PEM stops the start here, rather than fail every connection later.
 */
function sslFrom(env: NodeJS.ProcessEnv): KafkaConfig['ssl'] {
  const flag = env.DUBAN_KAFKA_SSL || 'false';
  if (flag !== 'true' && flag !== 'false') {
    throw new Error(`DUBAN_KAFKA_SSL must be true or false, not "${flag}"`);
  }
  const caFile = env.DUBAN_KAFKA_SSL_CA || undefined;
  if (flag === 'false') {
    if (caFile) throw new Error('DUBAN_KAFKA_SSL_CA is set but DUBAN_KAFKA_SSL is not true');
    return undefined;
  }
  if (caFile === undefined) return {};
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (err) {
    throw new Error(`DUBAN_KAFKA_SSL_CA cannot be read: ${(err as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`DUBAN_KAFKA_SSL_CA must be a PEM file of CA certificates: ${caFile}`);
  }
  return { caFile };
}

/** deploy/local/kafka.sh's run directory for the broker (DUBAN_RUN_DIR moves it, as for the script). */
export function localKafkaRunDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.DUBAN_RUN_DIR
    ? resolve(env.DUBAN_RUN_DIR)
    : join(__dirname, '..', '..', '..', '..', 'deploy', 'local', '.run');
  return join(root, 'kafka');
}

export const localAdminPasswordFile = (env: NodeJS.ProcessEnv = process.env): string =>
  join(localKafkaRunDir(env), 'admin.password');

export function createKafka(config: KafkaConfig): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ...security(config),
    // kafkajs logs every retried connection attempt as an ERROR; NOTHING silences it in tests.
    logLevel:
      logLevel[
        (process.env.DUBAN_KAFKA_LOG_LEVEL ?? 'ERROR').toUpperCase() as keyof typeof logLevel
      ] ?? logLevel.ERROR,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 200, retries: 5 },
  });
}

function security(config: KafkaConfig): Pick<KafkaJsConfig, 'sasl' | 'ssl'> {
  const ssl = config.ssl && {
    ssl: config.ssl.caFile ? { ca: [readFileSync(config.ssl.caFile, 'utf8')] } : true,
  };
  return { ...(config.sasl ? { sasl: { ...config.sasl } } : {}), ...ssl };
}

/** Idempotent, acks=all, Java-compatible partitioner so any client keys to the same partition. */
export function createIdempotentProducer(kafka: Kafka, transactionalId?: string): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    transactionalId,
    createPartitioner: Partitioners.DefaultPartitioner,
    // Back-to-back transactions often meet CONCURRENT_TRANSACTIONS while the broker finishes
    // the last commit; the client-wide 200 ms first retry put that on the latency tail.
    ...(transactionalId ? { retry: { initialRetryTime: 10, maxRetryTime: 2000, retries: 8 } } : {}),
  });
}
