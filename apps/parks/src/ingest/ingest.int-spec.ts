import { Producer } from 'kafkajs';
import {
  DubanEvent,
  INGEST_REJECTED,
  IngestRejectedData,
  MilestoneEventTypes,
  ParksEventTypes,
  Topics,
  createEvent,
  dlqTopic,
} from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { createIdempotentProducer } from '@duban/messaging';
import { DomainHarness, TopicReader, eventually, signedIngestMessage } from '@duban/testing';
import {
  REGION,
  api,
  chinaDay,
  chinaMonthFrom,
  enterpriseBody,
  parkBody,
  startParksApp,
  unique,
} from '../testing/http';

let h: DomainHarness;
let producer: Producer;
let dlq: TopicReader;
let parkId: string;

/** HTTP calls carry a token bound to the unit and region. */
const token = (unit: string) =>
  signToken(
    { subject: `${unit}-system`, role: 'department', unit, region: REGION },
    authSecretFrom(),
  );
const http = (unit = 'PARK-TEXTILE') => api(() => h.server(), token(unit));

/**
 * Publishes what a department system would: the event signed with its unit's ingest key
 * (`unit` null: unsigned). Foreign systems skip our publish-side checks, so `tamper` may break
 * the event after it is built.
 */
async function ingest(
  type: string,
  subject: string,
  data: unknown,
  unit: string | null = 'PARK-TEXTILE',
  tamper: (event: DubanEvent) => void = () => undefined,
): Promise<DubanEvent> {
  const event = createEvent({ type, service: 'park-system', subject, region: REGION, data });
  tamper(event);
  const message = signedIngestMessage(event, { unit: unit ?? 'PARK-TEXTILE', region: REGION });
  await producer.send({
    topic: h.service.topics.name(Topics.parksIngest),
    messages: [unit ? message : { ...message, headers: {} }],
  });
  return event;
}

const ofType = (type: string) =>
  h.reader.messages.map((m) => m.json<DubanEvent>()).filter((e) => e.type === type);

async function rejection(eventId: string): Promise<IngestRejectedData> {
  const find = () =>
    ofType(INGEST_REJECTED)
      .map((e) => e.data as IngestRejectedData)
      .find((d) => d.rejectedEventId === eventId);
  await eventually(() => find() !== undefined);
  return find()!;
}

const indicators = (taxWan = '1930.25') => ({
  outputValueWan: '86500.00',
  industrialValueAddedWan: '21300.00',
  taxWan,
  fixedInvestmentWan: '12000.00',
  employees: 6400,
});

beforeAll(async () => {
  h = await startParksApp();
  producer = createIdempotentProducer(h.service.topics.kafka);
  await producer.connect();
  dlq = await new TopicReader(h.service.topics.kafka, [
    h.service.topics.name(dlqTopic(Topics.parksIngest)),
  ]).start();
  parkId = (await http().post('/api/v1/parks', parkBody()).expect(201)).body.id;
});

afterAll(async () => {
  await dlq?.stop();
  await producer?.disconnect();
  await h?.close();
});

