import { Client, ClientConfig } from 'pg';
import { Kafka, Message, Producer } from 'kafkajs';
import { CLOUDEVENTS_CONTENT_TYPE, KafkaHeaders, outboxCheckpointSpec } from '@duban/contracts';
import { outboxLagSeconds, outboxPublished, outboxRelayActive } from '@duban/observability';
import { createIdempotentProducer } from '../kafka/kafka.config';
import { OUTBOX_CHANNEL } from './outbox';
import { readLastCheckpoint, RelayCheckpoint } from './relay-checkpoint';
import { WakeableSleep } from './wakeable-sleep';

export interface RelayLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface OutboxRelayOptions {
  service: string;
  pg: ClientConfig;
  kafka: Kafka;
  topicPrefix: string;
  logger: RelayLogger;
  batchSize?: number;
  /** Safety-net poll: NOTIFY normally wakes the relay within milliseconds of a commit. */
  pollIntervalMs?: number;
  /** How often a standby replica tries to take the lock. */
  standbyRetryMs?: number;
}

export type RelayState = 'stopped' | 'standby' | 'active';

interface Row {
  sequence: string;
  event_id: string;
  topic: string;
  aggregate_id: string;
  payload: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

/**
 * Publishes outbox rows to Kafka in sequence order. Exactly one replica is active: it holds a
 * PostgreSQL advisory lock on its own connection, so the lock goes when the process dies. The
 * active relay publishes each batch in one Kafka transaction under a per-service
 * transactional id; a new leader's first transaction fences the old one (zombie fencing).
 */
export class OutboxRelay {
  private readonly sleeper = new WakeableSleep();
  private stopping = false;
  private loop: Promise<void> | null = null;
  private _state: RelayState = 'stopped';
  private lastError: string | null = null;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly standbyRetryMs: number;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.standbyRetryMs = options.standbyRetryMs ?? 1000;
  }

  get state(): RelayState {
    return this._state;
  }

  /** The last failure to reach Kafka, null once a batch gets through again. */
  get error(): string | null {
    return this.lastError;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.session();
      } catch (err) {
        this.lastError = (err as Error).message;
        this.options.logger.warn(`outbox relay: ${this.lastError}; retrying`);
      }
      this.setState('standby');
      if (!this.stopping) await this.sleeper.sleep(this.standbyRetryMs);
    }
    this.setState('stopped');
  }

  /** One database session: wait for the lock, then lead until something breaks. */
  private async session(): Promise<void> {
    const client = new Client(this.options.pg);
    let broken: Error | null = null;
    client.on('error', (err) => {
      broken = err;
      this.sleeper.wake();
    });
    client.on('notification', () => this.sleeper.wake());
    await client.connect();
    try {
      const check = (): void => {
        if (broken) throw broken;
      };
      if (await this.waitForLock(client, check)) await this.lead(client, check);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async waitForLock(client: Client, check: () => void): Promise<boolean> {
    while (!this.stopping) {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [`duban-outbox-relay-${this.options.service}`],
      );
      if (rows[0].locked) return true;
      this.setState('standby');
      await this.sleeper.sleep(this.standbyRetryMs);
      check();
    }
    return false;
  }

  private async lead(client: Client, check: () => void): Promise<void> {
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    const producer = createIdempotentProducer(
      this.options.kafka,
      `duban-outbox-relay-${this.options.service}`,
    );
    await producer.connect();
    try {
      await this.recover(client);
      this.setState('active');
      this.options.logger.log('outbox relay active');
      while (!this.stopping) {
        check();
        await this.drain(client, producer);
        await this.sleeper.sleep(this.pollIntervalMs);
      }
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  private get checkpointTopic(): string {
    return outboxCheckpointSpec(this.options.service, this.options.topicPrefix).name;
  }

  private async recover(client: Client): Promise<void> {
    const checkpoint = await readLastCheckpoint(this.options.kafka, this.checkpointTopic);
    if (!checkpoint) return;
    const { rowCount } = await client.query(
      'UPDATE outbox SET published_at = now() WHERE event_id = ANY($1::uuid[]) AND published_at IS NULL',
      [checkpoint.eventIds],
    );
    if (rowCount)
      this.options.logger.log(`outbox relay: ${rowCount} rows were sent by the previous relay`);
  }

  private async drain(client: Client, producer: Producer): Promise<void> {
    for (;;) {
      const { rows } = await client.query<Row>(
        `SELECT sequence, event_id, topic, aggregate_id, payload, headers, created_at
           FROM outbox WHERE published_at IS NULL ORDER BY sequence LIMIT $1`,
        [this.batchSize],
      );
      if (rows.length === 0) return;
      await this.publish(client, producer, rows);
      if (rows.length < this.batchSize) return;
    }
  }

  private async publish(client: Client, producer: Producer, rows: Row[]): Promise<void> {
    const eventIds = rows.map((r) => r.event_id);
    const tx = await producer.transaction();
    try {
      await tx.sendBatch({ topicMessages: this.topicMessages(rows), acks: -1 });
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => undefined);
      await client
        .query(
          'UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE event_id = ANY($1::uuid[])',
          [eventIds, (err as Error).message],
        )
        .catch(() => undefined);
      throw err;
    }
    await client.query(
      'UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE event_id = ANY($1::uuid[])',
      [eventIds],
    );
    this.lastError = null;
    this.observe(rows);
  }

  /** Rows grouped by topic, in sequence order, plus this batch's checkpoint record. */
  private topicMessages(rows: Row[]): { topic: string; messages: Message[] }[] {
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const topic = this.options.topicPrefix + row.topic;
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: row.aggregate_id,
        value: JSON.stringify(row.payload),
        headers: { ...row.headers, [KafkaHeaders.contentType]: CLOUDEVENTS_CONTENT_TYPE },
      });
      byTopic.set(topic, messages);
    }
    const checkpoint: RelayCheckpoint = {
      eventIds: rows.map((r) => r.event_id),
      at: new Date().toISOString(),
    };
    byTopic.set(this.checkpointTopic, [
      { key: this.options.service, value: JSON.stringify(checkpoint) },
    ]);
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  private observe(rows: Row[]): void {
    const now = Date.now();
    const lag = outboxLagSeconds();
    outboxPublished().inc(rows.length);
    for (const row of rows) lag.observe((now - row.created_at.getTime()) / 1000);
  }

  private setState(state: RelayState): void {
    this._state = state;
    outboxRelayActive().set(state === 'active' ? 1 : 0);
  }
}
