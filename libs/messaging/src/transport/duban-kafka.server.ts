import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { ContractError, DubanEvent, KafkaHeaders, decodeEvent } from '@duban/contracts';
import {
  consumerRetries,
  deadLetterFailures,
  eventsConsumed,
  withCorrelationId,
} from '@duban/observability';
import { KafkaConfig, createIdempotentProducer, createKafka } from '../kafka/kafka.config';
import { MessageSource, processOnce } from '../inbox/inbox';
import { DubanEventContext } from './event-context';
import { headersAsStrings, sendToDeadLetter } from './dead-letter';
import { refusalOf } from './admission';
import { ConsumerHealth, ConsumerHealthTracker } from './consumer-health';
import { classifyFailure, retryDelayMs } from './failure';
import { RejectionConfig, announceRejection } from './rejection-announcer';

export interface DubanKafkaServerOptions {
  kafka: KafkaConfig;
  /** Consumer group, also the inbox's consumer name. */
  groupId: string;
  /** Logical topic names; the deployment's prefix is added. */
  topics: readonly string[];
  dataSource: DataSource;
  /** Tries of a message failing for an unknown reason before it is dead-lettered. */
  maxAttempts?: number;
  /** First retry delay; it doubles per try up to `maxRetryBackoffMs`. */
  retryBackoffMs?: number;
  maxRetryBackoffMs?: number;
  /** A partition held back, or a handler busy, this long makes readiness fail. */
  stuckAfterMs?: number;
  /** How far in the future an event's `time` may be (producers' clocks drift a little). */
  maxClockSkewMs?: number;
  /** The consumer's clock, for that check and for readiness. */
  now?: () => Date;
  sessionTimeout?: number;
  heartbeatInterval?: number;
  maxWaitTimeInMs?: number;
  /** How long `listen` waits for the first group join. */
  joinTimeoutMs?: number;
  /** Ingest topics whose refused messages are also announced to their sender. */
  ingest?: { topics: readonly string[] } & RejectionConfig;
}

/** How long one piece of after-commit work may hold up the partition. */
const AFTER_COMMIT_DEADLINE_MS = 5000;

type Outcome = 'processed' | 'duplicate' | 'ignored' | 'dead-lettered';

/**
 * `@nestjs/microservices` transport over kafkajs that keeps `@EventPattern(eventType)` handlers
 * and adds what the built-in one lacks: schema and topic checks, the inbox, dead letters,
 * offsets committed only after the effect has committed, and failures handled by kind — a
 * message that is wrong goes to the DLQ at once, a dependency that is down holds back only its
 * partition, retried until it comes back.
 */
export class DubanKafkaServer extends Server implements CustomTransportStrategy {
  private kafka: Kafka | null = null;
  private consumer: Consumer | null = null;
  private dlqProducer: Producer | null = null;
  private readonly health: ConsumerHealthTracker;
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  /** Positions already dead-lettered whose offset is not committed yet: never letter twice. */
  private readonly lettered = new Set<string>();
  private closing = false;

  constructor(private readonly options: DubanKafkaServerOptions) {
    super();
    this.health = new ConsumerHealthTracker(options.topics, options.stuckAfterMs ?? 60000);
  }

  listen(callback: (err?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.resumeTimers) clearTimeout(t);
    this.resumeTimers.clear();
    await this.consumer?.disconnect();
    await this.dlqProducer?.disconnect();
    this.consumer = null;
    this.dlqProducer = null;
  }

