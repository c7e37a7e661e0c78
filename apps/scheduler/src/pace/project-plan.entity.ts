import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A project's plan and latest reported physical progress (形象进度), learnt from the projects
 * topic: enough to judge whether it is behind a linear plan.
 */
@Entity('project_plans')
export class ProjectPlan {
  @PrimaryColumn({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  leadUnit!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'date' })
  plannedStartDate!: string;

  @Column({ type: 'date' })
  plannedEndDate!: string;

  @Column({ type: 'real', nullable: true })
  physicalProgressPct!: number | null;

  /** The month of the report the progress came from: an older month's report never overrides. */
  @Column({ type: 'char', length: 7, nullable: true })
  reportMonth!: string | null;
}
