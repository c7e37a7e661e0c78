/**
 * The one way a service loads its demo data (`npm run seed:<service>`): check the stack, boot
 * the app without HTTP, run the seed through the real services (so events go out through the
 * outbox), wait for the relay to publish them, and exit with a clear message either way.
 */
import { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ServiceName } from '@duban/contracts';
import { databaseConfigFor, pgClientConfig } from '@duban/persistence';

const DRAIN_TIMEOUT_MS = 15000;

export interface SeedResult {
  created: number;
  skipped: number;
}

export interface SeedCliOptions {
  service: ServiceName;
  module: Type<unknown>;
  /** Tables the seed needs; missing ones mean the database was not migrated. */
  tables: string[];
  seed(app: INestApplicationContext, now: Date, say: (line: string) => void): Promise<SeedResult>;
}

class StackNotReady extends Error {}

export function runSeedCli(options: SeedCliOptions): void {
  // The app module's configuration takes an unset NODE_ENV for production, which refuses the
  // dev secrets; demo data is loaded on a developer's machine unless NODE_ENV says otherwise.
  process.env.NODE_ENV ??= 'development';
  const prefix = `[seed:${options.service}]`;
  const say = (line: string): void => void process.stdout.write(`${prefix} ${line}\n`);
  seed(options, say).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${prefix} failed: ${explain(err, prefix)}\n`);
      process.exit(1);
    },
  );
}

async function seed(options: SeedCliOptions, say: (line: string) => void): Promise<void> {
  await preflight(options.service, [...options.tables, 'outbox']);
  const app = await NestFactory.createApplicationContext(options.module, {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    const { created, skipped } = await options.seed(app, new Date(), say);
    const pending = await waitForOutboxDrained(app, DRAIN_TIMEOUT_MS);
    say(`done: ${created} created, ${skipped} skipped (already there)`);
    if (pending > 0) {
      say(
        `warning: ${pending} event(s) still in the outbox after ${DRAIN_TIMEOUT_MS / 1000} s; ` +
          `the ${options.service} service relay publishes them once Kafka is reachable`,
      );
    }
  } finally {
    await app.close();
  }
}

/**
 * Fails fast, with a hint, when the database is down or not migrated: otherwise TypeORM would
 * retry for half a minute before giving up.
 */
async function preflight(service: ServiceName, tables: string[]): Promise<void> {
  const db = databaseConfigFor(service);
  const where = `${db.database} on ${db.host}:${db.port}`;
  const client = new Client({ ...pgClientConfig(db), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new StackNotReady(
      `cannot reach the ${service} database ${where}: ${(err as Error).message}`,
    );
  }
  try {
    const { rows } = await client.query<{ missing: string[] | null }>(
      `SELECT array_agg(t) FILTER (WHERE to_regclass(t) IS NULL) AS missing
         FROM unnest($1::text[]) AS t`,
      [tables],
    );
    if (rows[0].missing?.length) {
      throw new StackNotReady(`${where} lacks tables ${rows[0].missing.join(', ')}: not migrated`);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The relay started with the app: give it time to publish, so the events leave now. */
async function waitForOutboxDrained(
  app: INestApplicationContext,
  timeoutMs: number,
): Promise<number> {
  const ds = app.get(DataSource);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ pending }] = await ds.query<{ pending: number }[]>(
      'SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL',
    );
    if (pending === 0 || Date.now() > deadline) return pending;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function explain(err: unknown, prefix: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof StackNotReady || /ECONNREFUSED/.test(message)) {
    return `${message}\n${prefix} is the stack up? run: npm run stack:up (it also migrates)`;
  }
  return message;
}
