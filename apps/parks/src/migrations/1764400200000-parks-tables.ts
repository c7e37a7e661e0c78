import { MigrationInterface, QueryRunner } from 'typeorm';

export class ParksTables1764400200000 implements MigrationInterface {
  name = 'ParksTables1764400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parks (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        region_code text NOT NULL,
        lead_industry text NOT NULL,
        planned_area_mu numeric(12,2) NOT NULL CHECK (planned_area_mu > 0),
        developed_area_mu numeric(12,2) NOT NULL
          CHECK (developed_area_mu >= 0 AND developed_area_mu <= planned_area_mu),
        managing_unit text NOT NULL,
        designations jsonb NOT NULL DEFAULT '[]',
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX parks_region_name_uq ON parks (region_code, name)');
    await q.query(`
      CREATE TABLE enterprises (
        id uuid PRIMARY KEY,
        uscc char(18) NOT NULL,
        name text NOT NULL,
        park_id uuid NOT NULL REFERENCES parks(id),
        region_code text NOT NULL,
        industry text NOT NULL,
        investment_wan numeric(15,2) NOT NULL,
        employees int NOT NULL,
        above_designated_size boolean NOT NULL,
        status text NOT NULL,
        status_changed_on date NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX enterprises_uscc_uq ON enterprises (uscc)');
    await q.query('CREATE INDEX enterprises_park_idx ON enterprises (park_id)');
    await q.query(`
      CREATE TABLE park_indicators (
        park_id uuid NOT NULL REFERENCES parks(id),
        month char(7) NOT NULL,
        output_value_wan numeric(15,2) NOT NULL,
        industrial_value_added_wan numeric(15,2) NOT NULL,
        tax_wan numeric(15,2) NOT NULL,
        fixed_investment_wan numeric(15,2) NOT NULL,
        employees int NOT NULL,
        planned_area_mu numeric(12,2) NOT NULL,
        developed_area_mu numeric(12,2) NOT NULL,
        occupancy_pct numeric(7,2) NOT NULL,
        tax_per_mu_wan numeric(15,2) NOT NULL,
        reported_by text NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (park_id, month)
      )`);
    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        region_code text NOT NULL,
        lead_unit text NOT NULL,
        description text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX campaigns_region_name_uq ON campaigns (region_code, name)');
    await q.query(`
      CREATE TABLE campaign_tasks (
        id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL REFERENCES campaigns(id),
        park_id uuid REFERENCES parks(id),
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
    await q.query('CREATE INDEX campaign_tasks_campaign_idx ON campaign_tasks (campaign_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE campaign_tasks');
    await q.query('DROP TABLE campaigns');
    await q.query('DROP TABLE park_indicators');
    await q.query('DROP TABLE enterprises');
    await q.query('DROP TABLE parks');
  }
}
