import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { MilestoneChange, MilestoneStatus } from '@duban/milestones';

/** A dated task of a campaign; the scheduler watches it through the shared milestone events. */
@Entity('campaign_tasks')
@Index('campaign_tasks_campaign_idx', ['campaignId'])
export class CampaignTask {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'uuid', nullable: true })
  parkId!: string | null;

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
