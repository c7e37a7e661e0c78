import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  CreateCampaignBody,
  CreateCampaignTaskBody,
  MilestoneEventTypes,
  RuleViolation,
  Topics,
  chinaDate,
} from '@duban/contracts';
import { Principal, actorName, assertMayActFor, assertRegion, mayActFor } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { Page, pageOf, referencedPark } from '../access';
import { Actor, TaskCommand, changeTask, planTask } from './domain/campaign-task';
import { CampaignListQuery } from './campaign-list.query';
import { CampaignTask } from './campaign-task.entity';
import { taskEvent } from './campaign-task.events';
import { Campaign } from './campaign.entity';

const EVENT_OF: Record<
  TaskCommand['kind'],
  (typeof MilestoneEventTypes)[keyof typeof MilestoneEventTypes]
> = {
  forecast: MilestoneEventTypes.forecastChanged,
  complete: MilestoneEventTypes.completed,
  reschedule: MilestoneEventTypes.rescheduled,
  cancel: MilestoneEventTypes.cancelled,
};

/**
 * Campaigns (攻坚行动) and their tasks. The campaign's lead unit sets tasks for any unit; a
 * task's owner unit may also set and change its own; admins anything. Every task change is a
 * shared milestone event, so the scheduler alerts on late tasks like on any milestone.
 */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  create(actor: Principal, body: CreateCampaignBody, manager?: EntityManager): Promise<Campaign> {
    assertMayActFor(actor, body.leadUnit);
    assertRegion(actor, body.regionCode);
    return inTransaction(this.ds, manager, async (m) => {
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

  async get(id: string): Promise<Campaign> {
    return findCampaign(this.ds.manager, id);
  }

  async list(query: CampaignListQuery): Promise<Page<Campaign>> {
    const qb = this.ds
      .getRepository(Campaign)
      .createQueryBuilder('c')
      .orderBy('c.id', 'ASC')
      .take(query.limit + 1);
    if (query.cursor) qb.andWhere('c.id > :cursor', { cursor: query.cursor });
    if (query.regionCode) qb.andWhere('c.region_code = :region', { region: query.regionCode });
    return pageOf(await qb.getMany(), query.limit);
  }

  addTask(
    actor: Principal,
    campaignId: string,
    body: CreateCampaignTaskBody,
    manager?: EntityManager,
  ): Promise<CampaignTask> {
    return inTransaction(this.ds, manager, async (m) => {
      const campaign = await findCampaign(m, campaignId);
      assertMayWriteTask(actor, campaign, body.ownerUnit);
      if (body.parkId) await referencedPark(m, body.parkId);
      const { parkId, ...milestone } = body;
      const task = m.create(CampaignTask, {
        ...planTask(milestone, this.actor(actor)),
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

  async tasks(campaignId: string): Promise<CampaignTask[]> {
    await findCampaign(this.ds.manager, campaignId);
    return this.ds.manager.find(CampaignTask, {
      where: { campaignId },
      order: { currentPlannedDate: 'ASC', id: 'ASC' },
    });
  }

  task(campaignId: string, taskId: string): Promise<CampaignTask> {
    return findTask(this.ds.manager, campaignId, taskId);
  }

  changeTask(
    actor: Principal,
    campaignId: string,
    taskId: string,
    command: TaskCommand,
    manager?: EntityManager,
  ): Promise<CampaignTask> {
    return inTransaction(this.ds, manager, async (m) => {
      const campaign = await findCampaign(m, campaignId);
      const task = await findTask(m, campaignId, taskId, true);
      assertMayWriteTask(actor, campaign, task.ownerUnit);
      const today = chinaDate(this.clock.now());
      const state = changeTask(task, command, today, this.actor(actor));
      Object.assign(task, state, { version: task.version + 1 });
      await m.save(task);
      await addToOutbox(m, Topics.parks, [taskEvent(EVENT_OF[command.kind], campaign, task)]);
      return task;
    });
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

async function findTask(
  m: EntityManager,
  campaignId: string,
  id: string,
  lock = false,
): Promise<CampaignTask> {
  const task = await m.findOne(CampaignTask, {
    where: { id, campaignId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!task) throw new RuleViolation(`campaign ${campaignId} has no task ${id}`, 'not-found');
  return task;
}

/** The task's owner unit, or the campaign's lead unit (which assigns tasks), or an admin. */
function assertMayWriteTask(actor: Principal, campaign: Campaign, ownerUnit: string): void {
  assertRegion(actor, campaign.regionCode);
  if (mayActFor(actor, ownerUnit)) return;
  assertMayActFor(actor, campaign.leadUnit);
}
