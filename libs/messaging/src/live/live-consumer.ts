import { randomUUID } from 'node:crypto';
import { KafkaConfig, createKafka } from '../kafka/kafka.config';

/** How long starting waits for the group join before it gives up. */
const JOIN_TIMEOUT_MS = 30_000;

/** A service's live groups start with this; its ACLs allow the prefix (acls.ts). */
export const liveGroupPrefix = (service: string, topicPrefix = ''): string =>
  `${topicPrefix}duban-${service}-live-`;

export interface LiveConsumerOptions {
  service: string;
  /** The logical topic; the config's prefix is added. */
  topic: string;
  onMessage(value: Buffer): void;
}

export interface LiveConsumer {
  groupId: string;
  stop(): Promise<void>;
}

/**
 * A plain reader of what a topic gets from now on, for this process alone: a group of its own
 * (so each replica sees every partition, not its share), read committed, from the latest offset,
 * no inbox (nothing is written). Resolves once the group is joined; `stop` deletes the group.
 */
export async function startLiveConsumer(
  config: KafkaConfig,
  options: LiveConsumerOptions,
): Promise<LiveConsumer> {
  const kafka = createKafka(config);
  const groupId = liveGroupPrefix(options.service, config.topicPrefix) + randomUUID();
  // kafkajs reads committed records only unless told otherwise (readUncommitted: false).
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const joined = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${groupId} did not join`)), JOIN_TIMEOUT_MS);
    consumer.on(consumer.events.GROUP_JOIN, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await consumer.connect();
  await consumer.subscribe({ topic: config.topicPrefix + options.topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.value) options.onMessage(message.value);
    },
  });
  await joined;
  return {
    groupId,
    stop: async () => {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
