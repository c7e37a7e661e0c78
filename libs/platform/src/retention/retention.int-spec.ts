import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { pgClientConfig } from '@duban/persistence';
import { TestDatabase, createTestDatabase, eventually } from '@duban/testing';
import { fullSchema } from '../service-options';
import { pruneMessagingTables } from './messaging-retention';
import { retentionConfigFor } from './retention-config';
import { RetentionService } from './retention.service';

let db: TestDatabase;
const config = { outboxDays: 7, inboxDays: 37, batchSize: 2 };

async function outboxRow(label: string, createdDaysAgo: number, publishedDaysAgo: number | null) {
  await db.dataSource.query(
    `INSERT INTO outbox (event_id, topic, aggregate_type, aggregate_id, event_type, payload,
                         created_at, published_at)
     VALUES ($1, 'duban.projects.v1', 'project', $2, 'duban.project.updated', '{}',
             now() - make_interval(days => $3),
             now() - make_interval(days => $4::int))`,
    [randomUUID(), label, createdDaysAgo, publishedDaysAgo],
  );
}

async function inboxRow(label: string, processedDaysAgo: number) {
  await db.dataSource.query(
    `INSERT INTO inbox (consumer, event_id, topic, partition, "offset", processed_at)
     VALUES ($1, $2, 'duban.projects.v1', 0, 0, now() - make_interval(days => $3))`,
    [label, randomUUID(), processedDaysAgo],
  );
}

async function remaining(): Promise<{ outbox: string[]; inbox: string[] }> {
  const outbox: { aggregate_id: string }[] = await db.dataSource.query(
    'SELECT aggregate_id FROM outbox ORDER BY aggregate_id',
  );
  const inbox: { consumer: string }[] = await db.dataSource.query(
    'SELECT consumer FROM inbox ORDER BY consumer',
  );
  return { outbox: outbox.map((r) => r.aggregate_id), inbox: inbox.map((r) => r.consumer) };
}

beforeAll(async () => {
  db = await createTestDatabase('retention', fullSchema({ entities: [], migrations: [] }));
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  await db.dataSource.query('TRUNCATE outbox, inbox');
});

describe('messaging retention', () => {
  it('prunes old published outbox rows and old inbox rows batch by batch, keeps the rest', async () => {
    for (const label of ['old-1', 'old-2', 'old-3']) await outboxRow(label, 9, 8);
    await outboxRow('unpublished-for-a-month', 30, null);
    await outboxRow('recent', 6, 6);
    for (const label of ['old-a', 'old-b', 'old-c']) await inboxRow(label, 38);
    await inboxRow('recent', 36);

    // Three old rows of each with batches of two: a second batch must run.
    expect(await pruneMessagingTables(db.dataSource, config)).toEqual({ outbox: 3, inbox: 3 });
    expect(await remaining()).toEqual({
      outbox: ['recent', 'unpublished-for-a-month'],
      inbox: ['recent'],
    });
  });

  it('stops between batches when told to', async () => {
    await outboxRow('old', 9, 8);
    const stop = new AbortController();
    stop.abort();
    expect(await pruneMessagingTables(db.dataSource, config, stop.signal)).toEqual({
      outbox: 0,
      inbox: 0,
    });
    expect((await remaining()).outbox).toEqual(['old']);
  });

  it('lets one replica prune at a time', async () => {
    await outboxRow('old', 9, 8);
    const other = new Client(pgClientConfig(db.config));
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('duban-messaging-retention'))`);
      expect(await pruneMessagingTables(db.dataSource, config)).toBeNull();
      expect((await remaining()).outbox).toEqual(['old']);
      await other.query(`SELECT pg_advisory_unlock(hashtext('duban-messaging-retention'))`);
      expect(await pruneMessagingTables(db.dataSource, config)).toEqual({ outbox: 1, inbox: 0 });
    } finally {
      await other.end();
    }
  });

  it('runs on a timer in every service', async () => {
    const retention = retentionConfigFor({ DUBAN_RETENTION_INTERVAL_SECONDS: '1' });
    const service = new RetentionService(db.dataSource, { retention });
    await outboxRow('old', 9, 8);
    await inboxRow('old', 40);
    service.onApplicationBootstrap();
    try {
      await eventually(
        async () => {
          const left = await remaining();
          return left.outbox.length + left.inbox.length === 0;
        },
        10_000,
        'old rows pruned by the timer',
      );
    } finally {
      await service.onApplicationShutdown();
    }
  });

  it('has the indexes the prune reads through', async () => {
    const rows: { indexname: string }[] = await db.dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE indexname IN ('outbox_published_at_idx', 'inbox_processed_at_idx') ORDER BY 1`,
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      'inbox_processed_at_idx',
      'outbox_published_at_idx',
    ]);
  });
});
