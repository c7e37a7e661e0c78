import { randomUUID } from 'node:crypto';
import { IncomingMessage, get } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  AlertEventTypes,
  MilestoneEventData,
  MilestoneEventTypes,
  Topics,
  chinaDate,
  createEvent,
} from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { TestServiceApp, eventually, startServiceApp, startTestApp, tokens } from '@duban/testing';
import { schedulerSchema } from '../schema';

let svc: TestServiceApp;
let second: INestApplication;
let producer: Producer;
const dayOffset = (days: number) => chinaDate(new Date(Date.now() + days * 86_400_000));

function overdue(): MilestoneEventData {
  const date = dayOffset(-2);
  return {
    subjectType: 'project',
    subjectId: randomUUID(),
    milestoneId: randomUUID(),
    name: `完成工可批复-${randomUUID().slice(0, 8)}`,
    ownerUnit: 'AGRI',
    plannedDate: date,
    currentPlannedDate: date,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
  };
}

/** Milestones the projects service schedules, already overdue: each raises an alert. */
async function raise(count: number): Promise<string[]> {
  const milestones = Array.from({ length: count }, overdue);
  await producer.send({
    topic: svc.topics.name(Topics.projects),
    messages: milestones.map((data) => ({
      key: data.milestoneId,
      value: JSON.stringify(
        createEvent({
          type: MilestoneEventTypes.scheduled,
          service: 'projects',
          subject: data.milestoneId,
          region: '511112',
          data,
          time: new Date(),
        }),
      ),
    })),
  });
  return milestones.map((m) => m.milestoneId);
}

/** The alert events the scheduler published (its outbox) for these milestones. */
async function publishedFor(milestoneIds: string[]): Promise<string[]> {
  let ids: string[] = [];
  await eventually(
    async () => {
      const rows: { id: string }[] = await svc.app.get(DataSource).query(
        `SELECT event_id AS id FROM outbox WHERE event_type = $1
         AND payload->'data'->>'milestoneId' = ANY($2) ORDER BY event_id`,
        [AlertEventTypes.raised, milestoneIds],
      );
      ids = rows.map((r) => r.id);
      return ids.length === milestoneIds.length;
    },
    20000,
    'alerts raised',
  );
  return ids;
}

/** A live screen: the SSE event ids it received, in order. */
interface Screen {
  ids: string[];
  close(): void;
}

async function screen(app: INestApplication, lastEventId?: string): Promise<Screen> {
  const { port } = app.getHttpServer().address() as AddressInfo;
  const ids: string[] = [];
  let text = '';
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/alerts/stream',
        headers: {
          authorization: `Bearer ${tokens.supervisor()}`,
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      },
      resolve,
    ).on('error', reject),
  );
  expect(res.statusCode).toBe(200);
  res.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    const frames = text.split('\n\n');
    text = frames.pop() ?? '';
    for (const f of frames) {
      const id = /^id: (.*)$/m.exec(f)?.[1];
      if (id) ids.push(id);
    }
  });
  return { ids, close: () => res.destroy() };
}

const sorted = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  svc = await startServiceApp(
    'scheduler',
    schedulerSchema,
    async () => (await import('../app.module')).AppModule,
  );
  // A second replica: same database, topics, consumer group and Redis prefix.
  second = await startTestApp((await import('../app.module')).AppModule, {
    DUBAN_SCHEDULER_DB: svc.db.config.database,
    DUBAN_SCHEDULER_PORT: '0',
    DUBAN_TOPIC_PREFIX: svc.topics.config.topicPrefix,
    DUBAN_REDIS_PREFIX: `duban-${svc.topics.config.topicPrefix.replace(/\W+/g, '-')}`,
  });
  producer = createIdempotentProducer(svc.topics.kafka);
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await second?.close();
  await svc?.close();
});

describe('the live alert stream with two replicas', () => {
  it('shows every alert event on a screen of either replica, and replays what a reconnecting screen missed', async () => {
    const [one, two] = [await screen(svc.app), await screen(second)];
    try {
      // Spread over the partitions, which the two replicas' shared group splits between them.
      const first = await publishedFor(await raise(6));
      await eventually(() => one.ids.length >= 6 && two.ids.length >= 6, 20000, 'both screens');
      expect(sorted(one.ids)).toEqual(first);
      expect(sorted(two.ids)).toEqual(first);

      const [last] = await publishedFor(await raise(1));
      await eventually(() => one.ids.includes(last), 20000, 'the last event seen');
      one.close();
      const missed = await publishedFor(await raise(3));
      await eventually(() => missed.every((id) => two.ids.includes(id)), 20000, 'missed events');

      const back = await screen(second, last);
      try {
        await eventually(() => back.ids.length >= 3, 20000, 'replay');
        const [later] = await publishedFor(await raise(1));
        await eventually(() => back.ids.includes(later), 20000, 'live after the replay');
        expect(sorted(back.ids.slice(0, 3))).toEqual(missed);
        expect(back.ids).toHaveLength(4);
        expect(back.ids[3]).toBe(later);
      } finally {
        back.close();
      }
    } finally {
      one.close();
      two.close();
    }
  });
});
