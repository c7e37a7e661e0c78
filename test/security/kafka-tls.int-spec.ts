import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka } from 'kafkajs';
import { Topics } from '@duban/contracts';
import {
  Credentials,
  KafkaConfig,
  createIdempotentProducer,
  createKafka,
  createPrincipalWithAcls,
  kafkaConfigFor,
  serviceAcls,
  withAdmin,
} from '@duban/messaging';

/**
 * SCRAM over TLS, end to end: deploy/local/kafka.sh with DUBAN_KAFKA_TLS=1 on a broker of this
 * file's own (ports 19292/19293, SASL_SSL on 19294, its own run dir, CA and admin password),
 * never the shared one on 9092. A service principal produces and consumes over SASL_SSL with
 * the client configuration the services use (DUBAN_KAFKA_SSL, DUBAN_KAFKA_SSL_CA); a client
 * that does not trust the run dir's CA is refused.
 */
jest.setTimeout(180_000);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const runDir = mkdtempSync(join(tmpdir(), 'duban-tls-broker-'));
const PLAIN = '127.0.0.1:19292';
const TLS = '127.0.0.1:19294';
/** Every java command line kafka.sh runs, recorded by a wrapper before it execs java. */
const ARGV_LOG = join(runDir, 'java-argv.log');
const JAVA_WRAPPER = join(runDir, 'java');
writeFileSync(
  JAVA_WRAPPER,
  `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >>'${ARGV_LOG}'\nexec ${process.env.JAVA ?? 'java'} "$@"\n`,
);
chmodSync(JAVA_WRAPPER, 0o755);
const BROKER_ENV = {
  JAVA: JAVA_WRAPPER,
  KAFKA_PORT: '19292',
  KAFKA_CONTROLLER_PORT: '19293',
  KAFKA_TLS_PORT: '19294',
  DUBAN_KAFKA_TLS: '1',
  DUBAN_RUN_DIR: runDir,
};
const CA_FILE = join(runDir, 'kafka', 'tls', 'ca.pem');

const kafkaSh = (command: 'start' | 'stop') =>
  run('bash', [join(ROOT, 'deploy/local/kafka.sh'), command], {
    cwd: ROOT,
    env: { ...process.env, ...BROKER_ENV },
    timeout: 150_000,
  });

/** What a production service reads: its credentials, SASL_SSL, the CA it trusts. */
const overTls = (login: Credentials, ssl: Record<string, string>): KafkaConfig =>
  kafkaConfigFor(login.username, {
    NODE_ENV: 'production',
    DUBAN_KAFKA_BROKERS: TLS,
    DUBAN_KAFKA_USERNAME: login.username,
    DUBAN_KAFKA_PASSWORD: login.password,
    ...ssl,
  });

let admin: KafkaConfig;
let adminLogin: Credentials;
let projects: Credentials;
let startSeconds = 0;

beforeAll(async () => {
  const started = Date.now();
  await kafkaSh('start');
  startSeconds = (Date.now() - started) / 1000;
  // The local admin over the plaintext listener, as the provisioning tools connect.
  admin = kafkaConfigFor('tls-test-admin', {
    NODE_ENV: 'test',
    DUBAN_RUN_DIR: runDir,
    DUBAN_KAFKA_BROKERS: PLAIN,
  });
  adminLogin = { username: 'admin', password: admin.sasl!.password };
  await withAdmin(admin, (a) =>
    a.createTopics({
      waitForLeaders: true,
      topics: [Topics.projects, Topics.parks].map((topic) => ({ topic, numPartitions: 1 })),
    }),
  );
  projects = await createPrincipalWithAcls(admin, 'duban-projects', serviceAcls('projects'));
});

afterAll(async () => {
  await kafkaSh('stop').catch(() => undefined);
  rmSync(runDir, { recursive: true, force: true });
});

describe('Kafka over TLS (kafka.sh DUBAN_KAFKA_TLS=1)', () => {
  it('makes the CA and the broker’s PKCS12 keystore in the run dir, secrets mode 600', () => {
    expect(readFileSync(CA_FILE, 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
    const server = readFileSync(join(runDir, 'kafka', 'server.properties'), 'utf8');
    expect(server).toContain(`SASL_SSL://${TLS}`);
    expect(server).toContain('listener.name.sasl_ssl.ssl.keystore.type=PKCS12');
    const tls = join(runDir, 'kafka', 'tls');
    for (const secret of ['ca.key', 'broker.key', 'broker.p12', 'keystore.password']) {
      expect({ secret, mode: statSync(join(tls, secret)).mode & 0o777 }).toEqual({
        secret,
        mode: 0o600,
      });
    }
    process.stdout.write(`[kafka-tls] private broker with TLS started in ${startSeconds} s\n`);
  });

  it('never puts the admin or keystore password on a java command line (ps shows them)', () => {
    const argv = readFileSync(ARGV_LOG, 'utf8');
    expect(argv).toMatch(/-cp .* @\S+format\.args/);
    expect(argv).toContain('kafka.Kafka');
    expect(argv).not.toContain(adminLogin.password);
    expect(argv).not.toContain(
      readFileSync(join(runDir, 'kafka', 'tls', 'keystore.password'), 'utf8').trim(),
    );
  });

  it('lets a service principal produce and consume over SASL_SSL when it trusts the CA', async () => {
    const ssl = { DUBAN_KAFKA_SSL: 'true', DUBAN_KAFKA_SSL_CA: CA_FILE };
    const asProjects = createKafka(overTls(projects, ssl));
    const asAdmin = createKafka(overTls(adminLogin, ssl));

    // Its own topic, written over TLS as the projects service ...
    const producer = createIdempotentProducer(asProjects);
    await producer.connect();
    await producer.send({
      topic: Topics.projects,
      messages: [{ key: 'k', value: 'from-projects' }],
    });
    await producer.disconnect();

    // ... and a topic it consumes, read over TLS in its own group.
    const parks = createIdempotentProducer(asAdmin);
    await parks.connect();
    await parks.send({ topic: Topics.parks, messages: [{ key: 'k', value: 'from-parks' }] });
    await parks.disconnect();

    const consume = async (kafka: Kafka, groupId: string, topic: string) => {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 1000 });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      try {
        return await new Promise<string>((resolve) => {
          void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
        });
      } finally {
        await consumer.disconnect();
      }
    };
    expect(await consume(asProjects, 'duban-projects', Topics.parks)).toBe('from-parks');
    expect(await consume(asAdmin, 'tls-test-reader', Topics.projects)).toBe('from-projects');
  });

  it('refuses a client that does not trust the broker’s CA', async () => {
    const untrusting = createKafka(overTls(projects, { DUBAN_KAFKA_SSL: 'true' }));
    const client = untrusting.admin({ retry: { retries: 0 } });
    const connecting = client.connect();
    await expect(connecting).rejects.toThrow(/self[- ]signed certificate|unable to verify/i);
    await client.disconnect();
  });

  it('refuses the right credentials on the TLS port without TLS', async () => {
    const clear = createKafka({ ...overTls(projects, {}), ssl: undefined });
    const client = clear.admin({ retry: { retries: 0 } });
    await expect(client.connect()).rejects.toThrow();
    await client.disconnect();
  });
});
