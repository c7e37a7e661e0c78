import Redis from 'ioredis';
import { Admin, Kafka } from 'kafkajs';
import { DubanKafkaServer } from '@duban/messaging';
import { DataSource } from 'typeorm';

/** `detail`: what an operator should see even while up, e.g. partitions being held back. */
export type CheckResult =
  { status: 'up'; detail?: unknown } | { status: 'down'; error: string; detail?: unknown };
export type Check = (() => Promise<CheckResult>) & { close?: () => Promise<void> };

const TIMEOUT_MS = 2000;

async function timed(name: string, probe: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`${name} did not answer in ${TIMEOUT_MS} ms`)),
            TIMEOUT_MS,
          )),
      ),
    ]);
    return { status: 'up' };
  } catch (err) {
    return { status: 'down', error: (err as Error).message };
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

export const redisCheck =
  (redis: Redis): Check =>
  () =>
    timed('redis', () => redis.ping());

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
    return ok ? { status: 'up', detail } : { status: 'down', error: problems.join('; '), detail };
  };
