import { randomUUID } from 'node:crypto';
import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Producer } from 'kafkajs';
import { DubanEvent, MilestoneEventData, Topics, dlqTopic } from '@duban/contracts';
import {
  eventually,
  TestDatabase,
  TestTopics,
  TopicReader,
  createTestDatabase,
  createTestTopics,
  sampleMilestoneEvent,
} from '@duban/testing';
import {
  DubanEventContext,
  DubanKafkaServer,
  InboxRecord,
  MessagingTables1764316800000,
  OutboxMessage,
  PermanentError,
  RethrowEventErrors,
  createIdempotentProducer,
} from '..';

const schema = {
  entities: [OutboxMessage, InboxRecord],
  migrations: [MessagingTables1764316800000],
};
const GROUP = 'test-consumer';
let db: TestDatabase;
let topics: TestTopics;
let producer: Producer;
let dlq: TopicReader;
let app: INestMicroservice | null = null;
const attemptsByName = new Map<string, number>();
/** What after-commit work saw: the committed rows of its own event, by name. */
const seenAfterCommit = new Map<string, number[]>();

@Controller()
class MilestoneHandlers {
  @EventPattern('duban.milestone.scheduled')
  async onScheduled(
    @Payload() event: DubanEvent<MilestoneEventData>,
    @Ctx() ctx: DubanEventContext,
  ): Promise<void> {
    const name = event.data.name;
    attemptsByName.set(name, (attemptsByName.get(name) ?? 0) + 1);
    ctx.afterCommit(async () => {
      // A fresh connection: only committed rows are visible to it.
      const seen = await applied(name);
      seenAfterCommit.set(name, [...(seenAfterCommit.get(name) ?? []), seen]);
    });
    await ctx.manager.query('INSERT INTO applied (event_id, name) VALUES ($1, $2)', [
      event.id,
      name,
    ]);
    if (name === 'always-fails') throw new Error('database said no');
    if (name === 'refused')
      throw new PermanentError('ownerUnit DRC may not report for this project', 'forbidden');
    if (name.startsWith('flaky') && attemptsByName.get(name) === 1) {
      throw new Error('transient failure');
    }
  }
}

@Module({ controllers: [MilestoneHandlers] })
class TestModule {}

async function startConsumer(): Promise<void> {
  app = await NestFactory.createMicroservice(TestModule, {
    strategy: new DubanKafkaServer({
      kafka: topics.config,
      groupId: GROUP,
      topics: [Topics.projects],
      dataSource: db.dataSource,
      retryBackoffMs: 50,
      sessionTimeout: 6000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
    }),
    logger: false,
  });
  app.useGlobalFilters(new RethrowEventErrors());
  await app.listen();
}

async function stopConsumer(): Promise<void> {
  await app?.close();
  app = null;
}

const send = (value: string | Buffer, key: string = randomUUID()) =>
  producer.send({ topic: topics.name(Topics.projects), messages: [{ key, value }] });
const sendEvent = (event: DubanEvent) => send(JSON.stringify(event), event.partitionkey);
const applied = async (name: string): Promise<number> =>
  (await db.dataSource.query('SELECT count(*)::int AS n FROM applied WHERE name = $1', [name]))[0]
    .n;

beforeAll(async () => {
  [db, topics] = await Promise.all([
    createTestDatabase('consumer', schema),
    createTestTopics('consumer'),
  ]);
  await db.dataSource.query('CREATE TABLE applied (event_id uuid NOT NULL, name text NOT NULL)');
  producer = createIdempotentProducer(topics.kafka);
  await producer.connect();
  dlq = await new TopicReader(topics.kafka, [topics.name(dlqTopic(Topics.projects))]).start();
  await startConsumer();
});

afterAll(async () => {
  await stopConsumer();
  await dlq?.stop();
  await producer?.disconnect();
  await db?.drop();
  await topics?.drop();
});

