import { Producer } from 'kafkajs';
import {
  DubanEvent,
  INGEST_REJECTED,
  IngestRejectedData,
  MilestoneEventData,
  MilestoneEventTypes,
  Topics,
  TransportEventTypes,
  createEvent,
  dlqTopic,
} from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { DomainHarness, TopicReader, eventually, signedIngestMessage } from '@duban/testing';
import {
  REGION,
  WORKS,
  allGates,
  api,
  chinaDay,
  startTransportApp,
  tokens,
  workBody,
} from '../testing/http';

let h: DomainHarness;
let producer: Producer;
let dlq: TopicReader;
const lead = () => api(() => h.server(), tokens.department('TRANSPORT'));

/**
 * What a department system does: publish a CloudEvent signed with its unit's ingest key
 * (`unit` null: unsigned). Foreign systems skip our publish-side checks, so `tamper` may break
 * the event after it is built.
 */
async function ingest(
  type: string,
  subject: string,
  data: unknown,
  unit: string | null = 'TRANSPORT',
  tamper: (event: DubanEvent) => void = () => undefined,
): Promise<DubanEvent> {
  const event = createEvent({ type, service: 'jiaotong-system', subject, region: REGION, data });
  tamper(event);
  const message = signedIngestMessage(event, { unit: unit ?? 'TRANSPORT', region: REGION });
  await producer.send({
    topic: h.service.topics.name(Topics.transportIngest),
    messages: [unit ? message : { ...message, headers: {} }],
  });
  return event;
}

const ofType = (type: string) =>
  h.reader.messages.map((m) => m.json<DubanEvent>()).filter((e) => e.type === type);

async function rejection(eventId: string): Promise<IngestRejectedData> {
  const find = () =>
    ofType(INGEST_REJECTED).find((e) => (e.data as IngestRejectedData).rejectedEventId === eventId);
  await eventually(() => find() !== undefined);
  return find()!.data as IngestRejectedData;
}

async function work(gates: object[] = allGates(chinaDay(30))) {
  return (
    await lead()
      .post(WORKS, workBody({ kind: 'expressway', gates }))
      .expect(201)
  ).body as {
    id: string;
    gates: { id: string; gate: string }[];
  };
}

beforeAll(async () => {
  h = await startTransportApp();
  producer = createIdempotentProducer(h.service.topics.kafka);
  await producer.connect();
  dlq = await new TopicReader(h.service.topics.kafka, [
    h.service.topics.name(dlqTopic(Topics.transportIngest)),
  ]).start();
});

afterAll(async () => {
  await dlq?.stop();
  await producer?.disconnect();
  await h?.close();
});

