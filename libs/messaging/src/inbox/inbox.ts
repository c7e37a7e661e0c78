import { DataSource, EntityManager } from 'typeorm';

export interface MessageSource {
  topic: string;
  partition: number;
  offset: string;
}

export type InboxOutcome<T> = { processed: true; result: T } | { processed: false };

/**
 * Applies an event's effect at most once per consumer: the inbox row, the effect and any
 * outbox rows commit together, and a redelivered event finds its row and is skipped.
 */
export async function processOnce<T>(
  dataSource: DataSource,
  consumer: string,
  eventId: string,
  source: MessageSource,
  effect: (manager: EntityManager) => Promise<T>,
): Promise<InboxOutcome<T>> {
  return dataSource.transaction(async (manager) => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO inbox (consumer, event_id, topic, partition, "offset")
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1`,
      [consumer, eventId, source.topic, source.partition, source.offset],
    );
    if (inserted.length === 0) return { processed: false };
    return { processed: true, result: await effect(manager) };
  });
}
