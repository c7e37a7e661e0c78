import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  ChangeStatusBody,
  CreateProjectBody,
  ProjectEventTypes,
  RuleViolation,
  Topics,
  UpdateProjectBody,
  chinaDate,
  assertVersion,
} from '@duban/contracts';
import { Clock } from '@duban/platform';
import { Principal, assertMayActFor, assertRegion, regionFilter } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { Page, inTransaction, keysetPage } from '@duban/persistence';
import { z } from 'zod';
import { KnownPark } from '../parks/known-park.entity';
import { readableProject, writableProject } from './access';
import { changeStatus } from './domain/project-status';
import { Project } from './project.entity';
import { projectEvent, statusChangedEvent } from './project.events';
import { ProjectListQuery } from './project-list.query';

/** Registering and changing key projects; every change leaves through the outbox. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  create(actor: Principal, body: CreateProjectBody): Promise<Project> {
    assertMayActFor(actor, body.leadUnit);
    assertRegion(actor, body.regionCode);
    return inTransaction(this.ds, async (m) => {
      await assertKnownPark(m, body.parkId);
      const clash = await m.findOneBy(Project, { regionCode: body.regionCode, code: body.code });
      if (clash) {
        throw new RuleViolation(
          `project code ${body.code} is already used in region ${body.regionCode}`,
          'conflict',
          {
            projectId: clash.id,
          },
        );
      }
      const project = m.create(Project, {
        ...body,
        id: uuidv7(),
        status: 'reserve',
        suspendedFrom: null,
        version: 1,
      });
      await m.insert(Project, project);
      await addToOutbox(m, Topics.projects, [projectEvent(ProjectEventTypes.registered, project)]);
      return project;
    });
  }

  get(actor: Principal, id: string): Promise<Project> {
    return readableProject(this.ds.manager, actor, id);
  }

  /** Keyset pagination on the time-ordered id: stable while projects are being added. */
  async list(actor: Principal, query: ProjectListQuery): Promise<Page<Project>> {
    const region = regionFilter(actor, query.region);
    const qb = this.ds.getRepository(Project).createQueryBuilder('p');
    if (region) qb.andWhere('p.region_code = :region', { region });
    if (query.unit) qb.andWhere('p.lead_unit = :unit', { unit: query.unit });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.level) qb.andWhere('p.level = :level', { level: query.level });
    if (query.township) qb.andWhere('p.township = :township', { township: query.township });
    if (query.q) {
      qb.andWhere('(p.name ILIKE :q OR p.code ILIKE :q)', {
        q: `%${query.q.replace(/[\\%_]/g, '\\$&')}%`,
      });
    }
    if (query.overdue) {
      qb.andWhere(
        `${query.overdue === 'true' ? '' : 'NOT '}EXISTS (SELECT 1 FROM milestones m WHERE m.project_id = p.id AND m.status = 'pending'
                 AND m.current_planned_date < :today)`,
        { today: chinaDate(this.clock.now()) },
      );
    }
    return keysetPage(qb, query);
  }

  update(actor: Principal, id: string, body: UpdateProjectBody): Promise<Project> {
    return inTransaction(this.ds, async (m) => {
      const project = await writableProject(m, actor, id);
      assertVersion(project, body.version, `project ${id}`);
      const { version: _version, ...changes } = body;
      if (changes.leadUnit) assertMayActFor(actor, changes.leadUnit);
      assertMayRelevel(actor, project, changes.level);
      if (changes.parkId) await assertKnownPark(m, changes.parkId);
      const next = { ...project, ...changes };
      if (next.plannedStartDate > next.plannedEndDate) {
        throw new RuleViolation('plannedEndDate must not be before plannedStartDate', 'invalid', {
          errors: [{ field: 'plannedEndDate', message: 'must not be before plannedStartDate' }],
        });
      }
      Object.assign(project, changes, { version: project.version + 1 });
      await m.save(project);
      await addToOutbox(m, Topics.projects, [projectEvent(ProjectEventTypes.updated, project)]);
      return project;
    });
  }

  changeStatus(
    actor: Principal,
    id: string,
    body: z.infer<typeof ChangeStatusBody>,
  ): Promise<Project> {
    return inTransaction(this.ds, async (m) => {
      const project = await writableProject(m, actor, id);
      assertVersion(project, body.version, `project ${id}`);
      const previous = project.status;
      Object.assign(project, changeStatus(project.status, project.suspendedFrom, body.status), {
        version: project.version + 1,
      });
      await m.save(project);
      await addToOutbox(m, Topics.projects, [
        statusChangedEvent(project, previous, body.reason ?? null),
      ]);
      return project;
    });
  }
}

async function assertKnownPark(m: EntityManager, parkId: string | null | undefined): Promise<void> {
  if (!parkId) return;
  if (await m.existsBy(KnownPark, { parkId })) return;
  throw new RuleViolation(`park ${parkId} is not in the park directory`, 'invalid', {
    errors: [{ field: 'parkId', message: `unknown park ${parkId}` }],
  });
}

/**
 * A project's level decides whether its milestone changes need a supervisor's approval (the
 * change policy), so the supervised unit must not re-level its own project to approve itself.
 */
function assertMayRelevel(actor: Principal, project: Project, level: Project['level'] | undefined) {
  if (level === undefined || level === project.level || actor.role === 'admin') return;
  throw new RuleViolation(
    `only an admin may change the level of project ${project.id} (${project.level} → ${level}): ` +
      'the level decides who approves its milestone changes',
    'forbidden',
  );
}