describe('the transport ingest topic', () => {
  it('meets a gate reported by its owner unit through the same code as HTTP, once even if sent twice', async () => {
    const w = await work([
      { gate: 'land-and-environment', plannedDate: chinaDay(10), ownerUnit: 'NATRES' },
    ]);
    const gateId = w.gates[0].id;
    const data = { workId: w.id, gate: 'land-and-environment', actualDate: chinaDay(-1) };
    const event = await ingest(TransportEventTypes.ingestGateMetReported, w.id, data, 'NATRES');
    await producer.send({
      topic: h.service.topics.name(Topics.transportIngest),
      messages: [signedIngestMessage(event, { unit: 'NATRES', region: REGION })],
    });
    await eventually(() => h.events(MilestoneEventTypes.completed, gateId).length === 1);
    expect(
      h.events<MilestoneEventData>(MilestoneEventTypes.completed, gateId)[0].event.data,
    ).toMatchObject({
      subjectType: 'transport-work',
      subjectId: w.id,
      status: 'met',
      actualDate: chinaDay(-1),
    });
    const gate = await lead().get(`${WORKS}/${w.id}/gates`).expect(200);
    expect(gate.body[0]).toMatchObject({ status: 'met', version: 2 });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.events(MilestoneEventTypes.completed, gateId)).toHaveLength(1);
  });

  it('takes a forecast, section progress and an opening, which counts in the mileage', async () => {
    const w = await work();
    await ingest(TransportEventTypes.ingestGateForecastReported, w.id, {
      workId: w.id,
      gate: 'approval',
      forecastDate: chinaDay(75),
    });
    const approval = w.gates.find((g) => g.gate === 'approval')!.id;
    await eventually(() => h.events(MilestoneEventTypes.forecastChanged, approval).length === 1);

    for (const g of w.gates) {
      await lead()
        .post(`${WORKS}/${w.id}/gates/${g.gate}/complete`, { actualDate: chinaDay(0) })
        .expect(200);
    }
    for (const phase of ['pre-work', 'tender', 'construction']) {
      await lead().post(`${WORKS}/${w.id}/phase`, { phase }).expect(200);
    }
    const section = (
      await lead()
        .post(`${WORKS}/${w.id}/sections`, { name: 'K0-K9 标段', lengthKm: 9.125 })
        .expect(201)
    ).body;
    await ingest(TransportEventTypes.ingestSectionProgressReported, w.id, {
      workId: w.id,
      sectionId: section.id,
      progressPct: 96,
    });
    await eventually(
      () => h.events(TransportEventTypes.sectionProgressChanged, section.id).length === 1,
    );
    await ingest(TransportEventTypes.ingestSectionOpeningReported, w.id, {
      workId: w.id,
      sectionId: section.id,
      openedOn: chinaDay(0),
    });
    await eventually(() => h.events(TransportEventTypes.sectionOpened, section.id).length === 1);
    const mileage = await lead().get(`/api/v1/mileage?regionCode=${REGION}`).expect(200);
    // This file's database is its own: the opening is the region's only mileage.
    expect(mileage.body.items[0]).toEqual({
      kind: 'expressway',
      operatingKm: 9.125,
      baselineKm: 0,
      openedKm: 9.125,
    });
    await h.delivered();
    expect(h.events(TransportEventTypes.mileageChanged, `${REGION}:expressway`)).toHaveLength(1);
  });

  it('dead-letters refused updates with their reason and announces each to the sender', async () => {
    const w = await work();
    const section = (
      await lead()
        .post(`${WORKS}/${w.id}/sections`, { name: 'K9-K20 标段', lengthKm: 11 })
        .expect(201)
    ).body;
    const target = { workId: w.id, sectionId: section.id };
    const bad = await ingest(
      TransportEventTypes.ingestSectionProgressReported,
      w.id,
      { ...target, progressPct: 50 },
      'TRANSPORT',
      (e) => ((e.data as { progressPct: number }).progressPct = 150),
    );
    const anonymous = await ingest(
      TransportEventTypes.ingestSectionProgressReported,
      w.id,
      { ...target, progressPct: 50 },
      null,
    );
    const otherUnit = await ingest(
      TransportEventTypes.ingestSectionProgressReported,
      w.id,
      { ...target, progressPct: 50 },
      'WATER',
    );
    const tooEarly = await ingest(TransportEventTypes.ingestSectionOpeningReported, w.id, {
      ...target,
      openedOn: chinaDay(0),
    });

    expect(await rejection(bad.id)).toMatchObject({
      reason: 'schema-violation',
      rejectedType: TransportEventTypes.ingestSectionProgressReported,
      senderSource: '/duban/jiaotong-system',
    });
    expect((await rejection(bad.id)).message).toContain('progressPct');
    expect(await rejection(anonymous.id)).toMatchObject({
      reason: 'unauthorized',
      message: 'unsigned message: headers duban-key-id and duban-signature are required',
    });
    expect(await rejection(otherUnit.id)).toMatchObject({ reason: 'rule-forbidden' });
    expect(await rejection(tooEarly.id)).toMatchObject({
      reason: 'rule-conflict',
      message:
        'a section cannot open while its work is in planning; only in construction, handover, opened',
    });

    const letters = await dlq.waitFor((ms) => ms.length >= 4);
    expect(letters.map((l) => l.headers['x-duban-error-reason']).sort()).toEqual(
      ['rule-forbidden', 'rule-conflict', 'schema-violation', 'unauthorized'].sort(),
    );
    // Nothing of the refused updates reached the section.
    const now = await lead().get(`${WORKS}/${w.id}/sections`).expect(200);
    expect(now.body[0]).toMatchObject({ progressPct: 0, openedOn: null, version: 1 });
    await h.delivered();
    expect(h.events(TransportEventTypes.sectionProgressChanged, section.id)).toHaveLength(0);
    expect(h.events(TransportEventTypes.sectionOpened, section.id)).toHaveLength(0);
  });
});
