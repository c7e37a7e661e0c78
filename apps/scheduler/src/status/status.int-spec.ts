import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import request from 'supertest';
import {
  AlertData,
  DubanEvent,
  MilestoneEventData,
  MilestoneEventTypes,
  StatusChangedData,
  StatusEventTypes,
  Topics,
  chinaDate,
  createEvent,
} from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { createIdempotentProducer } from '@duban/messaging';
import { Clock } from '@duban/platform';
import { TestServiceApp, TopicReader, eventually, startServiceApp } from '@duban/testing';
import { schedulerSchema } from '../schema';
import { StatusService } from './status.service';

const DAY = 86_400_000;
let svc: TestServiceApp;
let producer: Producer;
let alerts: TopicReader;
let offsetMs = 0;
const supervisor = signToken({ subject: 'duchashi', role: 'supervisor' }, authSecretFrom());
const department = (unit: string) =>
  signToken(
    { subject: unit.toLowerCase(), role: 'department', unit, region: '511112' },
    authSecretFrom(),
  );
const http = () => request(svc.app.getHttpServer());
const now = () => new Date(Date.now() + offsetMs);
const dayOffset = (days: number) => chinaDate(new Date(now().getTime() + days * DAY));

function milestone(overrides: Partial<MilestoneEventData> = {}): MilestoneEventData {
  const date = overrides.currentPlannedDate ?? dayOffset(30);
  return {
    subjectType: 'project',
    subjectId: randomUUID(),
    milestoneId: randomUUID(),
    name: '主体结构封顶',
    ownerUnit: 'HOUSING',
    plannedDate: date,
    currentPlannedDate: date,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
    ...overrides,
  };
}

async function publish(type: string, data: MilestoneEventData): Promise<DubanEvent> {
  const event = createEvent({
    type,
    service: 'projects',
    subject: data.milestoneId,
    region: '511112',
    data,
    time: now(),
  });
  await producer.send({
    topic: svc.topics.name(Topics.projects),
    messages: [{ key: data.milestoneId, value: JSON.stringify(event) }],
  });
  return event;
}

const statusEvents = (subjectId: string) =>
  alerts.messages
    .map((m) => ({ key: m.key, event: m.json<DubanEvent<StatusChangedData>>() }))
    .filter(
      ({ event }) => event.type === StatusEventTypes.changed && event.data.subjectId === subjectId,
    );

const alertEvents = (type: string, milestoneId: string) =>
  alerts.messages
    .map((m) => m.json<DubanEvent<AlertData>>())
    .filter((e) => e.type === type && e.data.milestoneId === milestoneId);

/** The scheduler has consumed (and committed the effect of) this event. */
const consumed = async (eventId: string) =>
  (await svc.db.dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).length > 0;

beforeAll(async () => {
  svc = await startServiceApp(
    'scheduler',
    schedulerSchema,
    async () => (await import('../app.module')).AppModule,
    { DUBAN_SCHEDULER_SWEEP_SECONDS: '3600', DUBAN_STATUS_RED_OVERDUE_DAYS: '7' },
  );
  jest.spyOn(svc.app.get(Clock), 'now').mockImplementation(now);
  producer = createIdempotentProducer(svc.topics.kafka);
  await producer.connect();
  alerts = await new TopicReader(svc.topics.kafka, [svc.topics.name(Topics.alerts)]).start();
});

afterAll(async () => {
  await alerts?.stop();
  await producer?.disconnect();
  await svc?.close();
});

beforeEach(() => (offsetMs = 0));

