import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectsTables1764400100000 implements MigrationInterface {
  name = 'ProjectsTables1764400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        category text NOT NULL,
        level text NOT NULL,
        lead_unit text NOT NULL,
        responsible_leader text NOT NULL,
        township text NOT NULL,
        region_code text NOT NULL,
        total_planned_investment_wan numeric(15,2) NOT NULL,
        annual_planned_investment_wan numeric(15,2) NOT NULL,
        planned_start_date date NOT NULL,
        planned_end_date date NOT NULL,
        park_id uuid,
        tags text[] NOT NULL DEFAULT '{}',
        status text NOT NULL,
        suspended_from text,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX projects_region_code_uq ON projects (region_code, code)');
    await q.query('CREATE INDEX projects_lead_unit_idx ON projects (lead_unit)');
    await q.query(`
      CREATE TABLE milestones (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects(id),
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
    await q.query('CREATE INDEX milestones_project_idx ON milestones (project_id)');
    await q.query(`
      CREATE TABLE progress_reports (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects(id),
        month char(7) NOT NULL,
        investment_completed_wan numeric(15,2) NOT NULL,
        cumulative_investment_wan numeric(15,2) NOT NULL,
        physical_progress_pct numeric(5,2) NOT NULL,
        narrative text NOT NULL,
        items jsonb NOT NULL,
        submitted_by text NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX progress_reports_project_month_uq ON progress_reports (project_id, month)',
    );
    await q.query(`
      CREATE TABLE known_parks (
        park_id uuid PRIMARY KEY,
        name text NOT NULL,
        region_code text NOT NULL,
        managing_unit text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE known_parks');
    await q.query('DROP TABLE progress_reports');
    await q.query('DROP TABLE milestones');
    await q.query('DROP TABLE projects');
  }
}
