import { MigrationInterface, QueryRunner } from 'typeorm';

/** Traffic lights per subject, and the number of approved changes per milestone. */
export class StatusAndReports1796000300000 implements MigrationInterface {
  name = 'StatusAndReports1796000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE subject_status (
        subject_id uuid PRIMARY KEY,
        subject_type text NOT NULL,
        owner_unit text NOT NULL,
        region text NOT NULL,
        colour text NOT NULL CHECK (colour IN ('red', 'yellow', 'green')),
        open_alerts int NOT NULL DEFAULT 0,
        changed_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX subject_status_unit_idx ON subject_status (owner_unit, colour)');
    await q.query('CREATE INDEX subject_status_region_idx ON subject_status (region, colour)');
    // Every reschedule and cancellation is an approved change (or a self-approved one by policy).
    await q.query('ALTER TABLE timetable ADD COLUMN change_count int NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE timetable DROP COLUMN change_count');
    await q.query('DROP TABLE subject_status');
  }
}
