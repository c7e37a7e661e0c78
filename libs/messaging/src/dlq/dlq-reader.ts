import { randomUUID } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { DeadLetterRecord } from './dead-letter-view';
import { UnknownTopicError } from './dlq-args';

export interface DlqReadOptions {
  /** Progress goes here (stderr in the CLI), never mixed with the data. */
  log: (line: string) => void;
  timeoutMs?: number;
}

/**
 * Every record on `topic` up to the high-water marks taken when reading starts, so the read
 * ends by itself however busy the DLQ is; letters written meanwhile wait for the next run.
 * Reads through a throwaway consumer group that commits nothing and is deleted afterwards.
 */
export async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  options: DlqReadOptions,
): Promise<DeadLetterRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await highWaterMarks(admin, topic);
    const total = [...ends.values()].reduce((n, p) => n + Number(p.high - p.low), 0);
    options.log(`reading ${topic}: up to ${total} records in ${ends.size} partitions`);
    const groupId = `duban-dlq-reader-${randomUUID()}`;
    try {
      return await consumeUntil(kafka, groupId, topic, ends, options.timeoutMs ?? 60_000);
    } finally {
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
  }
}

interface PartitionEnds {
  low: bigint;
  high: bigint;
}

async function highWaterMarks(admin: Admin, topic: string): Promise<Map<number, PartitionEnds>> {
  if (!(await admin.listTopics()).includes(topic)) {
    throw new UnknownTopicError(`topic ${topic} does not exist on the broker`);
  }
  const offsets = await fetchOffsetsSettled(admin, topic);
  return new Map(
    offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }] as const),
  );
}

/**
 * kafkajs does not refresh its metadata on NOT_LEADER_FOR_PARTITION from ListOffsets: a
 * partition whose leader just moved (or was just elected) answers so for a moment. Retry
 * a retriable answer a few times before giving up.
 */
async function fetchOffsetsSettled(admin: Admin, topic: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (err) {
      if (!(err as { retriable?: boolean }).retriable || attempt >= 10) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

async function consumeUntil(
  kafka: Kafka,
  groupId: string,
  topic: string,
  ends: Map<number, PartitionEnds>,
  timeoutMs: number,
): Promise<DeadLetterRecord[]> {
  // DLQs are written without transactions and never compacted: every offset below the
  // high-water mark is a message, so reaching `high - 1` proves a partition is read.
  const unread = new Map(
    [...ends].filter(([, e]) => e.high > e.low).map(([p, e]) => [p, e.high] as const),
  );
  if (unread.size === 0) return [];
  const records: DeadLetterRecord[] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  let caughtUp!: () => void;
  const done = new Promise<void>((resolve) => (caughtUp = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const high = unread.get(partition);
        if (high === undefined || BigInt(message.offset) >= high) return;
        records.push({
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        });
        if (BigInt(message.offset) + 1n >= high) unread.delete(partition);
        if (unread.size === 0) caughtUp();
      },
    });
    await withDeadline(done, timeoutMs, () => `partitions ${[...unread.keys()].join(', ')}`);
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

async function withDeadline(work: Promise<void>, ms: number, what: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`not caught up after ${ms} ms: ${what()} not read to the end`)),
      ms,
    );
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
