import { Provider } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { RuleViolation, Topics } from '@duban/contracts';
import { Principal } from '@duban/auth';
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
import { readableProject } from '../projects/access';
import { Project } from '../projects/project.entity';
import { Milestone } from './milestone.entity';
import { milestoneData } from './milestone.events';

export interface MilestoneRef {
  projectId: string;
  milestoneId: string;
}

/** A project's milestones for the shared change flow: the project's lock orders them. */
export class ProjectMilestones implements MilestonePort<EntityManager, MilestoneRef, Milestone> {
  readonly service = 'projects' as const;

  async lock(m: EntityManager, actor: Principal, ref: MilestoneRef) {
    // Unit codes repeat across counties: the same unit elsewhere is not this project's owner.
    const project = await readableProject(m, actor, ref.projectId, true);
    return this.target(m, project, ref.milestoneId);
  }

  async lockFor(m: EntityManager, r: ChangeRequestRecord) {
    const project = await m.findOne(Project, {
      where: { id: r.aggregateId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!project) throw new RuleViolation(`no project ${r.aggregateId}`, 'not-found');
    return this.target(m, project, r.milestoneId);
  }

  async save(m: EntityManager, milestone: Milestone): Promise<void> {
    await m.save(milestone);
  }

  private async target(
    m: EntityManager,
    project: Project,
    id: string,
  ): Promise<MilestoneTarget<Milestone>> {
    const milestone = await m.findOneBy(Milestone, { id, projectId: project.id });
    if (!milestone) {
      throw new RuleViolation(`project ${project.id} has no milestone ${id}`, 'not-found');
    }
    return {
      milestone,
      aggregateId: project.id,
      regionCode: project.regionCode,
      leadUnit: project.leadUnit,
      level: project.level,
      label: `milestone ${milestone.name} of project ${project.code}`,
      data: () => milestoneData(project, milestone),
    };
  }
}

export type ProjectMilestoneFlow = MilestoneChangeFlow<EntityManager, MilestoneRef, Milestone>;

export const projectMilestoneFlow: Provider = {
  provide: MILESTONE_CHANGE_FLOW,
  inject: [DataSource, Clock],
  useFactory: (ds: DataSource, clock: Clock): ProjectMilestoneFlow =>
    new MilestoneChangeFlow(
      'project',
      new ProjectMilestones(),
      new TypeOrmChangeRequestStore(ds, Topics.projects),
      CHANGE_POLICY,
      () => clock.now(),
      uuidv7,
    ),
};
