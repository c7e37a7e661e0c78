import { MigrationInterface, QueryRunner } from 'typeorm';

/** The stock measures of the catalogue when this migration was written (frozen here). */
const STOCKS = ['enterprises-in-production', 'open-major-alerts'];

/**
 * A stock's fact keeps every interval its key spent in the counted state (`validity`, a jsonb
 * array of `[from, until]` date pairs, `until` exclusive and null while still in it) instead of
 * the latest one only (`valid_until`, dropped).
 *
 * Stock facts written before this migration cannot be converted: those from before
 * 1764600000000 counted from the latest event, those after it lost the intervals a key left
 * and re-entered. They are deleted, with the actuals of every scheme item reading a stock
 * measure (built from them); scores stay as they were until the database is rebuilt by
 * replaying the topics (see the README, "Replay").
 */
export class FactValidityIntervals1764700000000 implements MigrationInterface {
  name = 'FactValidityIntervals1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE facts ADD COLUMN validity jsonb NOT NULL DEFAULT '[]'`);
    await q.query('ALTER TABLE facts DROP COLUMN valid_until');
    await q.query('DELETE FROM facts WHERE measure = ANY($1)', [STOCKS]);
    await q.query(
      `DELETE FROM actuals a
        USING schemes s
        WHERE a.scheme_id = s.id
          AND (EXISTS (SELECT 1 FROM jsonb_array_elements(s.indicators) i
                        WHERE i->>'code' = a.item_code
                          AND i->'source'->>'kind' = 'event'
                          AND i->'source'->>'measure' = ANY($1))
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(s.deductions) d
                           WHERE d->>'code' = a.item_code AND d->>'measure' = ANY($1)))`,
      [STOCKS],
    );
  }

  /** Back to one interval per key; the stock facts are deleted again (they need a replay). */
  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM facts WHERE measure = ANY($1)', [STOCKS]);
    await q.query('ALTER TABLE facts ADD COLUMN valid_until date');
    await q.query('ALTER TABLE facts DROP COLUMN validity');
  }
}
