/** Where a service's database lives. One database per service: `duban_<service>`. */
export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  poolSize: number;
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
