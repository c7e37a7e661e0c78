import { MigrationInterface, QueryRunner } from 'typeorm';
import { createChangeRequestsTable, dropChangeRequestsTable } from '@duban/milestones';

/** Reschedule and cancel requests awaiting or past approval (issue 12). */
export class ChangeRequests1796000000000 implements MigrationInterface {
  name = 'ChangeRequests1796000000000';

  up(q: QueryRunner): Promise<void> {
    return createChangeRequestsTable(q);
  }

  down(q: QueryRunner): Promise<void> {
    return dropChangeRequestsTable(q);
  }
}