describe('the parks ingest topic', () => {
  it('applies monthly indicators from Kafka through the same code as HTTP, once even if sent twice', async () => {
    const month = chinaMonthFrom(-1);
    const data = { parkId, month, indicators: indicators() };
    const event = await ingest(ParksEventTypes.ingestIndicatorsSubmitted, parkId, data);
    // The same event redelivered: the inbox skips it.
    await producer.send({
      topic: h.service.topics.name(Topics.parksIngest),
      messages: [signedIngestMessage(event, { unit: 'PARK-TEXTILE', region: REGION })],
    });
    await eventually(() => h.events(ParksEventTypes.indicatorsReported, parkId).length === 1);
    const stored = await http().get(`/api/v1/parks/${parkId}/indicators/${month}`).expect(200);
    expect(stored.body).toMatchObject({ taxPerMuWan: '0.50', occupancyPct: 77.21, version: 1 });
    await new Promise((r) => setTimeout(r, 500));
    await h.delivered();
    expect(h.events(ParksEventTypes.indicatorsReported, parkId)).toHaveLength(1);
  });

  it('changes an enterprise status and completes a campaign task reported over Kafka', async () => {
    const enterprise = (
      await http().post('/api/v1/enterprises', enterpriseBody(parkId)).expect(201)
    ).body.id as string;
    await ingest(ParksEventTypes.ingestStatusChangeRequested, enterprise, {
      enterpriseId: enterprise,
      status: 'under-construction',
    });
    const campaign = await http('ECON')
      .post('/api/v1/campaigns', {
        name: `企业满园 ${unique()}`,
        regionCode: REGION,
        leadUnit: 'ECON',
      })
      .expect(201);
    const task = await http('ECON')
      .post(`/api/v1/campaigns/${campaign.body.id}/tasks`, {
        name: '新增签约入园企业10户',
        ownerUnit: 'PARK-TEXTILE',
        plannedDate: chinaDay(3),
      })
      .expect(201);
    await ingest(ParksEventTypes.ingestTaskCompletionReported, task.body.id, {
      campaignId: campaign.body.id,
      taskId: task.body.id,
      actualDate: chinaDay(0),
    });

    await eventually(
      () => h.events(ParksEventTypes.enterpriseStatusChanged, enterprise).length === 1,
    );
    expect(
      h.events(ParksEventTypes.enterpriseStatusChanged, enterprise)[0].event.data,
    ).toMatchObject({
      status: 'under-construction',
      previousStatus: 'signed',
    });
    await eventually(() => h.events(MilestoneEventTypes.completed, task.body.id).length === 1);
    expect(h.events(MilestoneEventTypes.completed, task.body.id)[0].event.data).toMatchObject({
      subjectType: 'campaign-task',
      status: 'met',
      actualDate: chinaDay(0),
    });
  });

  it('dead-letters refused updates with their reason and announces each to the sender', async () => {
    const enterprise = (
      await http().post('/api/v1/enterprises', enterpriseBody(parkId)).expect(201)
    ).body.id as string;
    const month = chinaMonthFrom(-2);
    const malformed = await ingest(
      ParksEventTypes.ingestIndicatorsSubmitted,
      parkId,
      { parkId, month, indicators: indicators() },
      'PARK-TEXTILE',
      (e) => ((e.data as { indicators: { taxWan: unknown } }).indicators.taxWan = 1930.25),
    );
    const anonymous = await ingest(
      ParksEventTypes.ingestStatusChangeRequested,
      enterprise,
      { enterpriseId: enterprise, status: 'in-production' },
      null,
    );
    const otherUnit = await ingest(
      ParksEventTypes.ingestIndicatorsSubmitted,
      parkId,
      { parkId, month, indicators: indicators() },
      'PARK-FOOD',
    );
    const illegal = await ingest(ParksEventTypes.ingestStatusChangeRequested, enterprise, {
      enterpriseId: enterprise,
      status: 'signed',
    });

    expect(await rejection(malformed.id)).toMatchObject({
      reason: 'schema-violation',
      rejectedType: ParksEventTypes.ingestIndicatorsSubmitted,
      senderSource: '/duban/park-system',
    });
    expect((await rejection(malformed.id)).message).toContain('indicators.taxWan');
    expect(await rejection(anonymous.id)).toMatchObject({
      reason: 'unauthorized',
      message: 'unsigned message: headers duban-key-id and duban-signature are required',
    });
    expect(await rejection(otherUnit.id)).toMatchObject({ reason: 'rule-forbidden' });
    expect(await rejection(illegal.id)).toMatchObject({
      reason: 'rule-conflict',
      message:
        'an enterprise cannot go from signed to signed; allowed next: under-construction, exited',
    });

    const letters = await dlq.waitFor((ms) => ms.length >= 4);
    expect(letters.map((l) => l.headers['x-duban-error-reason']).sort()).toEqual(
      ['rule-forbidden', 'rule-conflict', 'schema-violation', 'unauthorized'].sort(),
    );
    // Nothing of the refused updates was applied.
    const e = await http().get(`/api/v1/enterprises/${enterprise}`).expect(200);
    expect(e.body).toMatchObject({ status: 'signed', version: 1 });
    await http().get(`/api/v1/parks/${parkId}/indicators/${month}`).expect(404);
  });
});
