/**
 * Outbox commit-to-publish latency, against a direct-produce baseline, in one run.
 *
 *   npm run stack:up   # Kafka on 127.0.0.1:9092, PostgreSQL on 127.0.0.1:5432
 *   npm run bench      # BENCH_N, BENCH_PACE_MS, BENCH_BURST, BENCH_WRITERS tune it
 *
 * See bench/README.md for what each row means.
 */
// createKafka reads this when it is called; kafkajs would otherwise log every retry as ERROR.
process.env.DUBAN_KAFKA_LOG_LEVEL ??= 'nothing';
// Test apps against the local stack (NODE_ENV unset would be production: Kafka credentials required).
process.env.NODE_ENV ??= 'test';

import { randomUUID } from 'node:crypto';
import { cpus, platform, release } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Consumer, Kafka, Producer } from 'kafkajs';
import { pgClientConfig } from '@duban/persistence';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  DubanEvent,
  KafkaHeaders,
  Topics,
  outboxCheckpointSpec,
} from '@duban/contracts';
import {
  InboxRecord,
  MessagingTables1764316800000,
  OutboxMessage,
  OutboxRelay,
  addToOutbox,
  createIdempotentProducer,
} from '@duban/messaging';
import { Row, printTable, summarize } from './stats';
import {
  TestDatabase,
  TestTopics,
  createTestDatabase,
  createTestTopics,
  sampleMilestoneEvent,
} from '@duban/testing';

// ---- options -------------------------------------------------------------------------------

function numberEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${name}=${raw}: need a number ≥ ${min}`);
  return value;
}

const N = Math.floor(numberEnv('BENCH_N', 500, 1));
const PACE_MS = numberEnv('BENCH_PACE_MS', 5, 0);
const BURST = Math.floor(numberEnv('BENCH_BURST', 2000, 0));
const WRITERS = Math.floor(numberEnv('BENCH_WRITERS', 8, 1));
const WARMUP = 20;
const RECEIVE_TIMEOUT_MS = 30_000;
const WATCHDOG_MS = 170_000;

// The burst's writers each hold a pooled connection for their transaction; the default pool
// (5) would make them queue in the pool rather than in the outbox. Read by createTestDatabase.
process.env.DUBAN_PG_POOL_SIZE ??= String(WRITERS + 2);

const SERVICE = 'projects';
const schema = {
  entities: [OutboxMessage, InboxRecord],
  migrations: [MessagingTables1764316800000],
};

// One monotonic clock (ms, sub-ms resolution) for every timestamp: writers and the consumer
// run in this process, so send, commit and receive times are directly comparable.
const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- receiving -----------------------------------------------------------------------------

/**
 * One read_committed consumer on every topic the bench writes to: records when each event id
 * first arrives, counts repeats, and notes which relay batch (checkpoint record) carried it.
 */
class Receiver {
  private readonly received = new Map<string, number>();
  private readonly batchOf = new Map<string, number>();
  private batches = 0;
  duplicates = 0;
  private consumer: Consumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly eventTopics: string[],
    private readonly checkpointTopic: string,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `duban-bench-${randomUUID()}`,
      readUncommitted: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.eventTopics, this.checkpointTopic],
      fromBeginning: true,
    });
    await consumer.run({
      autoCommit: false, // offsets are never needed again; committing them only adds broker load
      eachMessage: async ({ topic, message }) => {
        const at = now(); // first thing: parsing must not count as latency
        const value = message.value?.toString() ?? 'null';
        if (topic === this.checkpointTopic) {
          const batch = this.batches++;
          for (const id of (JSON.parse(value) as { eventIds: string[] }).eventIds)
            this.batchOf.set(id, batch);
          return;
        }
        const id = (JSON.parse(value) as { id: string }).id;
        if (this.received.has(id)) this.duplicates++;
        else this.received.set(id, at);
      },
    });
    await withTimeout(joined, 30_000, 'consumer never joined its group');
  }

  at(id: string): number {
    const t = this.received.get(id);
    if (t === undefined) throw new Error(`event ${id} was never received`);
    return t;
  }

  /** Relay transactions that carried these events (from the relay's checkpoint records). */
  batchesFor(ids: readonly string[]): number {
    return new Set(ids.map((id) => this.batchOf.get(id)).filter((b) => b !== undefined)).size;
  }

  async waitFor(ids: readonly string[], timeoutMs = RECEIVE_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = ids.filter((id) => !this.received.has(id)).length;
      if (missing === 0) return;
      if (Date.now() > deadline)
        throw new Error(`${missing} of ${ids.length} events not received in ${timeoutMs} ms`);
      await sleep(10);
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

// ---- the two ways of publishing ------------------------------------------------------------

interface Sample {
  id: string;
  /** send() called / transaction begun */
  start: number;
  /** send() acknowledged / commit returned */
  done: number;
}

type Publish = (event: DubanEvent) => Promise<void>;

function viaOutbox(db: TestDatabase): Publish {
  return (event) => db.dataSource.transaction((m) => addToOutbox(m, Topics.projects, [event]));
}

function direct(producer: Producer, topic: string): Publish {
  return async (event) => {
    await producer.send({
      topic,
      acks: -1,
      // As the relay sends it: same key, value and headers.
      messages: [
        {
          key: event.partitionkey,
          value: JSON.stringify(event),
          headers: {
            [KafkaHeaders.eventType]: event.type,
            [KafkaHeaders.contentType]: CLOUDEVENTS_CONTENT_TYPE,
          },
        },
      ],
    });
  };
}

async function timed(publish: Publish): Promise<Sample> {
  const event = sampleMilestoneEvent();
  const start = now();
  await publish(event);
  return { id: event.id, start, done: now() };
}

/** One at a time, `pace` ms between the end of one and the start of the next. */
async function paced(publish: Publish, count: number, pace: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    samples.push(await timed(publish));
    if (pace > 0) await sleep(pace);
  }
  return samples;
}

/** `writers` concurrent loops, each publishing its share back to back. */
async function burst(publish: Publish, count: number, writers: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < count) {
        next++;
        samples.push(await timed(publish));
      }
    }),
  );
  return samples;
}

// ---- statistics ----------------------------------------------------------------------------

function latencies(samples: Sample[], receiver: Receiver, from: 'start' | 'done'): number[] {
  return samples.map((s) => receiver.at(s.id) - s[from]);
}

function throughput(samples: Sample[], receiver: Receiver): number {
  const first = Math.min(...samples.map((s) => s.start));
  const last = Math.max(...samples.map((s) => receiver.at(s.id)));
  return (samples.length / (last - first)) * 1000;
}

// ---- plumbing ------------------------------------------------------------------------------

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(20);
  }
}

const log = (line: string): void => void process.stderr.write(`# ${line}\n`);

