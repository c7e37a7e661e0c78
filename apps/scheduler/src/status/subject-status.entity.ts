import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The traffic light of one subject (a project, park, campaign task, transport work or honour),
 * recomputed from the alerts table (the truth) and the timetable. A row exists for every
 * subject the scheduler has seen a milestone or plan of, so green subjects are counted too.
 */
@Entity('subject_status')
@Index('subject_status_unit_idx', ['ownerUnit', 'colour'])
@Index('subject_status_region_idx', ['region', 'colour'])
export class SubjectStatus {
  @PrimaryColumn({ type: 'uuid' })
  subjectId!: string;

  @Column({ type: 'text' })
  subjectType!: 'project' | 'park' | 'campaign-task' | 'transport-work' | 'honour';

  /** The unit of the subject's latest milestone or alert (a project: its lead unit). */
  @Column({ type: 'text' })
  ownerUnit!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ type: 'text' })
  colour!: 'red' | 'yellow' | 'green';

  /** Alerts in state open or acknowledged. */
  @Column({ type: 'int' })
  openAlerts!: number;

  /** When the colour last changed (or the subject was first seen). */
  @Column({ type: 'timestamptz' })
  changedAt!: Date;
}
