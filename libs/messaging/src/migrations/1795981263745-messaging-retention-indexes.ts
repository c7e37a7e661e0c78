import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets retention find old published outbox rows and old inbox rows without reading either
 * table whole. Built CONCURRENTLY (hence no transaction): the outbox already holds every event
 * ever published and a plain CREATE INDEX would block business writes while it builds.
 */
export class MessagingRetentionIndexes1795981263745 implements MigrationInterface {
  name = 'MessagingRetentionIndexes1795981263745';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    // A build that failed half-way leaves an invalid index behind under the same name.
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS outbox_published_at_idx');
    await q.query(
      'CREATE INDEX CONCURRENTLY outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL',
    );
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS inbox_processed_at_idx');
    await q.query('CREATE INDEX CONCURRENTLY inbox_processed_at_idx ON inbox (processed_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS inbox_processed_at_idx');
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS outbox_published_at_idx');
  }
}
