import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  DatabaseConfig,
  ServiceSchema,
  dataSourceOptions,
  databaseConfigFor,
  migrate,
  pgClientConfig,
} from '@duban/persistence';

export interface TestDatabase {
  config: DatabaseConfig;
  dataSource: DataSource;
  drop(): Promise<void>;
}

/**
 * A fresh database on the real PostgreSQL for one test file, built by the real migrations
 * (so the migrations are tested too), dropped at the end.
 */
export async function createTestDatabase(
  label: string,
  schema: ServiceSchema,
): Promise<TestDatabase> {
  const config: DatabaseConfig = {
    ...databaseConfigFor('test'),
    database: `duban_test_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`,
  };
  await migrate(config, schema);
  const dataSource = new DataSource(dataSourceOptions(config, schema));
  await dataSource.initialize();
  return {
    config,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabase(config);
    },
  };
}

async function dropDatabase(config: DatabaseConfig): Promise<void> {
  const admin = new Client(pgClientConfig(config, 'postgres'));
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${config.database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