  on(): void {
    throw new Error('DubanKafkaServer does not support event listeners');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** For readiness: stalled partitions with their age, and whether the consumer is stuck. */
  report(now = this.now()): ConsumerHealth {
    return this.health.report(now);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private async start(): Promise<void> {
    const o = this.options;
    this.kafka = createKafka(o.kafka);
    this.dlqProducer = createIdempotentProducer(this.kafka);
    const consumer = this.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeout ?? 30000,
      heartbeatInterval: o.heartbeatInterval ?? 3000,
      maxWaitTimeInMs: o.maxWaitTimeInMs ?? 500,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.error(`Kafka consumer crashed: ${payload.error.message}`);
      // kafkajs restarts after a retriable crash; after any other it has stopped for good.
      if (!payload.restart) this.health.markCrashed(payload.error.name);
    });
    await this.dlqProducer.connect();
    await consumer.connect();
    // A new group starts at the beginning: a fresh replica rebuilds from the topic's history.
    await consumer.subscribe({
      topics: o.topics.map((t) => o.kafka.topicPrefix + t),
      fromBeginning: true,
    });
    await consumer.run({ autoCommit: false, eachMessage: (payload) => this.handle(payload) });
    await withTimeout(joined, o.joinTimeoutMs ?? 30000, `group ${o.groupId} did not join`);
  }

  /** Nothing escapes: an error here would make kafkajs restart and stall every partition. */
  private async handle(p: EachMessagePayload): Promise<void> {
    const headers = headersAsStrings(p.message);
    await withCorrelationId(headers[KafkaHeaders.correlationId], async () => {
      this.health.started(p.topic, p.partition, p.message.offset, this.now());
      try {
        const outcome = await this.consume(p, headers);
        // Only now, after the effect committed (or the message was dead-lettered).
        await this.consumer!.commitOffsets([
          {
            topic: p.topic,
            partition: p.partition,
            offset: (BigInt(p.message.offset) + 1n).toString(),
          },
        ]);
        this.lettered.delete(positionOf(p));
        this.health.cleared(p.topic, p.partition);
        eventsConsumed().inc({ outcome });
      } catch (err) {
        this.holdBack(p, err);
      } finally {
        this.health.finished(p.topic, p.partition);
      }
    });
  }

  private async consume(p: EachMessagePayload, headers: Record<string, string>): Promise<Outcome> {
    let event: DubanEvent;
    try {
      event = decodeEvent(p.message.value);
    } catch (err) {
      if (!(err instanceof ContractError)) throw err;
      return this.deadLetter(p, err.reason, err, 0);
    }
    const refusal = refusalOf(event, {
      topic: p.topic.slice(this.options.kafka.topicPrefix.length),
      now: this.now(),
      maxClockSkewMs: this.options.maxClockSkewMs ?? 5 * 60_000,
    });
    if (refusal) return this.deadLetter(p, refusal.reason, refusal, 0);
    const handler = this.messageHandlers.get(event.type);
    // Topics carry many types; each service handles those it cares about.
    if (!handler) return 'ignored';
    return this.apply(p, event, handler, headers);
  }

  private async apply(
    p: EachMessagePayload,
    event: DubanEvent,
    handler: MessageHandler,
    headers: Record<string, string>,
  ): Promise<Outcome> {
    const source: MessageSource = {
      topic: p.topic,
      partition: p.partition,
      offset: p.message.offset,
    };
    const afterCommit: (() => Promise<void> | void)[] = [];
    try {
      const outcome = await processOnce(
        this.options.dataSource,
        this.options.groupId,
        event.id,
        source,
        (m) =>
          this.invoke(
            handler,
            event,
            new DubanEventContext([event, m, source, headers, afterCommit, p.message]),
          ),
      );
      await this.runAfterCommit(event, afterCommit);
      return outcome.processed ? 'processed' : 'duplicate';
    } catch (err) {
      const failure = classifyFailure(err);
      const tries = this.health.triesAt(p.topic, p.partition, p.message.offset);
      if (failure.class === 'permanent')
        return this.deadLetter(p, failure.reason, err, tries.all + 1);
      if (failure.class === 'unknown' && tries.unknown + 1 >= (this.options.maxAttempts ?? 3)) {
        return this.deadLetter(p, 'handler-failed', err, tries.unknown + 1);
      }
      throw err;
    }
  }