// ---- the run -------------------------------------------------------------------------------

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | null = null;

/** Undo everything set up so far, newest first; a failing step does not stop the others. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      await withTimeout(step(), 20_000, 'cleanup step timed out').catch((err: unknown) =>
        log(`cleanup: ${(err as Error).message}`),
      );
    }
  })();
  return cleaning;
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log('Outbox commit-to-publish latency vs direct produce');
  console.log(
    `N=${N}  pace=${PACE_MS} ms  burst=${BURST} events / ${WRITERS} writers  warm-up=${WARMUP} per path`,
  );
  console.log(
    `machine: ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${platform()} ${release()}`,
  );

  log('creating database and topics');
  const [dbResult, topicsResult] = await Promise.allSettled([
    createTestDatabase('bench', schema),
    createTestTopics('bench'),
  ]);
  if (dbResult.status === 'fulfilled') cleanups.push(() => dbResult.value.drop());
  if (topicsResult.status === 'fulfilled') cleanups.push(() => topicsResult.value.drop());
  if (dbResult.status === 'rejected') throw dbResult.reason;
  if (topicsResult.status === 'rejected') throw topicsResult.reason;
  const db = dbResult.value;
  const topics: TestTopics = topicsResult.value;

  const relayTopic = topics.name(Topics.projects);
  const baselineTopic = topics.name(Topics.parks);
  const receiver = new Receiver(
    topics.kafka,
    [relayTopic, baselineTopic],
    outboxCheckpointSpec(SERVICE, topics.config.topicPrefix).name,
  );
  cleanups.push(() => receiver.stop());
  await receiver.start();

  const relayWarnings: string[] = [];
  const relay = new OutboxRelay({
    service: SERVICE,
    pg: pgClientConfig(db.config),
    kafka: topics.kafka,
    topicPrefix: topics.config.topicPrefix,
    logger: { log: () => undefined, warn: (m) => void relayWarnings.push(m) },
    // default pollIntervalMs (2 s): NOTIFY is what should wake it
  });
  cleanups.push(() => relay.stop());
  relay.start();
  await waitUntil(() => relay.state === 'active', 30_000, 'relay did not become active');

  const producer = createIdempotentProducer(topics.kafka);
  cleanups.push(() => producer.disconnect());
  await producer.connect();

  const outbox = viaOutbox(db);
  const produce = direct(producer, baselineTopic);

  log('warming up');
  for (const publish of [produce, outbox]) {
    const warm = await paced(publish, WARMUP, PACE_MS);
    await receiver.waitFor(warm.map((s) => s.id));
  }

  log(`baseline: ${N} paced sends`);
  const basePaced = await paced(produce, N, PACE_MS);
  await receiver.waitFor(basePaced.map((s) => s.id));

  log(`relay: ${N} paced transactions`);
  const relayPaced = await paced(outbox, N, PACE_MS);
  await receiver.waitFor(relayPaced.map((s) => s.id));

  let baseBurst: Sample[] = [];
  let relayBurst: Sample[] = [];
  if (BURST > 0) {
    log(`baseline: burst of ${BURST}`);
    baseBurst = await burst(produce, BURST, WRITERS);
    await receiver.waitFor(baseBurst.map((s) => s.id));
    log(`relay: burst of ${BURST}`);
    relayBurst = await burst(outbox, BURST, WRITERS);
    await receiver.waitFor(relayBurst.map((s) => s.id));
  }
  await sleep(500); // let any duplicate show up before counting them

  const rows: Row[] = [
    {
      name: 'baseline paced   (send start -> receive)',
      latencies: latencies(basePaced, receiver, 'start'),
    },
    {
      name: 'relay paced      (commit -> receive)',
      latencies: latencies(relayPaced, receiver, 'done'),
    },
    {
      name: 'relay paced      (tx begin -> receive)',
      latencies: latencies(relayPaced, receiver, 'start'),
    },
  ];
  if (BURST > 0) {
    rows.push(
      {
        name: `baseline burst x${WRITERS} (send start -> receive)`,
        latencies: latencies(baseBurst, receiver, 'start'),
        throughput: throughput(baseBurst, receiver),
      },
      {
        name: `relay burst x${WRITERS}    (commit -> receive)`,
        latencies: latencies(relayBurst, receiver, 'done'),
        throughput: throughput(relayBurst, receiver),
      },
    );
  }
  console.log('');
  printTable(rows);

  const base = summarize(rows[0].latencies);
  const rel = summarize(rows[1].latencies);
  const perEvent = (samples: Sample[]): string => {
    const s = summarize(samples.map((x) => x.done - x.start));
    return `p50 ${s.p50.toFixed(2)} / p99 ${s.p99.toFixed(2)} ms`;
  };
  const batches = (phase: string, samples: Sample[]): string => {
    const count = receiver.batchesFor(samples.map((s) => s.id));
    return `${phase} ${count} for ${samples.length} events (${(samples.length / count).toFixed(1)} per transaction)`;
  };
  console.log('');
  console.log(
    `relay overhead over baseline (paced, commit -> receive vs send start -> receive): ` +
      `p50 +${(rel.p50 - base.p50).toFixed(2)} ms, p99 +${(rel.p99 - base.p99).toFixed(2)} ms`,
  );
  console.log(
    `writer call time: baseline send ${perEvent(basePaced)}; outbox transaction ${perEvent(relayPaced)}`,
  );
  console.log(
    `relay Kafka transactions: ${batches('paced', relayPaced)}` +
      (BURST > 0 ? `; ${batches('burst', relayBurst)}` : ''),
  );
  if (BURST > 0) {
    const rate = (samples: Sample[]): string =>
      (
        (samples.length /
          (Math.max(...samples.map((s) => s.done)) - Math.min(...samples.map((s) => s.start)))) *
        1000
      ).toFixed(0);
    console.log(
      `burst write rate (calls returned/s): baseline ${rate(baseBurst)}, outbox ${rate(relayBurst)}`,
    );
  }
  const over = (ms: number): number => rows[1].latencies.filter((l) => l > ms).length;
  console.log(
    `paced relay events over 100 ms: ${over(100)}, over 1 s: ${over(1000)} ` +
      `(a missed NOTIFY would wait for the 2 s poll)`,
  );
  console.log(
    `duplicates received: ${receiver.duplicates}; relay warnings: ${relayWarnings.length}`,
  );
  for (const w of relayWarnings.slice(0, 5)) console.log(`  relay warned: ${w}`);
  if (receiver.duplicates > 0) throw new Error(`${receiver.duplicates} events arrived twice`);
}

const watchdog = setTimeout(() => {
  log(`gave up after ${WATCHDOG_MS / 1000} s`);
  void cleanUp().finally(() => process.exit(1));
}, WATCHDOG_MS);
watchdog.unref();

let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  log('interrupted');
  void cleanUp().finally(() => process.exit(130));
});

main()
  .then(
    () => 0,
    (err: unknown) => {
      if (interrupted) return 130; // the SIGINT handler is already cleaning up and exiting
      console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
      return 1;
    },
  )
  .then(async (code) => {
    log('cleaning up');
    await cleanUp();
    // kafkajs and pg may keep timers alive for a while after disconnecting.
    process.exit(code);
  });
