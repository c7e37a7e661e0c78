import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import {
  AlertData,
  DubanEvent,
  MilestoneEventData,
  MilestoneEventTypes,
  Topics,
  chinaDate,
  createEvent,
} from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { Clock } from '@duban/platform';
import {
  TestServiceApp,
  TopicReader,
  api,
  eventually,
  startServiceApp,
  tokens,
} from '@duban/testing';
import { schedulerSchema } from '../schema';

/**
 * The closed loop (督办闭环, issue 12) against real Kafka, Redis and PostgreSQL, the scheduler's
 * clock moved by the test: a withdrawn forecast keeps its slip alert.
 */
let svc: TestServiceApp;
let producer: Producer;
let alerts: TopicReader;
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
const dayOffset = (days: number, from = now()) =>
  chinaDate(new Date(from.getTime() + days * 86_400_000));
const supervisor = () => api(() => svc.app.getHttpServer(), tokens.supervisor());

function milestone(overrides: Partial<MilestoneEventData> = {}): MilestoneEventData {
  const date = overrides.currentPlannedDate ?? dayOffset(30);
  return {
    subjectType: 'project',
    subjectId: randomUUID(),
    milestoneId: randomUUID(),
    name: '完成初步设计批复',
    ownerUnit: 'AGRI',
    plannedDate: date,
    currentPlannedDate: date,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
    ...overrides,
  };
}

async function publish(type: string, data: MilestoneEventData): Promise<void> {
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
}

const alertEvents = (milestoneId: string, type?: string) =>
  alerts.messages
    .map((m) => m.json<DubanEvent<AlertData>>())
    .filter((e) => e.data.milestoneId === milestoneId && (!type || e.type === type));

async function waitFor(
  type: string,
  milestoneId: string,
  count = 1,
): Promise<DubanEvent<AlertData>[]> {
  await eventually(
    () => alertEvents(milestoneId, type).length >= count,
    20000,
    `${count} ${type} for ${milestoneId}`,
  );
  return alertEvents(milestoneId, type);
}

/** The timetable row as the last event left it: the alert evaluation committed with it. */
async function timetableShows(milestoneId: string, forecastDate: string | null): Promise<void> {
  await eventually(async () => {
    const rows: { forecast_date: string | null }[] = await svc.db.dataSource.query(
      `SELECT to_char(forecast_date, 'YYYY-MM-DD') AS forecast_date FROM timetable WHERE milestone_id = $1`,
      [milestoneId],
    );
    return rows.length === 1 && rows[0].forecast_date === forecastDate;
  }, 20000);
}

beforeAll(async () => {
  svc = await startServiceApp(
    'scheduler',
    schedulerSchema,
    async () => (await import('../app.module')).AppModule,
    // The sweep runs when a test calls it.
    { DUBAN_SCHEDULER_SWEEP_SECONDS: '3600' },
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

describe('forecast-slip alerts', () => {
  it('stay open when the forecast is cleared, and resolve on an approved change of plan', async () => {
    const data = milestone({ forecastDate: dayOffset(45) });
    await publish(MilestoneEventTypes.scheduled, data);
    const [raised] = await waitFor('duban.alert.raised', data.milestoneId);
    expect(raised.data).toMatchObject({ rule: 'forecast-slip', severity: 'minor' });

    await publish(MilestoneEventTypes.forecastChanged, { ...data, forecastDate: null });
    await timetableShows(data.milestoneId, null);
    const held = await supervisor().get(`/api/v1/alerts/${raised.data.alertId}`).expect(200);
    expect(held.body).toMatchObject({ state: 'open', severity: 'minor', forecastDate: null });

    // The change, once approved, arrives as a rescheduled milestone.
    const moved = dayOffset(60);
    await publish(MilestoneEventTypes.rescheduled, {
      ...data,
      forecastDate: null,
      currentPlannedDate: moved,
    });
    const resolved = await waitFor('duban.alert.resolved', data.milestoneId);
    // Had the cleared forecast resolved it, the first resolution would say forecast-restored.
    expect(resolved.map((e) => e.data.resolution)).toEqual(['rescheduled']);
    expect(resolved[0].data.alertId).toBe(raised.data.alertId);
  });
});
