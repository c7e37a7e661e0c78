import { MigrationInterface, QueryRunner } from 'typeorm';

export class SchedulerTables1764400200000 implements MigrationInterface {
  name = 'SchedulerTables1764400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE timetable (
        milestone_id uuid PRIMARY KEY,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        name text NOT NULL,
        owner_unit text NOT NULL,
        region text NOT NULL,
        planned_date date NOT NULL,
        current_planned_date date NOT NULL,
        forecast_date date,
        actual_date date,
        status text NOT NULL,
        event_time timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      "CREATE INDEX timetable_pending_idx ON timetable (current_planned_date) WHERE status = 'pending'",
    );
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY,
        milestone_id uuid NOT NULL,
        rule text NOT NULL,
        severity text NOT NULL,
        state text NOT NULL,
        escalation_level int NOT NULL,
        level_since timestamptz NOT NULL,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        milestone_name text NOT NULL,
        owner_unit text NOT NULL,
        region text NOT NULL,
        current_planned_date date NOT NULL,
        forecast_date date,
        days_overdue int NOT NULL,
        raised_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by text,
        note text,
        resolved_at timestamptz,
        resolution text,
        history jsonb NOT NULL
      )`);
    await q.query(
      "CREATE UNIQUE INDEX alerts_one_open_uq ON alerts (milestone_id, rule) WHERE state <> 'resolved'",
    );
    await q.query('CREATE INDEX alerts_state_idx ON alerts (state, owner_unit)');
    await q.query(`
      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY,
        url text NOT NULL,
        secret text NOT NULL,
        filter jsonb NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        state text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX deliveries_subscription_event_uq ON deliveries (subscription_id, event_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['deliveries', 'subscriptions', 'alerts', 'timetable'])
      await q.query(`DROP TABLE ${t}`);
  }
}
