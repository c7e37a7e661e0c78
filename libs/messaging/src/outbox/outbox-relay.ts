import { Client, ClientConfig } from 'pg';
import { Kafka, Message, Producer } from 'kafkajs';
import { CLOUDEVENTS_CONTENT_TYPE, KafkaHeaders, outboxCheckpointSpec } from '@duban/contracts';
import { outboxLagSeconds, outboxPublished, outboxRelayActive } from '@duban/observability';
import { createIdempotentProducer } from '../kafka/kafka.config';
import { OUTBOX_CHANNEL } from './outbox';
import { readLastCheckpoint, RelayCheckpoint } from './relay-checkpoint';
import { WakeableSleep } from './wakeable-sleep';

/** Rows per Kafka transaction unless configured (DUBAN_OUTBOX_BATCH_SIZE in the services). */
export const DEFAULT_OUTBOX_BATCH_SIZE = 2000;
/**
 * A batch's checkpoint record names every event id in it (about 40 bytes each): 10,000 keep it
 * near 400 KB, well under the broker's 1 MiB record limit.
 */
export const MAX_OUTBOX_BATCH_SIZE = 10_000;
/** Bytes of records per produce request: below message.max.bytes (1 MiB) whatever the keys. */
const MAX_REQUEST_BYTES = 768 * 1024;
/** Per-record framing (lengths, offsets, timestamps) on top of key, value and headers. */
const RECORD_OVERHEAD_BYTES = 32;

function messageBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD_BYTES + Buffer.byteLength(message.value as string);
  if (typeof message.key === 'string') bytes += Buffer.byteLength(message.key);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  return bytes;
}

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
  /** Rows per Kafka transaction, 1 to MAX_OUTBOX_BATCH_SIZE; DEFAULT_OUTBOX_BATCH_SIZE if unset. */
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
  /** The event as JSON text, sent as it is: no parse and stringify per row. */
  payload: string;
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
    this.batchSize = options.batchSize ?? DEFAULT_OUTBOX_BATCH_SIZE;
    if (
      !Number.isInteger(this.batchSize) ||
      this.batchSize < 1 ||
      this.batchSize > MAX_OUTBOX_BATCH_SIZE
    ) {
      throw new Error(
        `outbox relay batch size must be a whole number from 1 to ${MAX_OUTBOX_BATCH_SIZE}, not ${this.batchSize}`,
      );
    }
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
    // The fetch must walk outbox_unpublished_idx in sequence order and stop at the batch size.
    // The statistics usually say almost nothing is unpublished (it is so, between bursts), so
    // after a burst the planner would read the whole backlog and sort it, for every batch: 63
    // ms a batch at 30 k rows against 2 ms, and growing with the backlog. This connection runs
    // the relay's queries only; none of them needs a sort.
    await client.query('SET enable_sort = off');
    // The topic prefix sets deployments (and test runs) on one broker apart: without it in the
    // transactional id, one deployment's relay would fence another's. The ACL is a prefix ACL
    // on `duban-outbox-relay-<service>`, so the suffix needs no grant of its own.
    const { service, topicPrefix } = this.options;
    const producer = createIdempotentProducer(
      this.options.kafka,
      `duban-outbox-relay-${service}${topicPrefix ? `.${topicPrefix}` : ''}`,
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

  /**
   * Publishes everything unpublished, batch after batch. While Kafka takes batch k, the database
   * marks batch k-1 published and fetches batch k+1 (all unpublished rows but batch k's): the
   * database round trips hide behind the Kafka transaction instead of adding to it.
   *
   * The rule that keeps a takeover exact: batch k commits in Kafka only once batch k-1 is marked
   * published, so at any moment at most the last committed batch (the one the last checkpoint
   * names) is in Kafka but unmarked, and recover() marks exactly that one.
   *
   * The next batch is fetched by excluding the batch in flight, not by `sequence > last`: a
   * transaction that commits late brings a row with a lower sequence, and it must still go
   * before anything its aggregate commits later (the per-aggregate order the sequence keeps).
   */
  private async drain(client: Client, producer: Producer): Promise<void> {
    let rows = await this.fetch(client, []);
    let marking: Promise<void> = Promise.resolve();
    try {
      while (rows.length > 0) {
        const batch = rows;
        const more = batch.length === this.batchSize;
        // A stopping relay finishes the batch in flight and marks it, and fetches no more.
        const next = marking.then(() => (more && !this.stopping ? this.fetch(client, batch) : []));
        next.catch(() => undefined); // awaited in publish(); never an unhandled rejection
        await this.publish(client, producer, batch, next);
        marking = this.markPublished(client, batch);
        marking.catch(() => undefined); // awaited below or through the next fetch
        rows = await next;
      }
    } finally {
      await marking;
    }
  }

  private async fetch(client: Client, inFlight: readonly Row[]): Promise<Row[]> {
    const { rows } = await client.query<Row>(
      `SELECT sequence, event_id, topic, aggregate_id, payload::text AS payload, headers, created_at
         FROM outbox
        WHERE published_at IS NULL AND sequence <> ALL($2::bigint[])
        ORDER BY sequence LIMIT $1`,
      [this.batchSize, inFlight.map((r) => r.sequence)],
    );
    return rows;
  }

  private async markPublished(client: Client, rows: readonly Row[]): Promise<void> {
    await client.query(
      'UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE sequence = ANY($1::bigint[])',
      [rows.map((r) => r.sequence)],
    );
  }

  /**
   * One Kafka transaction for the batch and its checkpoint. `before` is the database work that
   * must be done before this transaction may commit (the previous batch marked published).
   */
  private async publish(
    client: Client,
    producer: Producer,
    rows: Row[],
    before: Promise<unknown>,
  ): Promise<void> {
    const tx = await producer.transaction();
    try {
      for (const topicMessages of this.requests(rows)) {
        await tx.sendBatch({ topicMessages, acks: -1 });
      }
      await before;
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => undefined);
      await before.catch(() => undefined); // let the database settle before recording the failure
      await client
        .query(
          'UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE sequence = ANY($1::bigint[])',
          [rows.map((r) => r.sequence), (err as Error).message],
        )
        .catch(() => undefined);
      throw err;
    }
    this.lastError = null;
    this.observe(rows);
  }

  /**
   * The batch as produce requests of at most MAX_REQUEST_BYTES each, grouped by topic in sequence
   * order, the checkpoint record in the last. The broker refuses a partition's record batch over
   * its message.max.bytes (1 MiB by default), and a request carries one record batch per
   * partition: a large batch whose keys all fall on one partition must not reach that limit.
   */
  private requests(rows: Row[]): { topic: string; messages: Message[] }[][] {
    const requests: Map<string, Message[]>[] = [];
    let current = new Map<string, Message[]>();
    let bytes = 0;
    for (const row of rows) {
      const topic = this.options.topicPrefix + row.topic;
      const message: Message = {
        key: row.aggregate_id,
        value: row.payload,
        headers: { ...row.headers, [KafkaHeaders.contentType]: CLOUDEVENTS_CONTENT_TYPE },
      };
      const size = messageBytes(message);
      if (bytes > 0 && bytes + size > MAX_REQUEST_BYTES) {
        requests.push(current);
        current = new Map();
        bytes = 0;
      }
      bytes += size;
      const messages = current.get(topic) ?? [];
      messages.push(message);
      current.set(topic, messages);
    }
    const checkpoint: RelayCheckpoint = {
      eventIds: rows.map((r) => r.event_id),
      at: new Date().toISOString(),
    };
    current.set(this.checkpointTopic, [
      { key: this.options.service, value: JSON.stringify(checkpoint) },
    ]);
    requests.push(current);
    return requests.map((r) => [...r].map(([topic, messages]) => ({ topic, messages })));
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
