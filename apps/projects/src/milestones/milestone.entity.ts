import { Column, Entity, Index } from 'typeorm';
import { MilestoneColumns } from '@duban/persistence';

/** A dated promise of a project ("预计年内完成"): the scheduler watches it through its events. */
@Entity('milestones')
@Index('milestones_project_idx', ['projectId'])
export class Milestone extends MilestoneColumns {
  @Column({ type: 'uuid' })
  projectId!: string;
}
