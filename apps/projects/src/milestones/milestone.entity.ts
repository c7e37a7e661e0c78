import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { MilestoneChange, MilestoneStatus } from '@duban/milestones';

/** A dated promise of a project ("预计年内完成"): the scheduler watches it through its events. */
@Entity('milestones')
@Index('milestones_project_idx', ['projectId'])
export class Milestone {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  ownerUnit!: string;

  /** The baseline, never overwritten. */
  @Column({ type: 'date' })
  plannedDate!: string;

  @Column({ type: 'date' })
  currentPlannedDate!: string;

  @Column({ type: 'date', nullable: true })
  forecastDate!: string | null;

  @Column({ type: 'date', nullable: true })
  actualDate!: string | null;

  @Column({ type: 'text' })
  status!: MilestoneStatus;

  @Column({ type: 'jsonb' })
  history!: MilestoneChange[];

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
