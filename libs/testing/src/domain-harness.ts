/**
 * Shared setup for a domain service's integration tests: the real app on a database and
 * topics of its own, one reader of the service's own topic, and helpers to find the events a
 * change published. Test-only: imported by *.int-spec.ts files, never by an app.
 */
import type { Server } from 'node:http';
import { Type } from '@nestjs/common';
import { DubanEvent, ServiceName } from '@duban/contracts';
import { ServiceSchema } from '@duban/persistence';
import { eventually } from './eventually';
import { TestServiceApp, startServiceApp } from './service-app';
import { TopicReader } from './topic-reader';

export interface ReadEvent<T> {
  key: string | null;
  event: DubanEvent<T>;
}

export interface DomainHarness {
  service: TestServiceApp;
  reader: TopicReader;
  server(): Server;
  /**
   * Waits until every event the app has written to its outbox so far was published and read,
   * so a test can then assert exact counts (a duplicate or a stray event would show).
   */
  delivered(): Promise<void>;
  /** Events of `type` about `subject` read so far, in the order they were read. */
  events<T = Record<string, unknown>>(type: string, subject: string): ReadEvent<T>[];
  close(): Promise<void>;
}

/** Starts `service` and reads `topic` (its own, un-prefixed name) from the beginning. */
export async function startDomainHarness(
  service: ServiceName,
  schema: ServiceSchema,
  loadModule: () => Promise<Type<unknown>>,
  topic: string,
): Promise<DomainHarness> {
  const app = await startServiceApp(service, schema, loadModule);
  const reader = await new TopicReader(app.topics.kafka, [app.topics.name(topic)]).start();
  const ds = app.db.dataSource;
  const count = async (where: string): Promise<number> => {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE ${where}`, [topic]);
    return n;
  };
  return {
    service: app,
    reader,
    server: () => app.app.getHttpServer(),
    async delivered() {
      await eventually(
        async () => (await count('topic = $1 AND published_at IS NULL')) === 0,
        20000,
        'outbox drained',
      );
      const published = await count('topic = $1');
      await reader.waitFor((ms) => ms.length >= published, 20000);
    },
    events<T>(type: string, subject: string): ReadEvent<T>[] {
      return reader.messages
        .map((m) => ({ key: m.key, event: m.json<DubanEvent<T>>() }))
        .filter(({ event }) => event.type === type && event.subject === subject);
    },
    async close() {
      await reader.stop();
      await app.close();
    },
  };
}
