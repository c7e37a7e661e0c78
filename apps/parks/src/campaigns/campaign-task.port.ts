import { Provider } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { RuleViolation, Topics } from '@duban/contracts';
import { Principal, mayReadRegion } from '@duban/auth';
import {
  CHANGE_POLICY,
  ChangeRequestRecord,
  MILESTONE_CHANGE_FLOW,
  MilestoneChangeFlow,
  MilestonePort,
  MilestoneTarget,
  TypeOrmChangeRequestStore,
} from '@duban/milestones';
import { Clock } from '@duban/platform';
import { CampaignTask } from './campaign-task.entity';
import { taskData } from './campaign-task.events';
import { Campaign } from './campaign.entity';

export interface TaskRef {
  campaignId: string;
  taskId: string;
}

/**
 * A campaign's tasks for the shared change flow. The campaign's lock orders its tasks' changes
 * and their events, as a project's lock orders its milestones'.
 */
export class CampaignTasks implements MilestonePort<EntityManager, TaskRef, CampaignTask> {
  readonly service = 'parks' as const;

  async lock(m: EntityManager, actor: Principal, ref: TaskRef) {
    const campaign = await lockedCampaign(m, ref.campaignId);
    if (!mayReadRegion(actor, campaign.regionCode)) {
      throw new RuleViolation(`no campaign ${ref.campaignId}`, 'not-found');
    }
    return target(m, campaign, ref.taskId);
  }

  async lockFor(m: EntityManager, r: ChangeRequestRecord) {
    return target(m, await lockedCampaign(m, r.aggregateId), r.milestoneId);
  }

  async save(m: EntityManager, task: CampaignTask): Promise<void> {
    await m.save(task);
  }
}

async function lockedCampaign(m: EntityManager, id: string): Promise<Campaign> {
  const campaign = await m.findOne(Campaign, {
    where: { id },
    lock: { mode: 'pessimistic_write' },
  });
  if (!campaign) throw new RuleViolation(`no campaign ${id}`, 'not-found');
  return campaign;
}

async function target(
  m: EntityManager,
  campaign: Campaign,
  taskId: string,
): Promise<MilestoneTarget<CampaignTask>> {
  const task = await m.findOneBy(CampaignTask, { id: taskId, campaignId: campaign.id });
  if (!task) throw new RuleViolation(`campaign ${campaign.id} has no task ${taskId}`, 'not-found');
  return {
    milestone: task,
    aggregateId: campaign.id,
    regionCode: campaign.regionCode,
    leadUnit: campaign.leadUnit,
    label: `task ${task.name} of campaign ${campaign.name}`,
    data: () => taskData(campaign, task),
  };
}

export type TaskChangeFlow = MilestoneChangeFlow<EntityManager, TaskRef, CampaignTask>;

export const taskChangeFlow: Provider = {
  provide: MILESTONE_CHANGE_FLOW,
  inject: [DataSource, Clock],
  useFactory: (ds: DataSource, clock: Clock): TaskChangeFlow =>
    new MilestoneChangeFlow(
      'campaign-task',
      new CampaignTasks(),
      new TypeOrmChangeRequestStore(ds, Topics.parks),
      CHANGE_POLICY,
      () => clock.now(),
      uuidv7,
    ),
};
