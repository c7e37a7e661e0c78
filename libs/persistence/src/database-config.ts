import type { ClientConfig } from 'pg';

/** Where a service's database lives. One database per service: `duban_<service>`. */
export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  poolSize: number;
}

/**
 * A plain pg connection to the service's database (or another on the same server): for the
 * outbox relay's dedicated session and for administrative statements.
 */
export function pgClientConfig(db: DatabaseConfig, database = db.database): ClientConfig {
  return { host: db.host, port: db.port, user: db.user, password: db.password, database };
}

export function databaseConfigFor(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseConfig {
  return {
    host: env.DUBAN_PG_HOST ?? '127.0.0.1',
    port: Number(env.DUBAN_PG_PORT ?? 5432),
    user: env.DUBAN_PG_USER ?? 'postgres',
    password: env.DUBAN_PG_PASSWORD || undefined,
    database: env[`DUBAN_${service.toUpperCase()}_DB`] ?? `duban_${service}`,
    // Five services × replicas share max_connections (100 by default): keep pools small.
    poolSize: Number(env.DUBAN_PG_POOL_SIZE ?? 5),
  };
}
