import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Topics } from '@duban/contracts';
import {
  eventually,
  TestDatabase,
  TestTopics,
  TopicReader,
  createTestDatabase,
  createTestTopics,
  sampleMilestoneEvent,
  startTsProcess,
  TsProcess,
} from '@duban/testing';
import { withCorrelationId } from '@duban/observability';
import { pgClientConfig } from '@duban/persistence';
import {
  InboxRecord,
  MessagingTables1764316800000,
  OutboxMessage,
  OutboxRelay,
  addToOutbox,
} from '..';

const schema = {
  entities: [OutboxMessage, InboxRecord],
  migrations: [MessagingTables1764316800000],
};
const silent = { log: () => undefined, warn: () => undefined };

let db: TestDatabase;
let topics: TestTopics;
let reader: TopicReader;

beforeAll(async () => {
  [db, topics] = await Promise.all([
    createTestDatabase('outbox', schema),
    createTestTopics('outbox'),
  ]);
  // A stand-in for a service's own state, changed in the same transaction as the outbox row.
  await db.dataSource.query(
    'CREATE TABLE milestone_state (id uuid PRIMARY KEY, step int NOT NULL)',
  );
  reader = await new TopicReader(topics.kafka, [topics.name(Topics.projects)]).start();
});

afterAll(async () => {
  await reader?.stop();
  await db?.drop();
  await topics?.drop();
});

/** A business transaction: change state and add its event, both or neither. */
async function recordStep(
  ds: DataSource,
  subjectId: string,
  step: number,
  fail = false,
): Promise<string> {
  const event = sampleMilestoneEvent(subjectId, step);
  await ds.transaction(async (m) => {
    await m.query(
      'INSERT INTO milestone_state (id, step) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET step = EXCLUDED.step',
      [subjectId, step],
    );
    await addToOutbox(m, Topics.projects, [event]);
    if (fail) throw new Error('business rule refused the change');
  });
  return event.id;
}

function newRelay(batchSize?: number): OutboxRelay {
  return new OutboxRelay({
    ...(batchSize ? { batchSize } : {}),
    service: 'projects',
    pg: pgClientConfig(db.config),
    kafka: topics.kafka,
    topicPrefix: topics.config.topicPrefix,
    logger: silent,
    standbyRetryMs: 200,
  });
}

const eventIdsOnTopic = (): string[] => reader.messages.map((m) => m.json<{ id: string }>().id);

