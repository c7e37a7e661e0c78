import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert e-mail in PostgreSQL (issue 14): one row per alert event and recipient, so a lost Redis
 * job is resent by the sweep and a redelivered event mails nobody twice.
 */
export class MailDeliveries1764400500000 implements MigrationInterface {
  name = 'MailDeliveries1764400500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_deliveries (
        id uuid PRIMARY KEY,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        alert_id uuid NOT NULL,
        region text NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX mail_deliveries_event_recipient_uq ON mail_deliveries (event_id, recipient)',
    );
    await q.query('CREATE INDEX mail_deliveries_alert_idx ON mail_deliveries (alert_id, id)');
    await q.query(
      "CREATE INDEX mail_deliveries_unsent_idx ON mail_deliveries (updated_at) WHERE state IN ('pending', 'failed')",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE mail_deliveries');
  }
}
