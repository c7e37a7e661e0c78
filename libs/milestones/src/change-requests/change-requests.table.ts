import { QueryRunner } from 'typeorm';

/**
 * The change_requests table, the same in every service that owns milestones; each service's
 * migration calls this so the shape is written once.
 */
export async function createChangeRequestsTable(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE change_requests (
      id uuid PRIMARY KEY,
      subject_type text NOT NULL,
      subject_id uuid NOT NULL,
      aggregate_id uuid NOT NULL,
      milestone_id uuid NOT NULL,
      region_code text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('reschedule', 'cancel')),
      proposed_date date,
      reason text NOT NULL,
      state text NOT NULL CHECK (state IN ('requested', 'approved', 'rejected', 'withdrawn')),
      requested_by text NOT NULL,
      requesting_unit text,
      requested_at timestamptz NOT NULL,
      decided_by text,
      decision_note text,
      decided_at timestamptz,
      CHECK ((kind = 'reschedule') = (proposed_date IS NOT NULL))
    )`);
  await q.query(
    'CREATE INDEX change_requests_region_state_idx ON change_requests (region_code, state)',
  );
  // The flow checks for an open request under the aggregate's lock; this is the backstop.
  await q.query(
    `CREATE UNIQUE INDEX change_requests_one_open_uq ON change_requests (milestone_id)
       WHERE state = 'requested'`,
  );
}

export async function dropChangeRequestsTable(q: QueryRunner): Promise<void> {
  await q.query('DROP TABLE change_requests');
}
