/**
 * How fast the outbox relay drains a backlog, against kafkajs `sendBatch` of the same records, in
 * one run.
 *
 *   npm run stack:up                        # Kafka on 127.0.0.1:9092, PostgreSQL on 127.0.0.1:5432
 *   npm run bench:relay -- --rows 100000    # --send-batch <n> sets the baseline's batch size
 *
 * See bench/README.md ("relay-drain.bench.ts") for what each row means. The last line printed is
 * one JSON object: relayDrainEventsPerSec, baselineSendBatchPerSec, ratio, rows.
 */
// createKafka reads this when it is called; kafkajs would otherwise log every retry as ERROR.
process.env.DUBAN_KAFKA_LOG_LEVEL ??= 'nothing';
// Test apps against the local stack (NODE_ENV unset would be production: Kafka credentials required).
process.env.NODE_ENV ??= 'test';

import { randomUUID } from 'node:crypto';
import { cpus, loadavg, platform, release } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Consumer, Kafka, Message, Producer } from 'kafkajs';
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
  MessagingRetentionIndexes1795981263745,
  OutboxMessage,
  OutboxRelay,
  createIdempotentProducer,
} from '@duban/messaging';
import { Row, printTable } from './stats';
import {
  TestDatabase,
  createTestDatabase,
  createTestTopics,
  sampleMilestoneEvent,
} from '@duban/testing';

// ---- options -------------------------------------------------------------------------------

