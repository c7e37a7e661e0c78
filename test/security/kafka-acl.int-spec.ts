import { randomBytes } from 'node:crypto';
import {
  AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  ResourcePatternTypes,
} from 'kafkajs';
import { Topics } from '@duban/contracts';
import {
  Credentials,
  KafkaConfig,
  createIdempotentProducer,
  createKafka,
  createPrincipal,
  createPrincipalWithAcls,
  deletePrincipal,
  serviceAcls,
  withAdmin,
} from '@duban/messaging';
import { TestTopics, createTestTopics, eventually } from '@duban/testing';

// Principals and ACLs name this file's prefixed topics, built by the same functions that
// provision the real names: the test touches nothing another test or service uses.
let topics: TestTopics;
let admin: KafkaConfig;
let department: Credentials;
let integrator: Credentials;
let projects: Credentials;
const run = randomBytes(4).toString('hex');

beforeAll(async () => {
  topics = await createTestTopics('kafka-acl', 1);
  admin = topics.config;
  const prefix = admin.topicPrefix;
  [department, integrator, projects] = await Promise.all([
    createPrincipal(admin, { role: 'department', name: `acl-${run}`, topicPrefix: prefix }),
    createPrincipal(admin, { role: 'integrator', name: `acl-${run}`, topicPrefix: prefix }),
    createPrincipalWithAcls(
      admin,
      `acl-projects-${run}`,
      serviceAcls('projects', prefix, `acl-projects-${run}`),
    ),
  ]);
}, 120_000);

afterAll(async () => {
  const created = [department, integrator, projects].filter(Boolean);
  await Promise.all(created.map((c) => deletePrincipal(admin, c.username)));
  await topics?.drop();
}, 120_000);

const as = (credentials: Credentials | null): Kafka =>
  createKafka({
    ...admin,
    clientId: `acl-test-${run}`,
    sasl: credentials ? { mechanism: 'scram-sha-512', ...credentials } : undefined,
  });

/**
 * kafkajs reports a FindCoordinator answered GROUP_AUTHORIZATION_FAILED as a coordinator it
 * could not find; each such test has a twin where an allowed group gets through.
 */
const GROUP_REFUSED = 'KafkaJSGroupCoordinatorNotFound';

const groupReadFor = (username: string, group: string): AclEntry => ({
  resourceType: AclResourceTypes.GROUP,
  resourceName: group,
  resourcePatternType: ResourcePatternTypes.LITERAL,
  principal: `User:${username}`,
  host: '*',
  operation: AclOperationTypes.READ,
  permissionType: AclPermissionTypes.ALLOW,
});

/** The broker's error code, wherever kafkajs wrapped it (retries, batches). */
function brokerError(err: unknown): string {
  const e = err as { type?: string; cause?: unknown; originalError?: unknown; name?: string };
  if (e.type) return e.type;
  const inner = e.cause ?? e.originalError;
  return inner ? brokerError(inner) : (e.name ?? String(err));
}

async function outcome(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'allowed';
  } catch (err) {
    return brokerError(err);
  }
}

async function produce(kafka: Kafka, topic: string): Promise<string> {
  const producer = createIdempotentProducer(kafka);
  try {
    return await outcome(async () => {
      await producer.connect();
      await producer.send({
        topic: topics.name(topic),
        messages: [{ key: run, value: run }],
        acks: -1,
      });
    });
  } finally {
    await producer.disconnect();
  }
}

/** 'allowed' once a record arrives, else the error that stopped the consumer. */
async function consumeOne(kafka: Kafka, topic: string, groupId: string): Promise<string> {
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
    retry: { retries: 0 },
  });
  try {
    return await outcome(
      () =>
        new Promise<void>((resolve, reject) => {
          consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
          consumer
            .connect()
            .then(() => consumer.subscribe({ topic: topics.name(topic), fromBeginning: true }))
            .then(() => consumer.run({ eachMessage: async () => resolve() }))
            .catch(reject);
        }),
    );
  } finally {
    await consumer.disconnect();
  }
}

async function connectAdmin(kafka: Kafka): Promise<string> {
  const client = kafka.admin({ retry: { retries: 0 } });
  try {
    return await outcome(async () => {
      await client.connect();
      await client.listTopics();
    });
  } finally {
    await client.disconnect();
  }
}

describe('Kafka authentication', () => {
  it('refuses a client without credentials', async () => {
    // The broker drops a connection that skips the SASL handshake.
    expect(await connectAdmin(as(null))).toBe('KafkaJSConnectionClosedError');
  });

  it('refuses a wrong password', async () => {
    const wrong = { username: department.username, password: 'not-the-password' };
    expect(await connectAdmin(as(wrong))).toBe('KafkaJSSASLAuthenticationError');
  });
});

describe('a department principal', () => {
  it('produces to an ingest topic', async () => {
    expect(await produce(as(department), Topics.projectsIngest)).toBe('allowed');
  });

  it('cannot produce to a domain topic', async () => {
    expect(await produce(as(department), Topics.projects)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('cannot consume: no consumer group is its own', async () => {
    const group = `${admin.topicPrefix}${department.username}.g`;
    expect(await consumeOne(as(department), Topics.projectsIngest, group)).toBe(GROUP_REFUSED);
  });

  it('cannot read a topic even in a group it were given, its own ingest topic included', async () => {
    const group = `${admin.topicPrefix}${department.username}.given`;
    await withAdmin(admin, (a) =>
      a.createAcls({ acl: [{ ...groupReadFor(department.username, group) }] }),
    );
    for (const topic of [Topics.projectsIngest, Topics.alerts]) {
      expect(await consumeOne(as(department), topic, group)).toBe('TOPIC_AUTHORIZATION_FAILED');
    }
  });
});

describe('an integrator principal', () => {
  beforeAll(async () => {
    expect(await produce(createKafka(admin), Topics.alerts)).toBe('allowed');
  });

  it('consumes a public topic in a group under its prefix', async () => {
    const group = `${admin.topicPrefix}${integrator.username}.dashboard`;
    expect(await consumeOne(as(integrator), Topics.alerts, group)).toBe('allowed');
  });

  it('cannot use a group outside its prefix', async () => {
    const group = `${admin.topicPrefix}city-platform`;
    expect(await consumeOne(as(integrator), Topics.alerts, group)).toBe(GROUP_REFUSED);
  });

  it('cannot read an ingest topic', async () => {
    const group = `${admin.topicPrefix}${integrator.username}.ingest`;
    expect(await consumeOne(as(integrator), Topics.projectsIngest, group)).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  it('cannot produce anywhere', async () => {
    for (const topic of [Topics.alerts, Topics.projectsIngest]) {
      expect(await produce(as(integrator), topic)).toMatch(/AUTHORIZATION_FAILED/);
    }
  });
});

describe('a deleted principal', () => {
  it('can no longer log in', async () => {
    const gone = await createPrincipal(admin, { role: 'integrator', name: `acl-gone-${run}` });
    expect(await connectAdmin(as(gone))).toBe('allowed');
    await deletePrincipal(admin, gone.username);
    // The broker applies the removal from the metadata log: wait for it, as a client would see it.
    await eventually(
      async () => (await connectAdmin(as(gone))) === 'KafkaJSSASLAuthenticationError',
      10_000,
      'the deleted principal refused',
    );
  }, 60_000);
});

describe('a service principal', () => {
  it('writes its own topic but not another service’s', async () => {
    expect(await produce(as(projects), Topics.projects)).toBe('allowed');
    expect(await produce(as(projects), Topics.parks)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });
});
