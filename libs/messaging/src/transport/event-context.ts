import { BaseRpcContext } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { DubanEvent } from '@duban/contracts';
import { MessageSource } from '../inbox/inbox';

type Args = [
  event: DubanEvent,
  manager: EntityManager,
  source: MessageSource,
  headers: Record<string, string>,
  afterCommit: (() => Promise<void> | void)[],
  record: StoredRecord,
];

/** The Kafka record as the broker stored it. */
export interface StoredRecord {
  /** The exact bytes produced: ingest signatures cover these, not a re-encoding. */
  value: Buffer | null;
  /** Epoch ms; on ingest topics (LogAppendTime) when the broker appended it. */
  timestamp: string;
}

/**
 * What an `@EventPattern` handler gets besides the event (`@Ctx()`): the transaction that
 * also records the inbox row, so its effect and outbox rows commit with it.
 */
export class DubanEventContext extends BaseRpcContext<Args> {
  get event(): DubanEvent {
    return this.args[0];
  }
  /** The inbox transaction's manager: write state and outbox rows through it. */
  get manager(): EntityManager {
    return this.args[1];
  }
  get source(): MessageSource {
    return this.args[2];
  }
  get headers(): Record<string, string> {
    return this.args[3];
  }
  get record(): StoredRecord {
    return this.args[5];
  }
  /**
   * Work that must see the effect committed, e.g. a job whose worker reads the rows written
   * here: it runs once the inbox transaction commits, never if it rolls back. Its failure is
   * logged, not retried: the effect already happened.
   */
  afterCommit(work: () => Promise<void> | void): void {
    this.args[4].push(work);
  }
}
