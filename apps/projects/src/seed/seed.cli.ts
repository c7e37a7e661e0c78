/**
 * `npm run seed:projects`: registers the demo key projects of the county report (region
 * 511112) in the projects database, through the real services, so their events reach Kafka
 * through the outbox. Idempotent: run it as often as you like. Needs the stack up
 * (`npm run stack:up`, which also migrates).
 */
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseConfigFor, pgClientConfig } from '@duban/persistence';
import { AppModule } from '../app.module';
import { seedDemoProjects } from './seed';

const PREFIX = '[seed:projects]';
const DRAIN_TIMEOUT_MS = 15000;

const say = (line: string): void => void process.stdout.write(`${PREFIX} ${line}\n`);

async function main(): Promise<void> {
  await preflight();
  const app = await NestFactory.createApplicationContext(AppModule, {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    const { created, skipped } = await seedDemoProjects(app, new Date(), say);
    const pending = await waitForOutboxDrained(app, DRAIN_TIMEOUT_MS);
    say(`done: ${created} created, ${skipped} skipped (already there)`);
    if (pending > 0) {
      say(
        `warning: ${pending} event(s) still in the outbox after ${DRAIN_TIMEOUT_MS / 1000} s; ` +
          'the projects service relay publishes them once Kafka is reachable',
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
async function preflight(): Promise<void> {
  const db = databaseConfigFor('projects');
  const where = `${db.database} on ${db.host}:${db.port}`;
  const client = new Client({ ...pgClientConfig(db), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new StackNotReady(
      `cannot reach the projects database ${where}: ${(err as Error).message}`,
    );
  }
  try {
    const { rows } = await client.query<{ missing: string[] }>(
      `SELECT array_agg(t) FILTER (WHERE to_regclass(t) IS NULL) AS missing
         FROM unnest(ARRAY['projects', 'milestones', 'progress_reports', 'outbox']) AS t`,
    );
    if (rows[0].missing?.length) {
      throw new StackNotReady(`${where} lacks tables ${rows[0].missing.join(', ')}: not migrated`);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

class StackNotReady extends Error {}

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

function explain(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof StackNotReady || /ECONNREFUSED/.test(message)) {
    return `${message}\n${PREFIX} is the stack up? run: npm run stack:up (it also migrates)`;
  }
  return message;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${PREFIX} failed: ${explain(err)}\n`);
    process.exit(1);
  },
);
