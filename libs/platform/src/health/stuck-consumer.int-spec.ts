import { Controller, INestApplication, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Producer } from 'kafkajs';
import request from 'supertest';
import { DubanEvent, MilestoneEventData, Topics } from '@duban/contracts';
import { DubanEventContext, createIdempotentProducer } from '@duban/messaging';
import {
  TestDatabase,
  TestTopics,
  createTestDatabase,
  createTestTopics,
  eventually,
  sampleMilestoneEvent,
  startTestApp,
} from '@duban/testing';
import { PlatformModule, fullSchema } from '..';

/**
 * Readiness over HTTP while the service's own consumer is really stuck: a handler that does
 * not return, and a partition held back because its handler keeps losing its database
 * connection. The stall threshold is shortened through the configuration
 * (DUBAN_CONSUMER_STUCK_AFTER_SECONDS), as an operator would.
 */

/** Released by the test: until then the handler of `blocked-*` events does not return. */
let release: () => void = () => undefined;
let gate = Promise.resolve();
/** While set, the handler of `outage-*` events loses its database connection (57P01). */
let outage = false;
const applied: string[] = [];

@Controller()
class StallingHandlers {
  @EventPattern('duban.milestone.scheduled')
  async onScheduled(
    @Payload() event: DubanEvent<MilestoneEventData>,
    @Ctx() ctx: DubanEventContext,
  ): Promise<void> {
    const name = event.data.name;
    if (name.startsWith('blocked')) await gate;
    if (name.startsWith('outage') && outage) {
      await ctx.manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
    }
    await ctx.manager.query('SELECT 1');
    applied.push(name);
  }
}

let db: TestDatabase;
let topics: TestTopics;
let app: INestApplication;
let producer: Producer;

beforeAll(async () => {
  [db, topics] = await Promise.all([
    createTestDatabase('stuck', fullSchema({ entities: [], migrations: [] })),
    createTestTopics('stuck', 1),
  ]);
  @Module({
    imports: [
      PlatformModule.forService({
        service: 'projects',
        schema: { entities: [], migrations: [] },
        consumes: [Topics.projects],
      }),
    ],
    controllers: [StallingHandlers],
  })
  class StuckAppModule {}
  app = await startTestApp(StuckAppModule, {
    DUBAN_PROJECTS_DB: db.config.database,
    DUBAN_PROJECTS_PORT: '0',
    DUBAN_TOPIC_PREFIX: topics.config.topicPrefix,
    DUBAN_CONSUMER_STUCK_AFTER_SECONDS: '1',
    DUBAN_LOG_LEVEL: 'silent',
  });
  producer = createIdempotentProducer(topics.kafka);
  await producer.connect();
});

afterAll(async () => {
  release();
  outage = false;
  await producer?.disconnect();
  await app?.close();
  await db?.drop();
  await topics?.drop();
});

async function send(name: string): Promise<void> {
  const event = sampleMilestoneEvent(undefined, 0, { name });
  await producer.send({
    topic: topics.name(Topics.projects),
    messages: [{ key: event.partitionkey, value: JSON.stringify(event) }],
  });
}

interface ConsumerCheck {
  status: string;
  reason?: string;
  detail?: { stalled: { topic: string; partition: number; kind: string }[] };
}
interface Readiness {
  status: number;
  body: { status: string; checks: Record<string, ConsumerCheck> };
}
const ready = async (): Promise<Readiness> => {
  const res = await request(app.getHttpServer()).get('/health/ready');
  return { status: res.status, body: res.body };
};

/** Polls readiness until it answers `status`, returning that answer. */
async function readinessBecomes(status: number, what: string): Promise<Readiness> {
  let last: Readiness | undefined;
  await eventually(
    async () => (last = await ready()).status === status,
    30_000,
    `readiness ${status} (${what})`,
  );
  return last!;
}

describe('readiness of a service whose consumer is stuck', () => {
  it('is 200 while the consumer keeps up', async () => {
    await send('first');
    await eventually(() => applied.includes('first'), 20_000, 'first event applied');
    const answer = await ready();
    expect(answer.status).toBe(200);
    expect(answer.body.checks.consumer).toEqual({ status: 'up' });
  });

  it('is 503 naming the topic while a handler does not return, 200 once it does', async () => {
    gate = new Promise<void>((resolve) => (release = resolve));
    await send('blocked-1');
    const stuck = await readinessBecomes(503, 'handler busy');
    expect(stuck.body.status).toBe('unavailable');
    expect(stuck.body.checks.consumer).toMatchObject({ status: 'down' });
    expect(stuck.body.checks.consumer.reason).toContain(
      `${topics.name(Topics.projects)}[0] handler busy with offset`,
    );
    // Only the consumer is down: the database and Kafka still answer.
    expect(stuck.body.checks.database).toEqual({ status: 'up' });
    expect(stuck.body.checks.kafka).toEqual({ status: 'up' });
    expect(applied).not.toContain('blocked-1');

    release();
    const recovered = await readinessBecomes(200, 'handler returned');
    expect(recovered.body.checks.consumer).toEqual({ status: 'up' });
    expect(applied).toContain('blocked-1');
  });

  it('is 503 naming the topic while a partition is held back, 200 once it moves on', async () => {
    outage = true;
    await send('outage-1');
    const stalled = await readinessBecomes(503, 'partition held back');
    const consumer = stalled.body.checks.consumer;
    expect(consumer.reason).toMatch(
      new RegExp(
        `${topics.name(Topics.projects).replace(/\./g, '\\.')}\\[0\\] stalled at offset \\d+ for \\d+ s \\(database, \\d+ tries\\)`,
      ),
    );
    expect(consumer.detail?.stalled).toEqual([
      expect.objectContaining({
        topic: topics.name(Topics.projects),
        partition: 0,
        kind: 'database',
      }),
    ]);
    expect(applied).not.toContain('outage-1');

    outage = false;
    const recovered = await readinessBecomes(200, 'partition moved on');
    expect(recovered.body.checks.consumer).toEqual({ status: 'up' });
    expect(applied).toContain('outage-1');
  });
});
