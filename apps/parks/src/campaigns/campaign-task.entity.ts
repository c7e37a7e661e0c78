import { Column, Entity, Index } from 'typeorm';
import { MilestoneColumns } from '@duban/persistence';

/** A dated task of a campaign; the scheduler watches it through the shared milestone events. */
@Entity('campaign_tasks')
@Index('campaign_tasks_campaign_idx', ['campaignId'])
export class CampaignTask extends MilestoneColumns {
  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'uuid', nullable: true })
  parkId!: string | null;
}
