import { MigrationInterface, QueryRunner } from 'typeorm';

/** A stock's fact is a validity interval: entered on fact_date, left on valid_until. */
export class FactValidity1764600000000 implements MigrationInterface {
  name = 'FactValidity1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE facts ADD COLUMN valid_until date');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE facts DROP COLUMN valid_until');
  }
}
