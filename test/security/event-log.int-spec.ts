import { randomUUID } from 'node:crypto';
import { Message, Producer } from 'kafkajs';
import {
  DubanEvent,
  INGEST_REJECTED,
  IngestRejectedData,
  ParkData,
  ParkEventTypes,
  ProjectEventTypes,
  Topics,
  createEvent,
  dlqTopic,
} from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { createIdempotentProducer } from '@duban/messaging';
import {
  TestServiceApp,
  TopicReader,
  api,
  eventually,
  signedIngestMessage,
  startServiceApp,
} from '@duban/testing';
import { projectsSchema } from '../../apps/projects/src/schema';
import { REGION, projectBody } from '../../apps/projects/src/testing/http';

/**
 * The event log as an outsider would try it against the projects service: what a consumer
 * must refuse before it reaches a handler, and that it keeps consuming after each refusal.
 */
const agri = signToken(
  { subject: 'agri-system', role: 'department', unit: 'AGRI', region: REGION },
  authSecretFrom(),
);

let svc: TestServiceApp;
let producer: Producer;
let domain: TopicReader;
let dlq: TopicReader;
const http = () => api(() => svc.app.getHttpServer(), agri);

const send = (topic: string, message: Message) =>
  producer.send({ topic: svc.topics.name(topic), messages: [message] });

const park = (time?: Date): DubanEvent<ParkData> =>
  createEvent({
    type: ParkEventTypes.registered,
    service: 'parks',
    subject: randomUUID(),
    region: REGION,
    data: { parkId: randomUUID(), name: '伪造园区', regionCode: REGION, managingUnit: 'AGRI' },
    time,
  }) as DubanEvent<ParkData>;

const known = async (parkId: string): Promise<number> =>
  (
    await svc.db.dataSource.query('SELECT count(*)::int AS n FROM known_parks WHERE park_id = $1', [
      parkId,
    ])
  )[0].n;

const letters = (topic: string, key: string) =>
  dlq.messages.filter((l) => l.topic === svc.topics.name(dlqTopic(topic)) && l.key === key);

async function createProject(): Promise<string> {
  return (await http().post('/api/v1/projects', projectBody()).expect(201)).body.id;
}

/**
 * A genuine, signed department update sent after a refusal, on the same partition (0, where
 * every poison below goes): proof that the consumer goes on past it.
 */
async function genuineUpdateIsApplied(): Promise<void> {
  const projectId = await createProject();
  const event = createEvent({
    type: ProjectEventTypes.ingestStatusChangeRequested,
    service: 'agri-system',
    subject: projectId,
    region: REGION,
    data: { projectId, status: 'pre-work' },
  });
  await send(Topics.projectsIngest, {
    ...signedIngestMessage(event, { unit: 'AGRI', region: REGION }),
    partition: 0,
  });
  await eventually(
    async () =>
      (await http().get(`/api/v1/projects/${projectId}`).expect(200)).body.status === 'pre-work',
  );
}

beforeAll(async () => {
  svc = await startServiceApp(
    'projects',
    projectsSchema,
    async () => (await import('../../apps/projects/src/app.module')).AppModule,
  );
  producer = createIdempotentProducer(svc.topics.kafka);
  await producer.connect();
  domain = await new TopicReader(svc.topics.kafka, [svc.topics.name(Topics.projects)]).start();
  dlq = await new TopicReader(svc.topics.kafka, [
    svc.topics.name(dlqTopic(Topics.projectsIngest)),
    svc.topics.name(dlqTopic(Topics.parks)),
  ]).start();
});

afterAll(async () => {
  await domain?.stop();
  await dlq?.stop();
  await producer?.disconnect();
  await svc?.close();
});

describe('the event log refuses what it must not trust', () => {
  it('dead-letters a record with an empty id once, announces it, and goes on', async () => {
    await send(Topics.projectsIngest, { key: 'empty-id', value: '{"id":""}', partition: 0 });
    await genuineUpdateIsApplied();
    await dlq.waitFor(() => letters(Topics.projectsIngest, 'empty-id').length > 0);
    expect(letters(Topics.projectsIngest, 'empty-id')).toHaveLength(1);
    const malformed = () =>
      domain.messages
        .map((m) => m.json<DubanEvent<IngestRejectedData>>())
        .filter((e) => e.type === INGEST_REJECTED && e.data.reason === 'malformed');
    // The announcement travels outbox → relay → topic: wait for it before counting.
    await domain.waitFor(() => malformed().length > 0);
    const announced = malformed();
    expect(announced).toHaveLength(1);
    expect(announced[0].data.rejectedEventId).toBeNull();
  });

  it('never lets a park directory event forged onto the ingest topic reach the directory', async () => {
    const forged = park();
    await send(Topics.projectsIngest, {
      key: forged.partitionkey,
      value: JSON.stringify(forged),
      partition: 0,
    });
    await genuineUpdateIsApplied();
    const [letter] = await dlq.waitFor(
      () => letters(Topics.projectsIngest, forged.partitionkey).length > 0,
    );
    expect(letter).toBeDefined();
    expect(letters(Topics.projectsIngest, forged.partitionkey)[0].headers).toMatchObject({
      'x-duban-error-reason': 'wrong-topic',
    });
    expect(await known(forged.data.parkId)).toBe(0);
  });

  it('refuses a park event dated in 2099 on the park topic, and still takes the genuine one', async () => {
    const forged = park(new Date('2099-01-01T00:00:00Z'));
    await send(Topics.parks, { key: forged.partitionkey, value: JSON.stringify(forged) });
    const genuine = { ...park(), subject: forged.subject, partitionkey: forged.partitionkey };
    genuine.data = { ...forged.data, name: '真实园区' };
    await send(Topics.parks, { key: genuine.partitionkey, value: JSON.stringify(genuine) });
    await eventually(async () => (await known(forged.data.parkId)) === 1);
    const [row] = await svc.db.dataSource.query('SELECT name FROM known_parks WHERE park_id = $1', [
      forged.data.parkId,
    ]);
    expect(row.name).toBe('真实园区');
    await dlq.waitFor(() => letters(Topics.parks, forged.partitionkey).length > 0);
    expect(letters(Topics.parks, forged.partitionkey)[0].headers).toMatchObject({
      'x-duban-error-reason': 'time-in-future',
    });
  });

  it('keeps no credential in a dead letter', async () => {
    await send(Topics.projectsIngest, {
      key: 'with-token',
      value: 'not json',
      headers: { authorization: `Bearer ${agri}` },
    });
    await dlq.waitFor(() => letters(Topics.projectsIngest, 'with-token').length > 0);
    const [letter] = letters(Topics.projectsIngest, 'with-token');
    expect(Object.keys(letter.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    expect(JSON.stringify(letter)).not.toContain(agri);
  });
});
