/**
 * Milestone-to-alert latency: how long after a department's milestone event reaches Kafka a
 * supervisor's consumer reads the `duban.alert.raised` it causes, against a baseline in the
 * same run: the same event produced and consumed once, straight through Kafka, which is the
 * least any consumer of it could see.
 *
 *   npm run stack:up   # Kafka, PostgreSQL, Redis
 *   npm run bench:alerts   # BENCH_N tunes it (default 100)
 *
 * The system path is two Kafka hops plus the scheduler's inbox transaction, its outbox and
 * relay: the difference between the two rows is what Duban adds.
 */
process.env.DUBAN_KAFKA_LOG_LEVEL ??= 'nothing';
// Test apps against the local stack (NODE_ENV unset would be production: Kafka credentials required).
process.env.NODE_ENV ??= 'test';
process.env.DUBAN_LOG_LEVEL ??= 'silent';

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Consumer, Producer } from 'kafkajs';
import {
  MilestoneEventData,
  MilestoneEventTypes,
  Topics,
  chinaDate,
  createEvent,
} from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { TestServiceApp, startServiceApp } from '@duban/testing';
import { schedulerSchema } from '../apps/scheduler/src/schema';
import { printTable, summarize } from './stats';

const N = Number(process.env.BENCH_N ?? 100);
if (!Number.isInteger(N) || N < 1) throw new Error(`BENCH_N=${process.env.BENCH_N}: need ≥ 1`);
const TIMEOUT_MS = 20_000;
const WARMUP = 5;
/** Nobody consumes this topic: the baseline's event reaches only our consumer. */
const RAW_TOPIC = Topics.parksIngest;

const now = (): number => performance.now();
const arrivals = new Map<string, number>();

function overdueMilestone(): MilestoneEventData {
  const date = chinaDate(new Date(Date.now() - 3 * 86_400_000));
  return {
    subjectType: 'project',
    subjectId: randomUUID(),
    milestoneId: randomUUID(),
    name: '完成工可批复',
    ownerUnit: 'DRC',
    plannedDate: date,
    currentPlannedDate: date,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
  };
}

async function startConsumer(svc: TestServiceApp): Promise<Consumer> {
  const consumer = svc.topics.kafka.consumer({
    groupId: `duban-bench-${randomUUID()}`,
    maxWaitTimeInMs: 10,
  });
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.connect();
  await consumer.subscribe({
    topics: [svc.topics.name(Topics.alerts), svc.topics.name(RAW_TOPIC)],
    // The topics are this run's own: from the beginning, so no first message can slip past.
    fromBeginning: true,
  });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const at = now();
      const e = JSON.parse(message.value?.toString() ?? '{}') as {
        type: string;
        data: { milestoneId: string };
      };
      const raw = e.type !== 'duban.alert.raised';
      arrivals.set(`${raw ? 'raw' : 'alert'}:${e.data.milestoneId}`, at);
    },
  });
  await joined;
  return consumer;
}

/** Sends one milestone event to `topic` and waits until `key` arrives; returns the latency. */
async function roundTrip(
  producer: Producer,
  topic: string,
  key: (milestoneId: string) => string,
): Promise<number> {
  const data = overdueMilestone();
  const event = createEvent({
    type: MilestoneEventTypes.scheduled,
    service: 'projects',
    subject: data.milestoneId,
    region: '511112',
    data,
  });
  const sent = now();
  await producer.send({
    topic,
    messages: [{ key: data.milestoneId, value: JSON.stringify(event) }],
  });
  const deadline = Date.now() + TIMEOUT_MS;
  while (!arrivals.has(key(data.milestoneId))) {
    if (Date.now() > deadline) throw new Error(`${key(data.milestoneId)} never arrived`);
    await new Promise((r) => setImmediate(r));
  }
  return arrivals.get(key(data.milestoneId))! - sent;
}

async function main(): Promise<void> {
  process.env.DUBAN_SCHEDULER_SWEEP_SECONDS = '3600';
  const svc = await startServiceApp(
    'scheduler',
    schedulerSchema,
    async () => (await import('../apps/scheduler/src/app.module')).AppModule,
  );
  const producer = createIdempotentProducer(svc.topics.kafka);
  let consumer: Consumer | null = null;
  try {
    await producer.connect();
    consumer = await startConsumer(svc);
    const raw: number[] = [];
    const alert: number[] = [];
    // Interleaved, so both rows see the same broker and machine conditions.
    for (let i = 0; i < N + WARMUP; i++) {
      const r = await roundTrip(producer, svc.topics.name(RAW_TOPIC), (id) => `raw:${id}`);
      const a = await roundTrip(producer, svc.topics.name(Topics.projects), (id) => `alert:${id}`);
      if (i < WARMUP) continue;
      raw.push(r);
      alert.push(a);
    }
    printTable([
      { name: 'baseline: produce -> consume', latencies: raw },
      { name: 'milestone event -> alert.raised', latencies: alert },
    ]);
    const [b, s] = [summarize(raw), summarize(alert)];
    console.log(
      `Duban adds p50 +${(s.p50 - b.p50).toFixed(2)} ms, p99 +${(s.p99 - b.p99).toFixed(2)} ms`,
    );
  } finally {
    await consumer?.disconnect();
    await producer.disconnect();
    await svc.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
