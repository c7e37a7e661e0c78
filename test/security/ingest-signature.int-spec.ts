import { randomUUID } from 'node:crypto';
import { Message, Producer } from 'kafkajs';
import {
  DubanEvent,
  INGEST_REJECTED,
  IngestRejectedData,
  ProjectEventTypes,
  Topics,
  createEvent,
  dlqTopic,
} from '@duban/contracts';
import { attestRedrive, authSecretFrom, ingestSecretFrom, signToken } from '@duban/auth';
import { createIdempotentProducer } from '@duban/messaging';
import {
  ReadMessage,
  TestServiceApp,
  TopicReader,
  api,
  eventually,
  signedIngestMessage,
  startServiceApp,
} from '@duban/testing';
import { projectsSchema } from '../../apps/projects/src/schema';

const REGION = '511112';
const WINDOW_SECONDS = 60;
const agri = signToken(
  { subject: 'agri-system', role: 'department', unit: 'AGRI', region: REGION },
  authSecretFrom(),
);

let svc: TestServiceApp;
let producer: Producer;
let domain: TopicReader;
let dlq: TopicReader;
const http = () => api(() => svc.app.getHttpServer(), agri);

async function createProject(): Promise<string> {
  const res = await http()
    .post('/api/v1/projects', {
      code: `SIG-${randomUUID().slice(0, 8)}`,
      name: '签名测试项目',
      category: 'agriculture',
      level: 'county',
      leadUnit: 'AGRI',
      responsibleLeader: '王副县长',
      township: '青富镇',
      regionCode: REGION,
      totalPlannedInvestmentWan: '100.00',
      annualPlannedInvestmentWan: '50.00',
      plannedStartDate: '2026-01-01',
      plannedEndDate: '2027-12-31',
    })
    .expect(201);
  return res.body.id;
}

/** AGRI asks to move its project to pre-work, dated `time`. */
const statusChange = (projectId: string, time = new Date()): DubanEvent =>
  createEvent({
    type: ProjectEventTypes.ingestStatusChangeRequested,
    service: 'agri-system',
    subject: projectId,
    region: REGION,
    data: { projectId, status: 'pre-work' },
    time,
  });

const send = (message: Message) =>
  producer.send({ topic: svc.topics.name(Topics.projectsIngest), messages: [message] });

const rejections = () =>
  domain.messages
    .map((m) => m.json<DubanEvent<IngestRejectedData>>())
    .filter((e) => e.type === INGEST_REJECTED)
    .map((e) => e.data);

async function rejection(eventId: string): Promise<IngestRejectedData> {
  await eventually(() => rejections().some((r) => r.rejectedEventId === eventId));
  return rejections().find((r) => r.rejectedEventId === eventId)!;
}

async function deadLetterOf(projectId: string) {
  const find = (ls: ReadMessage[]) => ls.find((l) => l.key === projectId);
  return find(await dlq.waitFor((ls) => find(ls) !== undefined))!;
}

const statusOf = async (projectId: string) =>
  (await http().get(`/api/v1/projects/${projectId}`).expect(200)).body.status;

beforeAll(async () => {
  // A short window, so a message signed two minutes ago is stale without waiting for it.
  process.env.DUBAN_INGEST_REPLAY_WINDOW_SECONDS = String(WINDOW_SECONDS);
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
  ]).start();
});

afterAll(async () => {
  delete process.env.DUBAN_INGEST_REPLAY_WINDOW_SECONDS;
  await domain?.stop();
  await dlq?.stop();
  await producer?.disconnect();
  await svc?.close();
});

describe('signed department ingest', () => {
  it('applies a message signed with the unit’s ingest key', async () => {
    const projectId = await createProject();
    await send(signedIngestMessage(statusChange(projectId), { unit: 'AGRI', region: REGION }));
    await eventually(async () => (await statusOf(projectId)) === 'pre-work');
  });

  it('dead-letters as unauthorized, and announces, a message whose data changed after signing; the signature headers survive into the dead letter', async () => {
    const projectId = await createProject();
    const event = statusChange(projectId);
    const signed = signedIngestMessage(event, { unit: 'AGRI', region: REGION });
    const altered = JSON.stringify({ ...event, data: { projectId, status: 'suspended' } });
    await send({ ...signed, value: altered });

    expect(await rejection(event.id)).toMatchObject({
      reason: 'unauthorized',
      message: 'signature does not match the message for key 511112:AGRI:1',
    });
    const letter = await deadLetterOf(projectId);
    expect(letter.headers).toMatchObject({
      'x-duban-error-reason': 'unauthorized',
      'duban-key-id': '511112:AGRI:1',
      'duban-signature': signed.headers!['duban-signature'],
    });
    expect(await statusOf(projectId)).toBe('reserve');
  });

  it('refuses as unauthorized a replay: signed bytes appended later than the window, even with a producer timestamp forged to match; applies it once an operator redrives it', async () => {
    const projectId = await createProject();
    const signedAt = new Date(Date.now() - 2 * WINDOW_SECONDS * 1000);
    const event = statusChange(projectId, signedAt);
    // The broker stamps ingest records with its own append time, whatever the producer claims.
    await send({
      ...signedIngestMessage(event, { unit: 'AGRI', region: REGION }),
      timestamp: String(signedAt.getTime()),
    });

    const refused = await rejection(event.id);
    expect(refused.reason).toBe('unauthorized');
    expect(refused.message).toMatch(
      new RegExp(
        `^replayed or stale: appended 1[12]\\d s after its signed time .* \\(window ±${WINDOW_SECONDS} s\\)$`,
      ),
    );
    expect(await statusOf(projectId)).toBe('reserve');

    // An operator's redrive, attested with the server's secret, starts a fresh window.
    const letter = await deadLetterOf(projectId);
    const original = Object.entries(letter.headers).filter(([n]) => !n.startsWith('x-duban-'));
    await send({
      key: letter.key,
      value: letter.value,
      headers: {
        ...Object.fromEntries(original),
        ...attestRedrive(letter.headers, new Date(), ingestSecretFrom()),
      },
    });
    await eventually(async () => (await statusOf(projectId)) === 'pre-work');
  });

  it('refuses an unsigned message that carries only an old-style bearer token', async () => {
    const projectId = await createProject();
    const event = statusChange(projectId);
    const { key, value } = signedIngestMessage(event, { unit: 'AGRI', region: REGION });
    await send({ key, value, headers: { authorization: `Bearer ${agri}` } });

    expect(await rejection(event.id)).toMatchObject({
      reason: 'unauthorized',
      message: 'unsigned message: headers duban-key-id and duban-signature are required',
    });
    expect(await statusOf(projectId)).toBe('reserve');
  });
});
