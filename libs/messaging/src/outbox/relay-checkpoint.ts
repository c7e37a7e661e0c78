import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';

/**
 * The relay's last Kafka transaction carries, beside its events, a checkpoint naming their
 * event ids. A new leader reads it back and marks those rows published: a relay that died
 * between the Kafka commit and the database update therefore causes no second publish.
 */
export interface RelayCheckpoint {
  eventIds: string[];
  at: string;
}

const SCAN_WINDOW = 200;
const SCAN_TIMEOUT_MS = 5000;

/** The takeover scan's groups are named after the checkpoint topic: ACLs grant them per service. */
export const recoveryGroupPrefix = (checkpointTopic: string): string =>
  `${checkpointTopic}.recovery.`;

export async function readLastCheckpoint(
  kafka: Kafka,
  topic: string,
): Promise<RelayCheckpoint | null> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchTopicOffsets(topic);
    const high = Number(offsets.high);
    const low = Number(offsets.low);
    if (high <= low) return null;
    const groupId = recoveryGroupPrefix(topic) + randomUUID();
    try {
      return await scanToEnd(kafka, topic, groupId, Math.max(low, high - SCAN_WINDOW), high);
    } finally {
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
  }
}

async function scanToEnd(
  kafka: Kafka,
  topic: string,
  groupId: string,
  from: number,
  high: number,
): Promise<RelayCheckpoint | null> {
  // read_committed (the default): aborted transactions' checkpoints are never seen.
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
  });
  let last: RelayCheckpoint | null = null;
  await consumer.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      // The newest committed record sits just before the last transaction marker; if the
      // newest transactions were aborted it sits earlier, and the timeout ends the scan.
      const timer = setTimeout(resolve, SCAN_TIMEOUT_MS);
      consumer
        .subscribe({ topic, fromBeginning: true })
        .then(() =>
          consumer.run({
            autoCommit: false,
            eachMessage: async ({ message }) => {
              if (message.value) last = JSON.parse(message.value.toString()) as RelayCheckpoint;
              if (Number(message.offset) >= high - 2) {
                clearTimeout(timer);
                resolve();
              }
            },
          }),
        )
        .then(() => consumer.seek({ topic, partition: 0, offset: String(from) }))
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return last;
}
