import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Silences (issue 12): a supervisor's bounded pause of notification and escalation for one
 * subject or one unit. `state` moves active → ended once (expired or deleted); the guarded UPDATE
 * on it is what publishes `duban.silence.ended` exactly once across replicas.
 */
export class Silences1796000200000 implements MigrationInterface {
  name = 'Silences1796000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE silences (
        id uuid PRIMARY KEY,
        subject_type text NOT NULL
          CHECK (subject_type IN ('project', 'park', 'campaign-task', 'transport-work', 'honour', 'unit')),
        subject_id uuid,
        unit text,
        region text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        reason text NOT NULL,
        state text NOT NULL CHECK (state IN ('active', 'ended')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        ended_at timestamptz,
        ended_by text,
        end_reason text CHECK (end_reason IN ('expired', 'deleted')),
        CHECK (ends_at > starts_at),
        CHECK ((subject_type = 'unit') = (unit IS NOT NULL AND subject_id IS NULL)),
        CHECK (subject_type = 'unit' OR subject_id IS NOT NULL),
        CHECK ((state = 'ended') = (end_reason IS NOT NULL))
      )`);
    await q.query(
      "CREATE INDEX silences_active_subject_idx ON silences (region, subject_type, subject_id) WHERE state = 'active'",
    );
    await q.query(
      "CREATE INDEX silences_active_unit_idx ON silences (region, unit) WHERE state = 'active'",
    );
    await q.query(
      "CREATE INDEX silences_active_ends_idx ON silences (ends_at) WHERE state = 'active'",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE silences');
  }
}
