import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '@duban/testing';
import { currentManager, inTransaction } from '@duban/persistence';
import { InboxRecord, MessagingTables1764316800000, OutboxMessage } from '..';
import { processOnce } from './inbox';

const schema = {
  entities: [OutboxMessage, InboxRecord],
  migrations: [MessagingTables1764316800000],
};

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('inbox', schema);
  ds = db.dataSource;
  // A stand-in for a service's own state.
  await ds.query('CREATE TABLE reports (event_id uuid PRIMARY KEY, n int NOT NULL)');
});

afterAll(async () => {
  await db?.drop();
});

const source = { topic: 't', partition: 0, offset: '0' };

/** What an application service does: join whatever transaction is running, or start one. */
const fileReport = (eventId: string) =>
  inTransaction(ds, (m) => m.query('INSERT INTO reports VALUES ($1, 1)', [eventId]));

const rows = async (eventId: string) => ({
  inbox: (await ds.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).length,
  reports: (await ds.query('SELECT 1 FROM reports WHERE event_id = $1', [eventId])).length,
});

describe('the inbox transaction is ambient for its handler', () => {
  it('rolls back a service’s writes with the handler’s failure; the redelivery applies them once', async () => {
    const eventId = randomUUID();
    await expect(
      processOnce(ds, 'c', eventId, source, async () => {
        await fileReport(eventId);
        throw new Error('transient, after the service call');
      }),
    ).rejects.toThrow('after the service call');
    expect(await rows(eventId)).toEqual({ inbox: 0, reports: 0 });

    const again = await processOnce(ds, 'c', eventId, source, () => fileReport(eventId));
    const duplicate = await processOnce(ds, 'c', eventId, source, () => fileReport(eventId));
    expect(again.processed).toBe(true);
    expect(duplicate.processed).toBe(false);
    expect(await rows(eventId)).toEqual({ inbox: 1, reports: 1 });
  });

  it('lets reads inside the handler see its transaction’s writes, and nobody else before commit', async () => {
    const eventId = randomUUID();
    await processOnce(ds, 'c', eventId, source, async (manager) => {
      await fileReport(eventId);
      expect(currentManager(ds)).toBe(manager);
      const inside = await currentManager(ds).query('SELECT 1 FROM reports WHERE event_id = $1', [
        eventId,
      ]);
      expect(inside).toHaveLength(1);
      expect(await rows(eventId)).toEqual({ inbox: 0, reports: 0 });
    });
    expect(await rows(eventId)).toEqual({ inbox: 1, reports: 1 });
  });
});
