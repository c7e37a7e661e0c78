import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  CreateMilestoneBody,
  MilestoneEventTypes,
  RuleViolation,
  Topics,
  chinaDate,
} from '@duban/contracts';
import { Principal, actorName, assertMayActForAny } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { readableProject, writableProject } from '../projects/access';
import {
  Actor,
  EVENT_OF,
  MilestoneCommand,
  applyCommand,
  scheduleMilestone,
  unitsThatMayGive,
} from '@duban/milestones';
import { Milestone } from './milestone.entity';
import { milestoneEvent } from './milestone.events';

/**
 * Milestones of a project. The lead unit sets, reschedules and cancels them; the milestone's
 * owner unit may also report its forecast and its completion.
 */
@Injectable()
export class MilestonesService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  create(
    actor: Principal,
    projectId: string,
    body: z.infer<typeof CreateMilestoneBody>,
    manager?: EntityManager,
  ) {
    return inTransaction(this.ds, manager, async (m) => {
      const project = await writableProject(m, actor, projectId);
      const state = scheduleMilestone(body, this.actor(actor));
      const milestone = m.create(Milestone, { ...state, id: uuidv7(), projectId, version: 1 });
      await m.insert(Milestone, milestone);
      await addToOutbox(m, Topics.projects, [
        milestoneEvent(MilestoneEventTypes.scheduled, project, milestone),
      ]);
      return milestone;
    });
  }

  async list(actor: Principal, projectId: string): Promise<Milestone[]> {
    await readableProject(this.ds.manager, actor, projectId);
    return this.ds.manager.find(Milestone, {
      where: { projectId },
      order: { currentPlannedDate: 'ASC', id: 'ASC' },
    });
  }

  /** Forecast, complete, reschedule or cancel: each checked, applied and published alike. */
  change(
    actor: Principal,
    projectId: string,
    id: string,
    command: MilestoneCommand,
    manager?: EntityManager,
  ): Promise<Milestone> {
    return inTransaction(this.ds, manager, async (m) => {
      // Unit codes repeat across counties: the same unit elsewhere is not this project's owner.
      const project = await readableProject(m, actor, projectId, true);
      const milestone = await m.findOneBy(Milestone, { id, projectId });
      if (!milestone)
        throw new RuleViolation(`project ${projectId} has no milestone ${id}`, 'not-found');
      assertMayActForAny(
        actor,
        unitsThatMayGive(command.kind, {
          ownerUnit: milestone.ownerUnit,
          leadUnit: project.leadUnit,
        }),
      );
      const today = chinaDate(this.clock.now());
      Object.assign(milestone, applyCommand(milestone, command, today, this.actor(actor)), {
        version: milestone.version + 1,
      });
      await m.save(milestone);
      await addToOutbox(m, Topics.projects, [
        milestoneEvent(EVENT_OF[command.kind], project, milestone),
      ]);
      return milestone;
    });
  }

  private actor(p: Principal): Actor {
    return { by: actorName(p), at: this.clock.now().toISOString() };
  }
}
