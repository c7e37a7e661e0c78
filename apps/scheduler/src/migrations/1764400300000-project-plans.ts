import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectPlans1764400300000 implements MigrationInterface {
  name = 'ProjectPlans1764400300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project_plans (
        project_id uuid PRIMARY KEY,
        name text NOT NULL,
        lead_unit text NOT NULL,
        region text NOT NULL,
        status text NOT NULL,
        planned_start_date date NOT NULL,
        planned_end_date date NOT NULL,
        physical_progress_pct real,
        report_month char(7)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE project_plans');
  }
}
