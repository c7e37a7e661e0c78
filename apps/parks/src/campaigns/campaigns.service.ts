import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  CreateCampaignBody,
  CreateCampaignTaskBody,
  MilestoneEventTypes,
  RuleViolation,
  Topics,
} from '@duban/contracts';
import {
  Principal,
  actorName,
  assertMayActFor,
  assertMayActForAny,
  assertRegion,
  mayReadRegion,
  regionFilter,
} from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { Page, inTransaction, keysetPage } from '@duban/persistence';
import {
  Actor,
  ChangeOutcome,
  MILESTONE_CHANGE_FLOW,
  MilestoneCommand,
  scheduleMilestone,
} from '@duban/milestones';
import { Clock } from '@duban/platform';
import { referencedPark } from '../access';
import { CampaignListQuery } from './campaign-list.query';
import { CampaignTask } from './campaign-task.entity';
import { TaskChangeFlow } from './campaign-task.port';
import { taskEvent } from './campaign-task.events';
import { Campaign } from './campaign.entity';

/**
 * Campaigns (攻坚行动) and their tasks. The campaign's lead unit sets tasks for any unit and
 * asks to reschedule or cancel them (a supervisor of the region approves); a task's owner unit may also set its own, and report its
 * forecast and completion; admins anything. A planned date in the past is accepted (campaigns
 * are often entered after their plan was agreed): such a task is overdue from the start. Every
 * task change is a shared milestone event, so the scheduler alerts on late tasks like on any
 * milestone. A campaign in another region than the caller's token is bound to is a 404.
 */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(MILESTONE_CHANGE_FLOW) private readonly flow: TaskChangeFlow,
  ) {}

  create(actor: Principal, body: CreateCampaignBody): Promise<Campaign> {
    assertMayActFor(actor, body.leadUnit);
    assertRegion(actor, body.regionCode);
    return inTransaction(this.ds, async (m) => {
      const clash = await m.findOneBy(Campaign, { regionCode: body.regionCode, name: body.name });
      if (clash) {
        throw new RuleViolation(
          `a campaign named ${body.name} already exists in region ${body.regionCode}`,
          'conflict',
          { campaignId: clash.id },
        );
      }
      const campaign = m.create(Campaign, { ...body, id: uuidv7() });
      await m.insert(Campaign, campaign);
      return campaign;
    });
  }

  get(actor: Principal, id: string): Promise<Campaign> {
    return readableCampaign(this.ds.manager, actor, id);
  }

  /** A region-bound token sees its own region only; asking for another one is a 403. */
  async list(actor: Principal, query: CampaignListQuery): Promise<Page<Campaign>> {
    const region = regionFilter(actor, query.regionCode);
    const qb = this.ds.getRepository(Campaign).createQueryBuilder('c');
    if (region) qb.andWhere('c.region_code = :region', { region });
    return keysetPage(qb, query);
  }

  addTask(
    actor: Principal,
    campaignId: string,
    body: CreateCampaignTaskBody,
  ): Promise<CampaignTask> {
    return inTransaction(this.ds, async (m) => {
      const campaign = await readableCampaign(m, actor, campaignId);
      // A unit may add a task it owns itself; the lead unit may add any.
      assertMayActForAny(actor, [body.ownerUnit, campaign.leadUnit]);
      if (body.parkId) await referencedPark(m, actor, body.parkId);
      const { parkId, ...milestone } = body;
      const task = m.create(CampaignTask, {
        ...scheduleMilestone(milestone, this.actor(actor)),
        id: uuidv7(),
        campaignId,
        parkId,
        version: 1,
      });
      await m.insert(CampaignTask, task);
      await addToOutbox(m, Topics.parks, [
        taskEvent(MilestoneEventTypes.scheduled, campaign, task),
      ]);
      return task;
    });
  }

  async tasks(actor: Principal, campaignId: string): Promise<CampaignTask[]> {
    await readableCampaign(this.ds.manager, actor, campaignId);
    return this.ds.manager.find(CampaignTask, {
      where: { campaignId },
      order: { currentPlannedDate: 'ASC', id: 'ASC' },
    });
  }

  async task(actor: Principal, campaignId: string, taskId: string): Promise<CampaignTask> {
    await readableCampaign(this.ds.manager, actor, campaignId);
    return findTask(this.ds.manager, campaignId, taskId);
  }

  /**
   * Forecast, complete, reschedule or cancel a task, through the one change flow: the lead
   * unit's reschedule or cancellation waits for a supervisor's approval (202 with the request).
   */
  changeTask(
    actor: Principal,
    campaignId: string,
    taskId: string,
    command: MilestoneCommand,
  ): Promise<ChangeOutcome<CampaignTask>> {
    return this.flow.change(actor, { campaignId, taskId }, command);
  }

  private actor(p: Principal): Actor {
    return { by: actorName(p), at: this.clock.now().toISOString() };
  }
}

async function findCampaign(m: EntityManager, id: string): Promise<Campaign> {
  const campaign = await m.findOneBy(Campaign, { id });
  if (!campaign) throw new RuleViolation(`no campaign ${id}`, 'not-found');
  return campaign;
}

async function readableCampaign(m: EntityManager, actor: Principal, id: string) {
  const campaign = await findCampaign(m, id);
  if (!mayReadRegion(actor, campaign.regionCode)) {
    throw new RuleViolation(`no campaign ${id}`, 'not-found');
  }
  return campaign;
}

async function findTask(m: EntityManager, campaignId: string, id: string): Promise<CampaignTask> {
  const task = await m.findOneBy(CampaignTask, { id, campaignId });
  if (!task) throw new RuleViolation(`campaign ${campaignId} has no task ${id}`, 'not-found');
  return task;
}
