import type { ClientConfig } from 'pg';
import { z } from 'zod';
import {
  describeIssues,
  envOptionalText,
  envText,
  envWholeNumber,
  validate,
} from '@duban/contracts';

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

/** The database variables of `service` (see the README's configuration table). */
export function databaseEnv(service: string) {
  const database = envText(`duban_${service}`);
  // Loose: the database's variable is named after the service, a key zod cannot type.
  return z
    .looseObject({
      DUBAN_PG_HOST: envText('127.0.0.1'),
      DUBAN_PG_PORT: envWholeNumber(5432, 1, 65535),
      DUBAN_PG_USER: envText('postgres'),
      DUBAN_PG_PASSWORD: envOptionalText,
      // Five services × replicas share max_connections (100 by default): keep pools small.
      DUBAN_PG_POOL_SIZE: envWholeNumber(5, 1, 100),
    })
    .transform((env): DatabaseConfig => ({
      host: env.DUBAN_PG_HOST,
      port: env.DUBAN_PG_PORT,
      user: env.DUBAN_PG_USER,
      password: env.DUBAN_PG_PASSWORD,
      database: database.parse(env[`DUBAN_${service.toUpperCase()}_DB`]),
      poolSize: env.DUBAN_PG_POOL_SIZE,
    }));
}

/** For the CLIs and test helpers; a service gets its database through its configuration. */
export function databaseConfigFor(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseConfig {
  const result = validate(databaseEnv(service), env);
  if (!result.ok)
    throw new Error(`invalid database configuration: ${describeIssues(result.issues)}`);
  return result.value;
}
