import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The alert loop (督办闭环, issue 12): the acknowledgement's commit date, reminders, and the
 * supervisor's verification (销号). Only open and acknowledged alerts are "the" alert of a
 * milestone and rule now: a resolved one waits for verification and a closed one is history, so
 * the rule firing again meanwhile raises a new alert.
 */
export class AlertLoop1796000100000 implements MigrationInterface {
  name = 'AlertLoop1796000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE alerts
        ADD COLUMN commit_date date,
        ADD COLUMN reminder_count int NOT NULL DEFAULT 0,
        ADD COLUMN remind_since timestamptz,
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN closed_by text,
        ADD COLUMN verification_note text`);
    // The reminder clock of an alert raised before this starts when it was raised.
    await q.query('UPDATE alerts SET remind_since = raised_at');
    await q.query('ALTER TABLE alerts ALTER COLUMN remind_since SET NOT NULL');
    await q.query('DROP INDEX alerts_one_open_uq');
    await q.query(
      "CREATE UNIQUE INDEX alerts_one_open_uq ON alerts (milestone_id, rule) WHERE state NOT IN ('resolved', 'closed')",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX alerts_one_open_uq');
    // A closed alert was resolved before it was closed.
    await q.query("UPDATE alerts SET state = 'resolved' WHERE state = 'closed'");
    await q.query(
      "CREATE UNIQUE INDEX alerts_one_open_uq ON alerts (milestone_id, rule) WHERE state <> 'resolved'",
    );
    await q.query(`
      ALTER TABLE alerts
        DROP COLUMN commit_date,
        DROP COLUMN reminder_count,
        DROP COLUMN remind_since,
        DROP COLUMN closed_at,
        DROP COLUMN closed_by,
        DROP COLUMN verification_note`);
  }
}
