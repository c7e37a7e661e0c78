import { INestApplication, Type } from '@nestjs/common';
import { ServiceName } from '@duban/contracts';
import { bootstrapService, fullSchema } from '@duban/platform';
import { ServiceSchema } from '@duban/persistence';
import { TestDatabase, createTestDatabase } from './test-database';
import { TestTopics, createTestTopics } from './test-topics';

export interface TestServiceApp {
  app: INestApplication;
  db: TestDatabase;
  topics: TestTopics;
  close(): Promise<void>;
}

/**
 * Boots a real service app (HTTP + Kafka consumer + relay) on a database and topics of its
 * own. The app module is loaded only after the environment points at them, because
 * PlatformModule reads its configuration when the module is declared.
 */
export async function startServiceApp(
  service: ServiceName,
  schema: ServiceSchema,
  loadModule: () => Promise<Type<unknown>>,
): Promise<TestServiceApp> {
  const [db, topics] = await Promise.all([
    createTestDatabase(service, fullSchema(schema)),
    createTestTopics(service),
  ]);
  process.env[`DUBAN_${service.toUpperCase()}_DB`] = db.config.database;
  process.env.DUBAN_TOPIC_PREFIX = topics.config.topicPrefix;
  // BullMQ queues of this test file only (the topic prefix is unique per file).
  process.env.DUBAN_REDIS_PREFIX = `duban-${topics.config.topicPrefix.replace(/\W+/g, '-')}`;
  const app = await bootstrapService(await loadModule(), 0);
  return {
    app,
    db,
    topics,
    close: async () => {
      await app.close();
      await db.drop();
      await topics.drop();
    },
  };
}