  /**
   * Holds back this partition only: the failed message is fetched again once the delay is
   * over, while the member keeps heartbeating and its other partitions go on. Nothing is
   * committed meanwhile, so a rebalance hands the message to the next owner as well.
   */
  private holdBack(p: EachMessagePayload, err: unknown): void {
    const failure = classifyFailure(err);
    const kind = failure.class === 'transient' ? failure.kind : 'unknown';
    const attempts = this.health.failed(p.topic, p.partition, p.message.offset, kind, this.now());
    consumerRetries().inc({ kind });
    const delay = retryDelayMs(
      attempts,
      this.options.retryBackoffMs ?? 200,
      this.options.maxRetryBackoffMs ?? 30000,
    );
    this.logger.warn(
      `${positionOf(p)} held back after try ${attempts} (${kind}), again in ${delay} ms: ` +
        messageOf(err),
    );
    if (this.closing || !this.consumer) return;
    try {
      this.consumer.seek({ topic: p.topic, partition: p.partition, offset: p.message.offset });
      const resume = p.pause();
      const timer = setTimeout(() => {
        this.resumeTimers.delete(timer);
        resume();
      }, delay);
      this.resumeTimers.add(timer);
    } catch (seekErr) {
      // Only when the consumer is stopping: the uncommitted message is fetched again anyway.
      this.logger.warn(`could not hold back ${positionOf(p)}: ${messageOf(seekErr)}`);
    }
  }

  /**
   * Each piece on its own, with a deadline: a dependency that hangs (a BullMQ add while Redis
   * is down waits forever) must not hold the partition past its session timeout.
   */
  private async runAfterCommit(
    event: DubanEvent,
    work: (() => Promise<void> | void)[],
  ): Promise<void> {
    for (const w of work) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still running after ${AFTER_COMMIT_DEADLINE_MS} ms`)),
          AFTER_COMMIT_DEADLINE_MS,
        );
      });
      try {
        await Promise.race([Promise.resolve().then(w), deadline]);
      } catch (err) {
        this.logger.warn(`after-commit work of ${event.type} ${event.id} failed: ${String(err)}`);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  private async invoke(
    handler: MessageHandler,
    event: DubanEvent,
    ctx: DubanEventContext,
  ): Promise<unknown> {
    const result: unknown = await handler(event, ctx);
    return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
  }

  /**
   * A failed DLQ write throws (the broker is the problem: hold back and try again). A failed
   * announcement is logged and counted instead: the dead letter already holds the message,
   * and an announcement that cannot be built must not stall the partition behind it.
   */
  private async deadLetter(
    p: EachMessagePayload,
    reason: string,
    err: unknown,
    attempts: number,
  ): Promise<'dead-lettered'> {
    const position = positionOf(p);
    this.logger.warn(`dead-lettering ${position}: ${reason}: ${messageOf(err)}`);
    if (!this.lettered.has(position)) {
      await sendToDeadLetter(this.dlqProducer!, {
        topic: p.topic,
        partition: p.partition,
        message: p.message,
        reason,
        error: messageOf(err),
        attempts,
        consumerGroup: this.options.groupId,
      });
      this.lettered.add(position);
    }
    const ingest = this.options.ingest;
    if (ingest?.topics.some((t) => this.options.kafka.topicPrefix + t === p.topic)) {
      try {
        await announceRejection(this.options.dataSource, ingest, {
          topic: p.topic,
          partition: p.partition,
          message: p.message,
          reason,
          error: messageOf(err),
        });
      } catch (announceErr) {
        if (classifyFailure(announceErr).class === 'transient') throw announceErr;
        deadLetterFailures().inc({ stage: 'announce' });
        this.logger.error(
          `could not announce the rejection of ${position}: ${messageOf(announceErr)}`,
        );
      }
    }
    return 'dead-lettered';
  }
}

const positionOf = (p: EachMessagePayload): string =>
  `${p.topic}[${p.partition}]@${p.message.offset}`;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
