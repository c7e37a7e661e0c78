import { MigrationInterface, QueryRunner } from 'typeorm';

export class TransportTables1764500300000 implements MigrationInterface {
  name = 'TransportTables1764500300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE transport_works (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        name text NOT NULL,
        region_code text NOT NULL,
        lead_unit text NOT NULL,
        planned_investment_wan numeric(15,2) NOT NULL,
        phase text NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX transport_works_region_name_uq ON transport_works (region_code, name)',
    );
    await q.query(`
      CREATE TABLE transport_gates (
        id uuid PRIMARY KEY,
        work_id uuid NOT NULL REFERENCES transport_works(id),
        gate text NOT NULL,
        name text NOT NULL,
        owner_unit text NOT NULL,
        planned_date date NOT NULL,
        current_planned_date date NOT NULL,
        forecast_date date,
        actual_date date,
        status text NOT NULL,
        history jsonb NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX transport_gates_work_gate_uq ON transport_gates (work_id, gate)',
    );
    await q.query(`
      CREATE TABLE transport_sections (
        id uuid PRIMARY KEY,
        work_id uuid NOT NULL REFERENCES transport_works(id),
        name text NOT NULL,
        length_metres int NOT NULL CHECK (length_metres > 0),
        progress_pct numeric(5,2) NOT NULL,
        opened_on date,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX transport_sections_work_idx ON transport_sections (work_id)');
    await q.query(`
      CREATE TABLE operating_mileage (
        region_code text NOT NULL,
        kind text NOT NULL,
        baseline_metres bigint NOT NULL DEFAULT 0 CHECK (baseline_metres >= 0),
        opened_metres bigint NOT NULL DEFAULT 0 CHECK (opened_metres >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (region_code, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE operating_mileage');
    await q.query('DROP TABLE transport_sections');
    await q.query('DROP TABLE transport_gates');
    await q.query('DROP TABLE transport_works');
  }
}
