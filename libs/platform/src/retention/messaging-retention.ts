import { DataSource, QueryRunner } from 'typeorm';
import { RetentionConfig } from './retention-config';

export interface PruneResult {
  outbox: number;
  inbox: number;
}

const LOCK = 'duban-messaging-retention';

/**
 * Deletes published outbox rows and inbox rows past their retention, batch by batch, each
 * DELETE its own short transaction so the relay and consumers never wait long on it. One
 * replica at a time: the others find the advisory lock taken and return null. `stop` ends the
 * pass between batches, so a large backlog does not hold up a shutdown.
 */
export async function pruneMessagingTables(
  dataSource: DataSource,
  config: Pick<RetentionConfig, 'outboxDays' | 'inboxDays' | 'batchSize'>,
  stop?: AbortSignal,
): Promise<PruneResult | null> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      LOCK,
    ]);
    if (!locked) return null;
    try {
      return {
        // Unpublished rows are still to be sent: published_at IS NULL never matches.
        outbox: await deleteInBatches(
          runner,
          `DELETE FROM outbox WHERE sequence IN (
             SELECT sequence FROM outbox
              WHERE published_at IS NOT NULL AND published_at < now() - make_interval(days => $1)
              LIMIT $2)`,
          [config.outboxDays, config.batchSize],
          stop,
        ),
        inbox: await deleteInBatches(
          runner,
          `DELETE FROM inbox WHERE (consumer, event_id) IN (
             SELECT consumer, event_id FROM inbox
              WHERE processed_at < now() - make_interval(days => $1)
              LIMIT $2)`,
          [config.inboxDays, config.batchSize],
          stop,
        ),
      };
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]);
    }
  } finally {
    await runner.release();
  }
}

async function deleteInBatches(
  runner: QueryRunner,
  sql: string,
  [days, batchSize]: [number, number],
  stop: AbortSignal | undefined,
): Promise<number> {
  let total = 0;
  while (!stop?.aborted) {
    const [, deleted]: [unknown, number] = await runner.query(sql, [days, batchSize]);
    total += deleted;
    if (deleted < batchSize) break;
  }
  return total;
}
