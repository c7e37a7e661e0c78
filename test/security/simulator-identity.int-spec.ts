import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Producer } from 'kafkajs';
import { IngestKeyId, deriveIngestKey, ingestTrustFrom, verifyIngestMessage } from '@duban/auth';
import { ProjectEventTypes, Topics } from '@duban/contracts';
import {
  Credentials,
  DEMO_INTEGRATOR,
  KafkaConfig,
  LOCAL_ADMIN_USERNAME,
  SIMULATOR_DEPARTMENT,
  createIdempotentProducer,
  createKafka,
  createPrincipal,
  deletePrincipal,
} from '@duban/messaging';
import { TestTopics, TopicReader, createTestTopics } from '@duban/testing';
import { Sender, Tokens } from '../../deploy/local/simulator/client';
import {
  IngestKeys,
  SimulatorIdentityError,
  simulatorKafka,
} from '../../deploy/local/simulator/kafka-io';

/**
 * `npm run simulate` plays department systems as one would be: a department principal that may
 * write the ingest topics only, an integrator to read refusals, and each unit's own ingest key.
 */

/** A run dir as `npm run topics` leaves it: the admin's password and the local principals. */
function runDir(principals: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'duban-sim-'));
  mkdirSync(join(dir, 'kafka'));
  writeFileSync(join(dir, 'kafka', 'admin.password'), 'the-super-users-password\n');
  writeFileSync(join(dir, 'kafka', 'principals.json'), JSON.stringify(principals));
  return dir;
}

describe('the simulator’s Kafka identity on the local stack', () => {
  it('produces as the local department principal and listens as the demo integrator', async () => {
    const dir = runDir({ [SIMULATOR_DEPARTMENT]: 'dept-pw', [DEMO_INTEGRATOR]: 'int-pw' });
    const identity = await simulatorKafka({ NODE_ENV: 'development', DUBAN_RUN_DIR: dir });
    expect(identity.producer.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'department.simulator',
      password: 'dept-pw',
    });
    expect(identity.listener?.config.sasl?.username).toBe('integrator.demo');
    expect(identity.listener?.groupId).toMatch(/^integrator\.demo\.simulator-/);
  });

  it('refuses to start without a department principal rather than log in as the super user', async () => {
    const dir = runDir({ 'duban-projects': 'service-pw' });
    const starting = simulatorKafka({ NODE_ENV: 'development', DUBAN_RUN_DIR: dir });
    await expect(starting).rejects.toThrow(SimulatorIdentityError);
    await expect(starting).rejects.toThrow(/npm run topics.*DUBAN_SIM_KAFKA_USERNAME/);
    expect(LOCAL_ADMIN_USERNAME).toBe('admin');
  });

  it('goes on without refusal reports when there is no integrator to read them as', async () => {
    const dir = runDir({ [SIMULATOR_DEPARTMENT]: 'dept-pw' });
    const identity = await simulatorKafka({ NODE_ENV: 'development', DUBAN_RUN_DIR: dir });
    expect(identity.listener).toBeNull();
  });
});

