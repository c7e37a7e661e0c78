import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@duban/persistence';

export interface MessageSource {
  topic: string;
  partition: number;
  offset: string;
}

export type InboxOutcome<T> = { processed: true; result: T } | { processed: false };

/**
 * Applies an event's effect at most once per consumer: the inbox row, the effect and any
 * outbox rows commit together, and a redelivered event finds its row and is skipped. The
 * transaction is ambient for the effect: application services it calls join it through
 * `inTransaction` without being handed a manager, so a failure anywhere in the handler rolls
 * back their writes with the inbox row, and the redelivery applies them once.
 */
export async function processOnce<T>(
  dataSource: DataSource,
  consumer: string,
  eventId: string,
  source: MessageSource,
  effect: (manager: EntityManager) => Promise<T>,
): Promise<InboxOutcome<T>> {
  return inTransaction(dataSource, async (manager) => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO inbox (consumer, event_id, topic, partition, "offset")
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1`,
      [consumer, eventId, source.topic, source.partition, source.offset],
    );
    if (inserted.length === 0) return { processed: false };
    return { processed: true, result: await effect(manager) };
  });
}
