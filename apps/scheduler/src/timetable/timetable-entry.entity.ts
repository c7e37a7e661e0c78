import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The scheduler's read model of a milestone, built only from milestone events. */
@Entity('timetable')
@Index('timetable_pending_idx', ['currentPlannedDate'], { where: "status = 'pending'" })
export class TimetableEntry {
  @PrimaryColumn({ type: 'uuid' })
  milestoneId!: string;

  @Column({ type: 'text' })
  subjectType!: 'project' | 'park' | 'campaign-task' | 'transport-work' | 'honour';

  @Column({ type: 'uuid' })
  subjectId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  ownerUnit!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ type: 'date' })
  plannedDate!: string;

  @Column({ type: 'date' })
  currentPlannedDate!: string;

  @Column({ type: 'date', nullable: true })
  forecastDate!: string | null;

  @Column({ type: 'date', nullable: true })
  actualDate!: string | null;

  @Column({ type: 'text' })
  status!: 'pending' | 'met' | 'missed' | 'cancelled';

  /**
   * Approved changes (变更次数): rescheduled and cancelled events applied. Since changes need
   * approval (issue 12) each such event is an approved change, or a self-approved one by policy.
   */
  @Column({ type: 'int', default: 0 })
  changeCount!: number;

  /** A campaign task's campaign (for campaign silences); null for any other milestone. */
  @Column({ type: 'uuid', nullable: true })
  campaignId!: string | null;

  /** `time` of the newest event applied: an older (replayed) event never overwrites a newer one. */
  @Column({ type: 'timestamptz' })
  eventTime!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
