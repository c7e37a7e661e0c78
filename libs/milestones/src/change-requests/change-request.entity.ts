import { Column, Entity, Index, PrimaryColumn, ValueTransformer } from 'typeorm';
import type { ChangeRequestKind, ChangeRequestState } from '@duban/contracts';
import type { ChangeRequestRecord } from '../change-request';

/** Instants kept as the ISO strings the domain and the events speak. */
const isoInstant: ValueTransformer = {
  to: (v: string | null) => v,
  from: (v: Date | null) => (v === null ? null : v.toISOString()),
};

/**
 * A change request as each milestone-owning service stores it (projects, parks, transport: a
 * table of the same shape in each database, created by `createChangeRequestsTable`).
 */
@Entity('change_requests')
@Index('change_requests_region_state_idx', ['regionCode', 'state'])
export class ChangeRequest implements ChangeRequestRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  subjectType!: ChangeRequestRecord['subjectType'];

  @Column({ type: 'uuid' })
  subjectId!: string;

  @Column({ type: 'uuid' })
  aggregateId!: string;

  @Column({ type: 'uuid' })
  milestoneId!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  @Column({ type: 'text' })
  kind!: ChangeRequestKind;

  @Column({ type: 'date', nullable: true })
  proposedDate!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  state!: ChangeRequestState;

  @Column({ type: 'text' })
  requestedBy!: string;

  @Column({ type: 'text', nullable: true })
  requestingUnit!: string | null;

  @Column({ type: 'timestamptz', transformer: isoInstant })
  requestedAt!: string;

  @Column({ type: 'text', nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  decisionNote!: string | null;

  @Column({ type: 'timestamptz', nullable: true, transformer: isoInstant })
  decidedAt!: string | null;
}