describe('traffic lights', () => {
  it('publishes a colour change once, keyed by the subject, and goes red when overdue more than N days', async () => {
    const late = milestone({ currentPlannedDate: dayOffset(-2), plannedDate: dayOffset(-2) });
    await publish(MilestoneEventTypes.scheduled, late);

    // An overdue milestone (2 days, minor) turns its project yellow.
    await eventually(() => statusEvents(late.subjectId).length >= 1, 20000, 'status.changed');
    const [first] = statusEvents(late.subjectId);
    expect(first.key).toBe(late.subjectId);
    expect(first.event.subject).toBe(late.subjectId);
    expect(first.event.data).toMatchObject({
      subjectType: 'project',
      ownerUnit: 'HOUSING',
      region: '511112',
      colour: 'yellow',
      previousColour: 'green',
      openAlerts: 1,
    });

    // A forecast slip of the same project is another open alert, but no change of colour.
    const slipping = { ...late, forecastDate: dayOffset(3) };
    await publish(MilestoneEventTypes.forecastChanged, slipping);
    await eventually(
      () => alertEvents('duban.alert.raised', late.milestoneId).length === 2,
      20000,
      'forecast-slip raised',
    );
    const slip = alertEvents('duban.alert.raised', late.milestoneId).find(
      (e) => e.data.rule === 'forecast-slip',
    )!;
    // Barrier: the scheduler has consumed the slip alert's event (its status work committed).
    await eventually(() => consumed(slip.id), 20000, 'slip alert consumed');
    const [row] = await svc.db.dataSource.query(
      'SELECT colour, open_alerts FROM subject_status WHERE subject_id = $1',
      [late.subjectId],
    );
    expect(row).toEqual({ colour: 'yellow', open_alerts: 2 });

    // Overdue more than N = 7 days with no new event: the periodic pass turns it red.
    offsetMs = 7 * DAY;
    await svc.app.get(StatusService).sweep();
    await eventually(() => statusEvents(late.subjectId).length >= 2, 20000, 'red');
    // One subject's changes share a key and so a partition: nothing came between them.
    expect(statusEvents(late.subjectId).map(({ event }) => event.data.colour)).toEqual([
      'yellow',
      'red',
    ]);
    expect(statusEvents(late.subjectId)[1].event.data.previousColour).toBe('yellow');

    const page = await http()
      .get('/api/v1/status')
      .query({ unit: 'HOUSING', colour: 'red' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(200);
    expect(page.body.items).toEqual([
      expect.objectContaining({ subjectId: late.subjectId, colour: 'red', openAlerts: 2 }),
    ]);
    expect(page.body.counts).toEqual({ red: 1, yellow: 0, green: 0 });
  });

  it('lists green subjects, counts per unit and region, and shows a department its own unit only', async () => {
    const calm = milestone({ ownerUnit: 'WATER' });
    const scheduled = await publish(MilestoneEventTypes.scheduled, calm);
    await eventually(() => consumed(scheduled.id), 20000, 'milestone consumed');

    const water = await http()
      .get('/api/v1/status')
      .query({ unit: 'WATER' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(200);
    expect(water.body).toEqual({
      items: [
        expect.objectContaining({ subjectId: calm.subjectId, colour: 'green', openAlerts: 0 }),
      ],
      nextCursor: null,
      counts: { red: 0, yellow: 0, green: 1 },
    });
    expect(statusEvents(calm.subjectId)).toEqual([]);

    const own = await http()
      .get('/api/v1/status')
      .set('authorization', `Bearer ${department('WATER')}`)
      .expect(200);
    expect(own.body.items.map((s: { ownerUnit: string }) => s.ownerUnit)).toEqual(['WATER']);
    const other = await http()
      .get('/api/v1/status')
      .query({ unit: 'HOUSING' })
      .set('authorization', `Bearer ${department('WATER')}`)
      .expect(200);
    expect(other.body).toEqual({
      items: [],
      nextCursor: null,
      counts: { red: 0, yellow: 0, green: 0 },
    });

    const byUnit = await http()
      .get('/api/v1/status/summary')
      .query({ groupBy: 'unit' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(200);
    expect(byUnit.body.groupBy).toBe('unit');
    expect(byUnit.body.groups).toEqual(
      expect.arrayContaining([{ key: 'WATER', red: 0, yellow: 0, green: 1, total: 1 }]),
    );
    const byRegion = await http()
      .get('/api/v1/status/summary')
      .query({ groupBy: 'region' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(200);
    expect(byRegion.body.groups).toEqual([
      expect.objectContaining({ key: '511112', total: expect.any(Number) }),
    ]);

    await http()
      .get('/api/v1/status')
      .query({ colour: 'blue' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(400);
  });
});
