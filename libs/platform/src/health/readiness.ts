import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { Admin, Kafka } from 'kafkajs';
import { DubanKafkaServer } from '@duban/messaging';
import { DataSource } from 'typeorm';

/**
 * `reason`: generic words for a down dependency (`timeout`, `unreachable`), never the driver's
 * error text, which can carry hosts, users and versions to anyone who can reach the probe; the
 * text goes to the log. `detail`: what an operator should see even while up, e.g. partitions
 * being held back.
 */
export type CheckResult =
  { status: 'up'; detail?: unknown } | { status: 'down'; reason: string; detail?: unknown };
export type Check = (() => Promise<CheckResult>) & { close?: () => Promise<void> };

const TIMEOUT_MS = 2000;
const logger = new Logger('readiness');

async function timed(name: string, probe: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS);
  });
  try {
    if ((await Promise.race([probe(), timeout])) !== 'timeout') return { status: 'up' };
    logger.warn(`${name} did not answer in ${TIMEOUT_MS} ms`);
    return { status: 'down', reason: 'timeout' };
  } catch (err) {
    logger.warn(`${name} is down: ${(err as Error).message}`);
    return { status: 'down', reason: 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

export const databaseCheck =
  (ds: DataSource): Check =>
  () =>
    timed('database', () => ds.query('SELECT 1'));

/** A health admin of its own that does not retry: readiness must answer fast when Kafka is down. */
export function kafkaCheck(kafka: Kafka): Check {
  let admin: Admin | null = null;
  const disconnect = async (): Promise<void> => {
    const stale = admin;
    admin = null;
    await stale?.disconnect().catch(() => undefined);
  };
  const check: Check = () =>
    timed('kafka', async () => {
      try {
        if (!admin) {
          admin = kafka.admin({ retry: { retries: 0 } });
          await admin.connect();
        }
        await admin.describeCluster();
      } catch (err) {
        await disconnect();
        throw err;
      }
    });
  check.close = disconnect;
  return check;
}

export const redisCheck = (redis: Redis): Check => {
  // The probe's own answer says Redis is down; ioredis would also print every failed reconnect
  // as an unhandled 'error' event, once a second for as long as the outage lasts.
  redis.on('error', () => undefined);
  return () => timed('redis', () => redis.ping());
};

/**
 * The consumer itself: down when kafkajs has given up on it, or a partition has been held back
 * (or a handler busy) past the consumer's limit, naming the topic; held-back partitions and their
 * age are listed even while up, since a short stall (a database failover) is waited out.
 */
export const consumerCheck =
  (server: DubanKafkaServer): Check =>
  async () => {
    const { ok, problems, stalled } = server.report();
    const detail = stalled.length ? { stalled } : undefined;
    return ok ? { status: 'up', detail } : { status: 'down', reason: problems.join('; '), detail };
  };
