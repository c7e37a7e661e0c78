import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import {
  ContractError,
  DubanEvent,
  KafkaHeaders,
  RuleViolation,
  decodeEvent,
} from '@duban/contracts';
import { eventsConsumed, withCorrelationId } from '@duban/observability';
import { KafkaConfig, createIdempotentProducer, createKafka } from '../kafka/kafka.config';
import { MessageSource, processOnce } from '../inbox/inbox';
import { DubanEventContext } from './event-context';
import { headersAsStrings, sendToDeadLetter } from './dead-letter';
import { PermanentError } from './permanent-error';
import { RejectionConfig, announceRejection } from './rejection-announcer';

export interface DubanKafkaServerOptions {
  kafka: KafkaConfig;
  /** Consumer group, also the inbox's consumer name. */
  groupId: string;
  /** Logical topic names; the deployment's prefix is added. */
  topics: readonly string[];
  dataSource: DataSource;
  /** Tries per message before it is dead-lettered. */
  maxAttempts?: number;
  retryBackoffMs?: number;
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

/**
 * `@nestjs/microservices` transport over kafkajs that keeps `@EventPattern(eventType)` handlers
 * and adds what the built-in one lacks: schema checks, the inbox, bounded retries, dead
 * letters, and offsets committed only after the effect has committed.
 */
export class DubanKafkaServer extends Server implements CustomTransportStrategy {
  private kafka: Kafka | null = null;
  private consumer: Consumer | null = null;
  private dlqProducer: Producer | null = null;

  constructor(private readonly options: DubanKafkaServerOptions) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  async close(): Promise<void> {
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
      // kafkajs restarts the consumer itself after a retriable crash; readiness probes the broker.
      this.logger.error(`Kafka consumer crashed: ${payload.error.message}`);
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

  private async handle(payload: EachMessagePayload): Promise<void> {
    const headers = headersAsStrings(payload.message);
    await withCorrelationId(headers[KafkaHeaders.correlationId], async () => {
      const outcome = await this.consume(payload, headers);
      eventsConsumed().inc({ outcome });
      // Only now, after the effect committed (or the message was dead-lettered).
      await this.consumer!.commitOffsets([
        {
          topic: payload.topic,
          partition: payload.partition,
          offset: (BigInt(payload.message.offset) + 1n).toString(),
        },
      ]);
    });
  }

  private async consume(p: EachMessagePayload, headers: Record<string, string>): Promise<string> {
    let event: DubanEvent;
    try {
      event = decodeEvent(p.message.value);
    } catch (err) {
      if (!(err instanceof ContractError)) throw err;
      await this.deadLetter(p, err.reason, err, 0);
      return 'dead-lettered';
    }
    const handler = this.messageHandlers.get(event.type);
    // Topics carry many types; each service handles those it cares about.
    if (!handler) return 'ignored';
    return this.applyWithRetries(p, event, handler, headers);
  }

  private async applyWithRetries(
    p: EachMessagePayload,
    event: DubanEvent,
    handler: MessageHandler,
    headers: Record<string, string>,
  ): Promise<string> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    const source: MessageSource = {
      topic: p.topic,
      partition: p.partition,
      offset: p.message.offset,
    };
    for (let attempt = 1; ; attempt++) {
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
        const permanent =
          err instanceof PermanentError ||
          err instanceof ContractError ||
          err instanceof RuleViolation;
        if (permanent || attempt >= maxAttempts) {
          const reason = permanent ? reasonOf(err) : 'handler-failed';
          await this.deadLetter(p, reason, err as Error, attempt);
          return 'dead-lettered';
        }
        this.logger.warn(
          `${event.type} ${event.id} failed (attempt ${attempt}): ${(err as Error).message}`,
        );
        await sleep((this.options.retryBackoffMs ?? 200) * 4 ** (attempt - 1));
        await p.heartbeat();
      }
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

  private async deadLetter(
    p: EachMessagePayload,
    reason: string,
    err: Error,
    attempts: number,
  ): Promise<void> {
    this.logger.warn(
      `dead-lettering ${p.topic}[${p.partition}]@${p.message.offset}: ${reason}: ${err.message}`,
    );
    await sendToDeadLetter(this.dlqProducer!, {
      topic: p.topic,
      partition: p.partition,
      message: p.message,
      reason,
      error: err.message,
      attempts,
      consumerGroup: this.options.groupId,
    });
    const ingest = this.options.ingest;
    if (ingest?.topics.some((t) => this.options.kafka.topicPrefix + t === p.topic)) {
      await announceRejection(this.options.dataSource, ingest, {
        topic: p.topic,
        partition: p.partition,
        message: p.message,
        reason,
        error: err.message,
      });
    }
  }
}

/** A refused rule is dead-lettered as `rule-<kind>` (e.g. rule-conflict). */
function reasonOf(err: PermanentError | ContractError | RuleViolation): string {
  return err instanceof RuleViolation ? `rule-${err.kind}` : err.reason;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