function flag(name: string, fallback: number, min: number): number {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const raw = args[at].includes('=') ? args[at].split('=')[1] : args[at + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} ${raw}: need a whole number ≥ ${min}`);
  return value;
}

const ROWS = flag('rows', 100_000, 1);
/** kafkajs sendBatch calls of this many records each: a producer's sensible batch. */
const SEND_BATCH = flag('send-batch', 1000, 1);
/** Events per key: ROWS / this many distinct keys (aggregates), each with steps 1..n in order. */
const PER_KEY = 10;
const INSERT_CHUNK = 2000;
const DRAIN_TIMEOUT_MS = 600_000;
const VERIFY_TIMEOUT_MS = 300_000;
const WATCHDOG_MS = 1_500_000;

const SERVICE = 'projects';
const schema = {
  entities: [OutboxMessage, InboxRecord],
  migrations: [MessagingTables1764316800000, MessagingRetentionIndexes1795981263745],
};

const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => void process.stderr.write(`# ${line}\n`);

// ---- the records ---------------------------------------------------------------------------

interface BenchRecord {
  event: DubanEvent;
  headers: Record<string, string>;
}

/** ROWS milestone events over ROWS / PER_KEY keys, interleaved: key i % K gets step ⌊i / K⌋ + 1. */
function makeRecords(): BenchRecord[] {
  const keys = Array.from({ length: Math.max(1, Math.ceil(ROWS / PER_KEY)) }, () => randomUUID());
  return Array.from({ length: ROWS }, (_, i) => {
    const event = sampleMilestoneEvent(keys[i % keys.length], Math.floor(i / keys.length) + 1);
    // As addToOutbox writes them: a correlation id (one per request) and the event type.
    const headers = {
      [KafkaHeaders.correlationId]: `bench-${i % 997}`,
      [KafkaHeaders.eventType]: event.type,
    };
    return { event, headers };
  });
}

/** The message the relay makes of a row: same key, value and headers. */
const asMessage = (r: BenchRecord): Message => ({
  key: r.event.partitionkey,
  value: JSON.stringify(r.event),
  headers: { ...r.headers, [KafkaHeaders.contentType]: CLOUDEVENTS_CONTENT_TYPE },
});

/** All rows in one transaction, bulk-inserted: the backlog appears at once, at commit. */
async function insertBacklog(pg: Client, records: BenchRecord[]): Promise<void> {
  await pg.query('BEGIN');
  try {
    for (let i = 0; i < records.length; i += INSERT_CHUNK) {
      const chunk = records.slice(i, i + INSERT_CHUNK);
      await pg.query(
        `INSERT INTO outbox (event_id, topic, aggregate_type, aggregate_id, event_type, payload, headers)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[])`,
        [
          chunk.map((r) => r.event.id),
          chunk.map(() => Topics.projects),
          chunk.map((r) => r.event.type.split('.')[1]),
          chunk.map((r) => r.event.partitionkey),
          chunk.map((r) => r.event.type),
          chunk.map((r) => JSON.stringify(r.event)),
          chunk.map((r) => JSON.stringify(r.headers)),
        ],
      );
    }
    await pg.query(`SELECT pg_notify('duban_outbox', '')`);
    await pg.query('COMMIT');
  } catch (err) {
    await pg.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

// ---- the baseline ---------------------------------------------------------------------------

interface SendBatchRun {
  when: string;
  seconds: number;
  calls: number;
  /** Per record: run start -> its sendBatch call acknowledged. */
  latencies: number[];
}

async function sendBatchRun(
  producer: Producer,
  topic: string,
  messages: Message[],
  when: string,
): Promise<SendBatchRun> {
  log(
    `baseline ${when} the relay: sendBatch of ${messages.length} records, ${SEND_BATCH} per call`,
  );
  const latencies: number[] = [];
  let calls = 0;
  const start = now();
  for (let i = 0; i < messages.length; i += SEND_BATCH) {
    const batch = messages.slice(i, i + SEND_BATCH);
    await producer.sendBatch({ topicMessages: [{ topic, messages: batch }], acks: -1 });
    calls++;
    const done = now();
    for (let j = 0; j < batch.length; j++) latencies.push(done - start);
  }
  return { when, seconds: (now() - start) / 1000, calls, latencies };
}

// ---- verification --------------------------------------------------------------------------

interface TopicCheck {
  count: number;
  duplicates: number;
  outOfOrder: number;
}

/**
 * After both timed phases: read both topics (read_committed) and the checkpoint topic from the
 * beginning; every record once, each key's steps ascending.
 */
async function verify(
  kafka: Kafka,
  topics: string[],
  checkpointTopic: string,
): Promise<{ byTopic: Map<string, TopicCheck>; checkpoints: number }> {
  const byTopic = new Map(topics.map((t) => [t, { count: 0, duplicates: 0, outOfOrder: 0 }]));
  const seen = new Map(topics.map((t) => [t, new Set<string>()]));
  const lastStep = new Map(topics.map((t) => [t, new Map<string, number>()]));
  let checkpoints = 0;
  const consumer: Consumer = kafka.consumer({
    groupId: `duban-bench-relay-${randomUUID()}`,
    sessionTimeout: 30_000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 200,
    maxBytes: 50 * 1024 * 1024,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics, checkpointTopic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.topic === checkpointTopic) {
          checkpoints += batch.messages.length;
          return;
        }
        const check = byTopic.get(batch.topic)!;
        const ids = seen.get(batch.topic)!;
        const steps = lastStep.get(batch.topic)!;
        for (const m of batch.messages) {
          const e = JSON.parse(m.value!.toString()) as { id: string; data: { name: string } };
          check.count++;
          if (ids.has(e.id)) check.duplicates++;
          ids.add(e.id);
          const key = m.key!.toString();
          const step = Number(e.data.name.slice('step-'.length));
          if (step <= (steps.get(key) ?? 0)) check.outOfOrder++;
          steps.set(key, step);
        }
      },
    });
    const deadline = Date.now() + VERIFY_TIMEOUT_MS;
    while ([...byTopic.values()].some((c) => c.count < ROWS)) {
      if (Date.now() > deadline) break;
      await sleep(200);
    }
    await sleep(1000); // anything extra would show up now
  } finally {
    await consumer.disconnect();
  }
  return { byTopic, checkpoints };
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

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | null = null;

/** Undo everything set up so far, newest first; a failing step does not stop the others. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      await withTimeout(step(), 30_000, 'cleanup step timed out').catch((err: unknown) =>
        log(`cleanup: ${(err as Error).message}`),
      );
    }
  })();
  return cleaning;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// ---- the run -------------------------------------------------------------------------------

async function main(): Promise<void> {
  const cpu = cpus();
  console.log('Outbox relay backlog drain vs kafkajs sendBatch of the same records');
  console.log(
    `rows=${ROWS}  keys=${Math.ceil(ROWS / PER_KEY)}  baseline sendBatch=${SEND_BATCH} records/call  ` +
      `relay batch=${process.env.DUBAN_OUTBOX_BATCH_SIZE ?? 'default'}`,
  );
  console.log(
    `machine: ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${platform()} ${release()}; load at start ${load()}`,
  );

  log('creating database and topics');
  const [dbResult, topicsResult] = await Promise.allSettled([
    createTestDatabase('bench_relay', schema),
    createTestTopics('bench-relay'),
  ]);
  if (dbResult.status === 'fulfilled') cleanups.push(() => dbResult.value.drop());
  if (topicsResult.status === 'fulfilled') cleanups.push(() => topicsResult.value.drop());
  if (dbResult.status === 'rejected') throw dbResult.reason;
  if (topicsResult.status === 'rejected') throw topicsResult.reason;
  const db: TestDatabase = dbResult.value;
  const topics = topicsResult.value;
  // Same spec (domain topics: same partitions and retention), all three fresh.
  const relayTopic = topics.name(Topics.projects);
  const baselineTopics = [topics.name(Topics.parks), topics.name(Topics.transport)];
  const checkpointTopic = outboxCheckpointSpec(SERVICE, topics.config.topicPrefix).name;

  log(`making ${ROWS} events`);
  const records = makeRecords();
  const messages = records.map(asMessage);

  // (a) Baseline: a plain idempotent producer (acks -1), sendBatch in batches, in series. It
  // runs before the relay and again after it, each time to a fresh topic: the machine's load
  // drifts, and the relay is compared with the two runs together.
  const producer = createIdempotentProducer(topics.kafka);
  cleanups.push(() => producer.disconnect());
  await producer.connect();
  const baseline = (topic: string, when: string) => sendBatchRun(producer, topic, messages, when);
  const baseBefore = await baseline(baselineTopics[0], 'before');

  // (b) The real relay: active on an empty outbox, then the backlog commits in one go.
  const pg = new Client(pgClientConfig(db.config));
  await pg.connect();
  cleanups.push(() => pg.end());
  const relayWarnings: string[] = [];
  const relay = new OutboxRelay({
    service: SERVICE,
    pg: pgClientConfig(db.config),
    kafka: topics.kafka,
    topicPrefix: topics.config.topicPrefix,
    logger: { log: () => undefined, warn: (m) => void relayWarnings.push(m) },
    ...(process.env.DUBAN_OUTBOX_BATCH_SIZE
      ? { batchSize: Number(process.env.DUBAN_OUTBOX_BATCH_SIZE) }
      : {}),
  });
  cleanups.push(() => relay.stop());
  relay.start();
  const activeBy = Date.now() + 60_000;
  while (relay.state !== 'active') {
    if (Date.now() > activeBy) throw new Error('relay did not become active');
    await sleep(20);
  }

  log(`relay: inserting a backlog of ${ROWS} rows in one transaction`);
  const insertStart = now();
  await insertBacklog(pg, records);
  const relayStart = now();
  const insertSeconds = (relayStart - insertStart) / 1000;
  const {
    rows: [{ at: dbStart }],
  } = await pg.query<{ at: Date }>('SELECT clock_timestamp() AS at');
  log('relay: draining');
  // The barrier: the backlog's last row marked published (a primary-key lookup, cheap enough to
  // poll every 20 ms without loading the database the relay works on), then no unpublished row
  // at all (the full check, once the last one is done).
  const {
    rows: [{ last }],
  } = await pg.query<{ last: string }>('SELECT max(sequence) AS last FROM outbox');
  const drainBy = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const { rows } = await pg.query<{ open: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM outbox WHERE sequence = $1 AND published_at IS NOT NULL)
           OR EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL) AS open`,
      [last],
    );
    if (!rows[0].open) break;
    if (Date.now() > drainBy) throw new Error(`relay did not drain in ${DRAIN_TIMEOUT_MS} ms`);
    await sleep(20);
  }
  const relaySeconds = (now() - relayStart) / 1000;
  const relayRate = ROWS / relaySeconds;
  const loadAfter = load();
  await relay.stop();
  // Per row: backlog commit -> the relay marked it published (after its Kafka commit), DB clock.
  const { rows: published } = await pg.query<{ ms: number }>(
    'SELECT extract(epoch FROM published_at - $1::timestamptz) * 1000 AS ms FROM outbox',
    [dbStart],
  );

  const baseAfter = await baseline(baselineTopics[1], 'after');
  const baseSeconds = baseBefore.seconds + baseAfter.seconds;
  const baselineRate = (2 * ROWS) / baseSeconds;

  log('verifying the topics');
  const { byTopic, checkpoints } = await verify(
    topics.kafka,
    [relayTopic, ...baselineTopics],
    checkpointTopic,
  );

  const tableRows: Row[] = [
    ...[baseBefore, baseAfter].map((run) => ({
      name: `baseline sendBatch x${SEND_BATCH}, ${run.when} (start -> batch acked)`,
      latencies: run.latencies,
      throughput: ROWS / run.seconds,
    })),
    {
      name: 'relay drain (backlog commit -> row published)',
      latencies: published.map((r) => Number(r.ms)),
      throughput: relayRate,
    },
  ];
  console.log('');
  printTable(tableRows);
  console.log('');
  const ratio = relayRate / baselineRate;
  for (const run of [baseBefore, baseAfter]) {
    console.log(
      `baseline ${run.when} the relay: ${ROWS} records in ${run.seconds.toFixed(2)} s, ` +
        `${run.calls} sendBatch calls (mean ${((run.seconds * 1000) / run.calls).toFixed(1)} ms each)`,
    );
  }
  console.log(
    `baseline, both runs: ${2 * ROWS} records in ${baseSeconds.toFixed(2)} s = ${baselineRate.toFixed(0)} records/s`,
  );
  console.log(
    `relay: ${ROWS} rows in ${relaySeconds.toFixed(2)} s, ${checkpoints} Kafka transactions ` +
      `(${(ROWS / Math.max(1, checkpoints)).toFixed(0)} rows each); backlog insert ${insertSeconds.toFixed(2)} s ` +
      `(${(ROWS / insertSeconds).toFixed(0)} rows/s)`,
  );
  console.log(`relay / baseline: ${(ratio * 100).toFixed(1)} % (target ≥ 50 %)`);
  console.log(`load average: at start ${load()}, after the drain ${loadAfter}`);
  const problems: string[] = [];
  for (const [topic, c] of byTopic) {
    const which =
      topic === relayTopic
        ? 'relay'
        : `baseline ${topic === baselineTopics[0] ? 'before' : 'after'}`;
    console.log(
      `${which} topic: ${c.count} records, ${c.duplicates} duplicates, ${c.outOfOrder} out of order per key`,
    );
    if (c.count !== ROWS) problems.push(`${which} topic holds ${c.count} records, not ${ROWS}`);
    if (c.duplicates > 0) problems.push(`${which} topic: ${c.duplicates} duplicates`);
    if (c.outOfOrder > 0) problems.push(`${which} topic: ${c.outOfOrder} records out of order`);
  }
  console.log(`relay warnings: ${relayWarnings.length}`);
  for (const w of relayWarnings.slice(0, 5)) console.log(`  relay warned: ${w}`);
  console.log(
    JSON.stringify({
      relayDrainEventsPerSec: Math.round(relayRate),
      baselineSendBatchPerSec: Math.round(baselineRate),
      ratio: Number(ratio.toFixed(3)),
      rows: ROWS,
    }),
  );
  if (problems.length > 0) throw new Error(problems.join('; '));
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
      if (interrupted) return 130;
      console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
      return 1;
    },
  )
  .then(async (code) => {
    log('cleaning up');
    await cleanUp();
    process.exit(code);
  });
