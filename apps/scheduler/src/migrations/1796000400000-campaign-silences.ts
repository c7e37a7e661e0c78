import { MigrationInterface, QueryRunner } from 'typeorm';

/** A campaign task's campaign in the timetable, and silences of a whole campaign. */
export class CampaignSilences1796000400000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE timetable ADD COLUMN campaign_id uuid');
    await q.query('ALTER TABLE silences DROP CONSTRAINT silences_subject_type_check');
    await q.query(
      `ALTER TABLE silences ADD CONSTRAINT silences_subject_type_check CHECK (subject_type IN
        ('project', 'park', 'campaign-task', 'transport-work', 'honour', 'campaign', 'unit'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DELETE FROM silences WHERE subject_type = 'campaign'");
    await q.query('ALTER TABLE silences DROP CONSTRAINT silences_subject_type_check');
    await q.query(
      `ALTER TABLE silences ADD CONSTRAINT silences_subject_type_check CHECK (subject_type IN
        ('project', 'park', 'campaign-task', 'transport-work', 'honour', 'unit'))`,
    );
    await q.query('ALTER TABLE timetable DROP COLUMN campaign_id');
  }
}
