import { MigrationInterface, QueryRunner } from 'typeorm';

export class EvaluationTables1764500000000 implements MigrationInterface {
  name = 'EvaluationTables1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE schemes (
        id uuid PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        region_code text NOT NULL,
        period text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        subject_kind text NOT NULL,
        subjects jsonb NOT NULL,
        indicators jsonb NOT NULL,
        deductions jsonb NOT NULL,
        measures text[] NOT NULL,
        status text NOT NULL,
        closed_at timestamptz,
        ranking jsonb NOT NULL,
        created_by text NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX schemes_region_code_uq ON schemes (region_code, code)');
    await q.query('CREATE INDEX schemes_measures_idx ON schemes USING gin (measures)');
    await q.query(`
      CREATE TABLE facts (
        measure text NOT NULL,
        fact_key text NOT NULL,
        unit text,
        region text NOT NULL,
        fact_date date NOT NULL,
        numerator numeric NOT NULL,
        denominator numeric NOT NULL,
        version int,
        event_id uuid NOT NULL,
        PRIMARY KEY (measure, fact_key)
      )`);
    await q.query('CREATE INDEX facts_measure_date_idx ON facts (measure, fact_date)');
    await q.query(`
      CREATE TABLE actuals (
        scheme_id uuid NOT NULL REFERENCES schemes(id),
        item_code text NOT NULL,
        subject text NOT NULL,
        numerator numeric NOT NULL DEFAULT 0,
        denominator numeric NOT NULL DEFAULT 0,
        recorded_by text,
        recorded_at timestamptz,
        PRIMARY KEY (scheme_id, item_code, subject)
      )`);
    await q.query(`
      CREATE TABLE scores (
        scheme_id uuid NOT NULL REFERENCES schemes(id),
        subject text NOT NULL,
        total numeric(14,2) NOT NULL,
        indicator_points numeric(14,2) NOT NULL,
        deduction_points numeric(14,2) NOT NULL,
        results jsonb NOT NULL,
        deductions jsonb NOT NULL,
        rank int NOT NULL,
        PRIMARY KEY (scheme_id, subject)
      )`);
    await q.query(`
      CREATE TABLE late_events (
        id uuid PRIMARY KEY,
        scheme_id uuid NOT NULL REFERENCES schemes(id),
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        event_time timestamptz NOT NULL,
        measure text NOT NULL,
        fact_key text NOT NULL,
        item_code text NOT NULL,
        subject text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX late_events_scheme_idx ON late_events (scheme_id, id)');
    await q.query(`
      CREATE TABLE honours (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        ambition text NOT NULL,
        level text NOT NULL,
        owner_unit text NOT NULL,
        region_code text NOT NULL,
        target_year int NOT NULL,
        status text NOT NULL,
        deadlines jsonb NOT NULL,
        history jsonb NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX honours_region_name_year_uq ON honours (region_code, name, target_year)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE honours');
    await q.query('DROP TABLE late_events');
    await q.query('DROP TABLE scores');
    await q.query('DROP TABLE actuals');
    await q.query('DROP TABLE facts');
    await q.query('DROP TABLE schemes');
  }
}
