import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { Client } from 'pg';
import { DatabaseConfig, pgClientConfig } from './database-config';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface ServiceSchema {
  entities: NonNullable<PostgresConnectionOptions['entities']>;
  migrations: NonNullable<PostgresConnectionOptions['migrations']>;
}

/**
 * A pooled connection that always has an `error` listener. When PostgreSQL ends a session
 * (failover, `pg_terminate_backend`), node-postgres may emit `error` twice on its client: TypeORM
 * removes its own listener after the first and hands the client back, so the second had no
 * listener and crashed the whole process. The query that hit the dead connection still fails
 * (and is retried by whoever ran it); this only keeps a stray event from killing the service.
 */
export class ResilientClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => undefined);
  }
}

/**
 * TypeORM options for one service. Never `synchronize`: the schema comes from migrations,
 * run as a step (`npm run migrate`), not by every replica at boot.
 */
export function dataSourceOptions(
  db: DatabaseConfig,
  schema: ServiceSchema,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    host: db.host,
    port: db.port,
    username: db.user,
    password: db.password,
    database: db.database,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: db.poolSize, Client: ResilientClient },
  };
}

/** Creates the database if it is missing (CREATE DATABASE cannot run in a transaction). */
export async function ensureDatabase(db: DatabaseConfig): Promise<boolean> {
  const admin = new Client(pgClientConfig(db, 'postgres'));
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.database]);
    if (found.rowCount) return false;
    await admin.query(`CREATE DATABASE "${db.database.replace(/"/g, '')}"`);
    return true;
  } finally {
    await admin.end();
  }
}

/** Creates the database when needed and applies pending migrations; returns their names. */
export async function migrate(db: DatabaseConfig, schema: ServiceSchema): Promise<string[]> {
  await ensureDatabase(db);
  const ds = new DataSource(dataSourceOptions(db, schema));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
