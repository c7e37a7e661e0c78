import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, KafkaMessage } from 'kafkajs';

export interface ReadMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  json<T = unknown>(): T;
}

/**
 * Reads topics from the beginning (read_committed, as any integrator would) and collects
 * what arrives, so a test can wait for exactly what it expects to see.
 */
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private consumer: Consumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {}

  async start(): Promise<this> {
    const consumer = this.kafka.consumer({
      groupId: `duban-test-reader-${randomUUID()}`,
      sessionTimeout: 6000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) =>
        void this.messages.push(toRead(topic, partition, message)),
    });
    await joined;
    return this;
  }

  /** Waits until `predicate` holds over what was read, or fails after `timeoutMs`. */
  async waitFor(
    predicate: (messages: ReadMessage[]) => boolean,
    timeoutMs = 15000,
  ): Promise<ReadMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms with ${this.messages.length} messages read`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.messages;
  }

  async waitForCount(count: number, timeoutMs?: number): Promise<ReadMessage[]> {
    return this.waitFor((m) => m.length >= count, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

function toRead(topic: string, partition: number, m: KafkaMessage): ReadMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = String(v);
  const value = m.value?.toString() ?? null;
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key?.toString() ?? null,
    value,
    headers,
    json: <T>() => JSON.parse(value ?? 'null') as T,
  };
}