describe('the simulator on the broker, as a department system', () => {
  let topics: TestTopics;
  let admin: KafkaConfig;
  let department: Credentials;
  let integrator: Credentials;
  let producer: Producer | null = null;
  let reader: TopicReader | null = null;
  const run = randomBytes(4).toString('hex');

  beforeAll(async () => {
    topics = await createTestTopics('sim-identity', 1);
    admin = topics.config;
    const prefix = admin.topicPrefix;
    [department, integrator] = await Promise.all([
      createPrincipal(admin, { role: 'department', name: `sim-${run}`, topicPrefix: prefix }),
      createPrincipal(admin, { role: 'integrator', name: `sim-${run}`, topicPrefix: prefix }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await reader?.stop();
    await Promise.all(
      [department, integrator].filter(Boolean).map((c) => deletePrincipal(admin, c.username)),
    );
    await topics?.drop();
  }, 120_000);

  it('sends an ingest message signed with the unit’s own key, and it verifies', async () => {
    const identity = await simulatorKafka({
      NODE_ENV: 'test',
      DUBAN_RUN_DIR: mkdtempSync(join(tmpdir(), 'duban-sim-')),
      DUBAN_KAFKA_BROKERS: admin.brokers.join(','),
      DUBAN_TOPIC_PREFIX: admin.topicPrefix,
      DUBAN_SIM_KAFKA_USERNAME: department.username,
      DUBAN_SIM_KAFKA_PASSWORD: department.password,
    });
    expect(identity.producer.sasl?.username).toBe(department.username);

    const issued: string[] = [];
    const secret = 'the-operators-ingest-secret';
    const keys = new IngestKeys((keyId: IngestKeyId) => {
      issued.push(`${keyId.region}:${keyId.unit}`);
      return deriveIngestKey(secret, keyId);
    });
    const sender = new Sender(new Tokens(), keys);
    sender.topicPrefix = identity.producer.topicPrefix;
    producer = createIdempotentProducer(createKafka(identity.producer));
    await producer.connect();
    sender.producer = producer;
    reader = await new TopicReader(topics.kafka, [topics.name(Topics.projectsIngest)]).start();

    const as = { unit: 'AGRI', region: '511112' };
    for (const what of ['first', 'second']) {
      const milestoneId = randomUUID();
      await sender.kafka(as, {
        topic: Topics.projectsIngest,
        type: ProjectEventTypes.ingestForecastReported,
        subject: milestoneId,
        key: milestoneId,
        data: { projectId: randomUUID(), milestoneId, forecastDate: '2027-03-31' },
        what,
      });
    }
    const read = await reader.waitFor((m) => m.length === 2);
    // The key was asked for once for the unit, as a department system is given it once.
    expect(issued).toEqual(['511112:AGRI']);
    const trust = ingestTrustFrom({ NODE_ENV: 'test', DUBAN_INGEST_SECRET: secret });
    for (const m of read) {
      const principal = verifyIngestMessage(
        { value: Buffer.from(m.value ?? ''), headers: m.headers, appendedAt: new Date() },
        trust,
      );
      expect(principal).toMatchObject({ role: 'department', unit: 'AGRI', region: '511112' });
    }
  });

  it('reads refusal announcements as the integrator, in a group of its own prefix', async () => {
    const identity = await simulatorKafka({
      NODE_ENV: 'test',
      DUBAN_RUN_DIR: mkdtempSync(join(tmpdir(), 'duban-sim-')),
      DUBAN_KAFKA_BROKERS: admin.brokers.join(','),
      DUBAN_TOPIC_PREFIX: admin.topicPrefix,
      DUBAN_SIM_KAFKA_USERNAME: department.username,
      DUBAN_SIM_KAFKA_PASSWORD: department.password,
      DUBAN_SIM_LISTEN_USERNAME: integrator.username,
      DUBAN_SIM_LISTEN_PASSWORD: integrator.password,
    });
    const listener = identity.listener!;
    expect(listener.config.sasl?.username).toBe(integrator.username);
    const announcements = createIdempotentProducer(topics.kafka);
    await announcements.connect();
    await announcements.send({
      topic: topics.name(Topics.projects),
      messages: [{ key: run, value: JSON.stringify({ run }) }],
    });
    await announcements.disconnect();
    const consumer = createKafka(listener.config).consumer({ groupId: listener.groupId });
    const seen = new Promise<string>((resolve) => {
      void consumer
        .connect()
        .then(() =>
          consumer.subscribe({ topics: [topics.name(Topics.projects)], fromBeginning: true }),
        )
        .then(() =>
          consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }),
        );
    });
    try {
      expect(JSON.parse(await seen)).toEqual({ run });
    } finally {
      await consumer.disconnect();
    }
  });
});
