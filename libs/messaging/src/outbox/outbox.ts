import { EntityManager } from 'typeorm';
import { DubanEvent, KafkaHeaders, parseEvent, topicCarries } from '@duban/contracts';
import { currentCorrelationId } from '@duban/observability';
import { OutboxMessage } from './outbox-message.entity';

export const OUTBOX_CHANNEL = 'duban_outbox';

/**
 * Adds events to the outbox inside the caller's transaction. The manager must be the
 * transaction's own EntityManager: an injected repository would commit on its own and the
 * event could outlive a rolled-back state change.
 */
export async function addToOutbox(
  manager: EntityManager,
  topic: string,
  events: readonly DubanEvent[],
  headers: Record<string, string> = {},
): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('addToOutbox needs the EntityManager of an open transaction');
  }
  if (events.length === 0) return;
  const correlationId = currentCorrelationId();
  const common = correlationId
    ? { [KafkaHeaders.correlationId]: correlationId, ...headers }
    : headers;
  const rows = events.map((event) => {
    parseEvent(event); // publish-side schema check: a bad event fails the business transaction
    if (!topicCarries(topic, event.type)) {
      throw new Error(`${event.type} is not declared on ${topic} (libs/contracts/src/channels.ts)`);
    }
    return manager.create(OutboxMessage, {
      eventId: event.id,
      topic,
      aggregateType: event.type.split('.')[1],
      aggregateId: event.partitionkey,
      eventType: event.type,
      payload: event,
      headers: { ...common, [KafkaHeaders.eventType]: event.type },
    });
  });
  await manager.save(OutboxMessage, rows, { reload: false });
  // Delivered to the relay's LISTEN only when this transaction commits.
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}
