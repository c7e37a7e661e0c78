import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (issue 11): a circuit breaker per subscription, indexes for the paged delivery log,
 * the resume sweep and retention, and delivery logs scrubbed of the raw error strings they
 * used to keep (receiver bodies and internal addresses could show there).
 */
export class WebhookSafety1764400400000 implements MigrationInterface {
  name = 'WebhookSafety1764400400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE subscriptions
        ADD COLUMN consecutive_failures int NOT NULL DEFAULT 0,
        ADD COLUMN paused_until timestamptz`);
    await q.query('CREATE INDEX subscriptions_created_by_idx ON subscriptions (created_by)');
    await q.query('CREATE INDEX deliveries_subscription_idx ON deliveries (subscription_id, id)');
    await q.query("CREATE INDEX deliveries_pending_idx ON deliveries (id) WHERE state = 'pending'");
    await q.query(
      "CREATE INDEX deliveries_finished_idx ON deliveries (updated_at) WHERE state IN ('delivered', 'dead')",
    );
    await q.query(`
      UPDATE deliveries SET last_error = CASE
        WHEN last_error ~ '^receiver answered 3\\d\\d$' THEN 'redirect not followed'
        WHEN last_error ~ '^receiver answered \\d{3}$' THEN 'HTTP ' || right(last_error, 3)
        ELSE 'delivery failed' END
      WHERE last_error IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'deliveries_finished_idx',
      'deliveries_pending_idx',
      'deliveries_subscription_idx',
      'subscriptions_created_by_idx',
    ])
      await q.query(`DROP INDEX ${index}`);
    await q.query(
      'ALTER TABLE subscriptions DROP COLUMN paused_until, DROP COLUMN consecutive_failures',
    );
  }
}
