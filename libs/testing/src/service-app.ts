import { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ServiceName } from '@duban/contracts';
import { CONFIG_ENV, Env, SERVICE_APP_OPTIONS, fullSchema, startService } from '@duban/platform';
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
 * Starts an app module as main.ts would, its configuration parsed from this process's
 * environment with `env` laid over it: the CONFIG_ENV provider is overridden, process.env is
 * left alone, so two apps of one test file can run with different settings.
 */
export async function startTestApp(
  appModule: Type<unknown>,
  env: Env = {},
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [appModule] })
    .overrideProvider(CONFIG_ENV)
    // A test app even outside jest (the benches run with NODE_ENV unset, which is production).
    .useValue({ NODE_ENV: 'test', ...process.env, ...env })
    .compile();
  return startService(moduleRef.createNestApplication(SERVICE_APP_OPTIONS));
}

/**
 * Boots a real service app (HTTP + Kafka consumer + relay) on a database and topics of its
 * own, on a free port; `env` adds or overrides settings (e.g. NODE_ENV=production).
 */
export async function startServiceApp(
  service: ServiceName,
  schema: ServiceSchema,
  loadModule: () => Promise<Type<unknown>>,
  env: Env = {},
): Promise<TestServiceApp> {
  const [db, topics] = await Promise.all([
    createTestDatabase(service, fullSchema(schema)),
    createTestTopics(service),
  ]);
  const drop = async (): Promise<void> => {
    await db.drop();
    await topics.drop();
  };
  const name = service.toUpperCase();
  let app: INestApplication;
  try {
    app = await startTestApp(await loadModule(), {
      [`DUBAN_${name}_DB`]: db.config.database,
      [`DUBAN_${name}_PORT`]: '0',
      DUBAN_TOPIC_PREFIX: topics.config.topicPrefix,
      // BullMQ queues of this test file only (the topic prefix is unique per file).
      DUBAN_REDIS_PREFIX: `duban-${topics.config.topicPrefix.replace(/\W+/g, '-')}`,
      ...env,
    });
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    app,
    db,
    topics,
    close: async () => {
      await app.close();
      await drop();
    },
  };
}