describe('DubanKafkaServer', () => {
  it('applies an event once and records it in the inbox', async () => {
    const event = sampleMilestoneEvent(randomUUID(), 0, { name: 'plain' });
    await sendEvent(event);
    await eventually(async () => (await applied('plain')) === 1);
    const inbox = await db.dataSource.query(
      'SELECT consumer, event_id FROM inbox WHERE event_id = $1',
      [event.id],
    );
    expect(inbox).toEqual([{ consumer: GROUP, event_id: event.id }]);
  });

  it('suppresses a redelivered event', async () => {
    const event = sampleMilestoneEvent(randomUUID(), 0, { name: 'twice' });
    await sendEvent(event);
    await sendEvent(event);
    await sendEvent(sampleMilestoneEvent(randomUUID(), 0, { name: 'after-twice' }));
    await eventually(async () => (await applied('after-twice')) === 1);
    expect(await applied('twice')).toBe(1);
  });

  it('dead-letters poison messages with the reason and keeps consuming', async () => {
    const key = randomUUID();
    await send('this is not json', key);
    await send(JSON.stringify({ specversion: '1.0', id: 'nope' }), key);
    await sendEvent({ ...sampleMilestoneEvent(key), type: 'duban.milestone.exploded' });
    const badData = sampleMilestoneEvent(key);
    (badData.data as { plannedDate: string }).plannedDate = '2026-02-30';
    await sendEvent(badData);
    await sendEvent(sampleMilestoneEvent(key, 0, { name: 'always-fails' }));
    await sendEvent(sampleMilestoneEvent(key, 0, { name: 'refused' }));
    await sendEvent(sampleMilestoneEvent(key, 0, { name: 'after-poison' }));

    await eventually(async () => (await applied('after-poison')) === 1);
    const letters = await dlq.waitForCount(6);
    expect(letters.map((l) => l.headers['x-duban-error-reason'])).toEqual([
      'malformed',
      'malformed',
      'unknown-type',
      'schema-violation',
      'handler-failed',
      'forbidden',
    ]);
    expect(letters[0].value).toBe('this is not json');
    expect(letters[3].headers['x-duban-error-message']).toContain('plannedDate');
    expect(letters[4].headers['x-duban-attempts']).toBe('3');
    expect(letters[4].headers['x-duban-error-message']).toBe('database said no');
    expect(letters[5].headers['x-duban-attempts']).toBe('1');
    expect(letters[4].headers['x-duban-original-topic']).toBe(topics.name(Topics.projects));
    // A failed attempt rolls back its effect: nothing half-applied stays behind.
    expect(await applied('always-fails')).toBe(0);
    expect(await applied('refused')).toBe(0);
  });

  it('runs after-commit work once the effect is committed, and never for a failed attempt', async () => {
    await sendEvent(sampleMilestoneEvent(randomUUID(), 0, { name: 'flaky-after' }));
    await sendEvent(sampleMilestoneEvent(randomUUID(), 0, { name: 'always-fails' }));
    await eventually(async () => seenAfterCommit.has('flaky-after'));
    expect(seenAfterCommit.get('flaky-after')).toEqual([1]);
    await eventually(async () => (attemptsByName.get('always-fails') ?? 0) >= 3);
    expect(seenAfterCommit.has('always-fails')).toBe(false);
  });

  it('retries a transient failure and then applies the event once', async () => {
    await sendEvent(sampleMilestoneEvent(randomUUID(), 0, { name: 'flaky' }));
    await eventually(async () => (await applied('flaky')) === 1);
    expect(attemptsByName.get('flaky')).toBe(2);
  });

  it('a consumer that dies before committing offsets applies nothing twice when the messages come again', async () => {
    await sendEvent(sampleMilestoneEvent(randomUUID(), 0, { name: 'before-crash' }));
    await eventually(async () => (await applied('before-crash')) === 1);
    await stopConsumer();
    // As if no offset had ever been committed: everything is delivered again.
    const admin = topics.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({
      groupId: GROUP,
      topic: topics.name(Topics.projects),
      earliest: true,
    });
    await admin.disconnect();
    const lettersBefore = dlq.messages.length;

    await startConsumer();
    await sendEvent(sampleMilestoneEvent(randomUUID(), 0, { name: 'after-restart' }));
    await eventually(async () => (await applied('after-restart')) === 1);
    for (const name of ['plain', 'twice', 'flaky', 'before-crash', 'after-poison']) {
      expect(await applied(name)).toBe(1);
    }
    // Poison is dead-lettered again on replay (it never had an effect to dedupe).
    expect(dlq.messages.length).toBeGreaterThanOrEqual(lettersBefore);
  });
});