describe('transactional outbox', () => {
  it('refuses to write outside a transaction', async () => {
    await expect(
      addToOutbox(db.dataSource.manager, Topics.projects, [sampleMilestoneEvent()]),
    ).rejects.toThrow(/open transaction/);
  });

  it('publishes a committed change and nothing of a rolled-back one', async () => {
    const relay = newRelay();
    relay.start();
    try {
      const rolledBack = randomUUID();
      await expect(recordStep(db.dataSource, rolledBack, 1, true)).rejects.toThrow('business rule');
      const committed = randomUUID();
      const eventId = await withCorrelationId('corr-outbox-1', () =>
        recordStep(db.dataSource, committed, 1),
      );

      const [message] = await reader.waitFor((ms) => ms.some((m) => m.key === committed));
      expect(message.key).toBe(committed);
      expect(message.json<{ id: string; type: string }>()).toMatchObject({
        id: eventId,
        type: 'duban.milestone.scheduled',
      });
      expect(message.headers['content-type']).toBe('application/cloudevents+json');
      expect(message.headers['x-correlation-id']).toBe('corr-outbox-1');

      expect(
        await db.dataSource.query('SELECT * FROM milestone_state WHERE id = $1', [rolledBack]),
      ).toHaveLength(0);
      const outbox = await db.dataSource.query('SELECT aggregate_id, published_at FROM outbox');
      expect(outbox).toHaveLength(1);
      expect(outbox[0].published_at).not.toBeNull();
      expect(reader.messages.some((m) => m.key === rolledBack)).toBe(false);
    } finally {
      await relay.stop();
    }
  });

  it('with two relays, one is active and every event is published once, in order per aggregate', async () => {
    const [a, b] = [newRelay(), newRelay()];
    a.start();
    b.start();
    try {
      await eventually(() => [a.state, b.state].includes('active'));
      await new Promise((r) => setTimeout(r, 600)); // let the standby try the lock a few times
      expect([a.state, b.state].filter((s) => s === 'active')).toHaveLength(1);

      const before = reader.messages.length;
      const aggregates = Array.from({ length: 10 }, () => randomUUID());
      const written: string[] = [];
      // Aggregates interleave concurrently; each aggregate's steps commit one after another.
      await Promise.all(
        aggregates.map(async (id) => {
          for (let step = 1; step <= 20; step++)
            written.push(await recordStep(db.dataSource, id, step));
        }),
      );
      await reader.waitForCount(before + written.length);
      await new Promise((r) => setTimeout(r, 500)); // anything extra would show up now

      const fresh = reader.messages.slice(before);
      expect(fresh).toHaveLength(written.length);
      expect(new Set(eventIdsOnTopic()).size).toBe(reader.messages.length);
      for (const id of aggregates) {
        const steps = fresh
          .filter((m) => m.key === id)
          .map((m) => m.json<{ data: { name: string } }>().data.name);
        expect(steps).toEqual(Array.from({ length: 20 }, (_, i) => `step-${i + 1}`));
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('drains a backlog batch after batch, once each, in order per key, a late commit with a lower sequence included', async () => {
    const before = reader.messages.length;
    // A transaction that takes its sequence before the backlog and commits during the drain:
    // its row must still go before the next event of its aggregate, though the relay has
    // already fetched rows with higher sequences by then.
    const late = randomUUID();
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await addToOutbox(runner.manager, Topics.projects, [sampleMilestoneEvent(late, 1)]);

    const keys = Array.from({ length: 200 }, () => randomUUID());
    const steps = 20;
    const backlog = Array.from({ length: steps }, (_, i) =>
      keys.map((key) => sampleMilestoneEvent(key, i + 1)),
    ).flat();
    await db.dataSource.transaction((m) => addToOutbox(m, Topics.projects, backlog));

    const relay = newRelay(200); // 20 Kafka transactions for the backlog
    relay.start();
    try {
      await reader.waitFor((ms) => ms.length > before); // the first batch is out
      await runner.commitTransaction();
      await recordStep(db.dataSource, late, 2);
      const total = backlog.length + 2;
      await reader.waitForCount(before + total, 60_000);
      await new Promise((r) => setTimeout(r, 500)); // anything extra would show up now

      const fresh = reader.messages.slice(before);
      expect(fresh).toHaveLength(total);
      expect(new Set(fresh.map((m) => m.json<{ id: string }>().id)).size).toBe(total);
      const stepsOf = (key: string): string[] =>
        fresh
          .filter((m) => m.key === key)
          .map((m) => m.json<{ data: { name: string } }>().data.name);
      for (const key of keys) {
        expect(stepsOf(key)).toEqual(Array.from({ length: steps }, (_, i) => `step-${i + 1}`));
      }
      expect(stepsOf(late)).toEqual(['step-1', 'step-2']);
      const [{ open }] = await db.dataSource.query(
        'SELECT count(*)::int AS open FROM outbox WHERE published_at IS NULL',
      );
      expect(open).toBe(0);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
      await relay.stop();
    }
  });

  it('a relay that died after the Kafka commit but before marking rows does not publish them again', async () => {
    const first = newRelay();
    first.start();
    const subject = randomUUID();
    // One transaction, so one relay batch: the batch a crash would leave unmarked.
    const events = [1, 2, 3].map((step) => sampleMilestoneEvent(subject, step));
    await db.dataSource.transaction((m) => addToOutbox(m, Topics.projects, events));
    const ids = events.map((e) => e.id);
    await reader.waitFor((ms) => ms.filter((m) => m.key === subject).length === 3);
    await first.stop();
    // What the database looks like if the relay died just after its Kafka transaction committed.
    await db.dataSource.query(
      'UPDATE outbox SET published_at = NULL WHERE event_id = ANY($1::uuid[])',
      [ids],
    );

    const second = newRelay();
    second.start();
    try {
      await eventually(async () => {
        const [{ open }] = await db.dataSource.query(
          'SELECT count(*)::int AS open FROM outbox WHERE published_at IS NULL',
        );
        return second.state === 'active' && open === 0;
      });
      await new Promise((r) => setTimeout(r, 1000));
      expect(reader.messages.filter((m) => m.key === subject)).toHaveLength(3);
    } finally {
      await second.stop();
    }
  });

  it('after the active relay process is killed, the standby takes over: nothing lost, nothing twice, order kept', async () => {
    const env = {
      DUBAN_TEST_DB: db.config.database,
      DUBAN_TOPIC_PREFIX: topics.config.topicPrefix,
      DUBAN_RELAY_BATCH: '5',
    };
    const first = startTsProcess('libs/testing/src/relay-process.ts', env);
    let second: TsProcess | null = null;
    try {
      await first.waitForLine(/outbox relay active/);
      second = startTsProcess('libs/testing/src/relay-process.ts', env);
      await second.waitForLine(/started/);

      const before = reader.messages.length;
      const aggregates = Array.from({ length: 5 }, () => randomUUID());
      const written: string[] = [];
      const writing = Promise.all(
        aggregates.map(async (id) => {
          for (let step = 1; step <= 40; step++)
            written.push(await recordStep(db.dataSource, id, step));
        }),
      );
      // Kill the leader while it is in the middle of publishing.
      await reader.waitFor((ms) => ms.length >= before + 20);
      await first.kill('SIGKILL');
      await writing;
      await second.waitForLine(/outbox relay active/);

      await reader.waitForCount(before + written.length, 30000);
      await new Promise((r) => setTimeout(r, 1000));
      const fresh = reader.messages.slice(before);
      const ids = fresh.map((m) => m.json<{ id: string }>().id);
      expect(new Set(ids)).toEqual(new Set(written));
      expect(ids).toHaveLength(written.length);
      for (const id of aggregates) {
        const steps = fresh
          .filter((m) => m.key === id)
          .map((m) => m.json<{ data: { name: string } }>().data.name);
        expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => `step-${i + 1}`));
      }
      const [{ unpublished }] = await db.dataSource.query(
        'SELECT count(*)::int AS unpublished FROM outbox WHERE published_at IS NULL',
      );
      expect(unpublished).toBe(0);
    } finally {
      await first.kill();
      await second?.kill('SIGTERM');
    }
  });
});
