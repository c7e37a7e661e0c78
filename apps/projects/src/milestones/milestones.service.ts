import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { CreateMilestoneBody, MilestoneEventTypes, Topics } from '@duban/contracts';
import { Principal, actorName } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { readableProject, writableProject } from '../projects/access';
import {
  Actor,
  ChangeOutcome,
  MILESTONE_CHANGE_FLOW,
  MilestoneCommand,
  scheduleMilestone,
} from '@duban/milestones';
import { Milestone } from './milestone.entity';
import { milestoneEvent } from './milestone.events';
import { ProjectMilestoneFlow } from './milestone.port';

/**
 * Milestones of a project. The lead unit sets, reschedules and cancels them (a county key
 * project's reschedule or cancellation only once a supervisor approves); the milestone's owner
 * unit may also report its forecast and its completion.
 */
@Injectable()
export class MilestonesService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(MILESTONE_CHANGE_FLOW) private readonly flow: ProjectMilestoneFlow,
  ) {}

  create(actor: Principal, projectId: string, body: z.infer<typeof CreateMilestoneBody>) {
    return inTransaction(this.ds, async (m) => {
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

  /**
   * Forecast, complete, reschedule or cancel, through the one change flow: a reschedule or
   * cancellation the policy does not let the lead unit approve itself becomes a change request.
   */
  change(
    actor: Principal,
    projectId: string,
    milestoneId: string,
    command: MilestoneCommand,
  ): Promise<ChangeOutcome<Milestone>> {
    return this.flow.change(actor, { projectId, milestoneId }, command);
  }

  private actor(p: Principal): Actor {
    return { by: actorName(p), at: this.clock.now().toISOString() };
  }
}
