import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { DubanEvent, ProgressReportData, ProjectData, ProjectEventTypes } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { Clock } from '@duban/platform';
import { StatusService } from '../status/status.service';
import { PaceService } from './pace.service';
import { ProjectPlan } from './project-plan.entity';

/**
 * Keeps each project's plan and latest progress, and judges its pace and reporting on every
 * change: a late report resolves a missing-report alert at once.
 */
@Controller()
export class PaceHandler {
  constructor(
    private readonly pace: PaceService,
    private readonly status: StatusService,
    private readonly clock: Clock,
  ) {}

  @EventPattern(ProjectEventTypes.registered)
  registered(@Payload() e: DubanEvent<ProjectData>, @Ctx() ctx: DubanEventContext) {
    return this.plan(e.data, ctx.manager);
  }

  @EventPattern(ProjectEventTypes.updated)
  updated(@Payload() e: DubanEvent<ProjectData>, @Ctx() ctx: DubanEventContext) {
    return this.plan(e.data, ctx.manager);
  }

  @EventPattern(ProjectEventTypes.statusChanged)
  statusChanged(@Payload() e: DubanEvent<ProjectData>, @Ctx() ctx: DubanEventContext) {
    return this.plan(e.data, ctx.manager);
  }

  @EventPattern(ProjectEventTypes.reportSubmitted)
  reportSubmitted(@Payload() e: DubanEvent<ProgressReportData>, @Ctx() ctx: DubanEventContext) {
    return this.progress(e.data, ctx.manager);
  }

  @EventPattern(ProjectEventTypes.reportCorrected)
  reportCorrected(@Payload() e: DubanEvent<ProgressReportData>, @Ctx() ctx: DubanEventContext) {
    return this.progress(e.data, ctx.manager);
  }

  private async plan(p: ProjectData, m: EntityManager): Promise<void> {
    const known = await m.findOne(ProjectPlan, {
      where: { projectId: p.projectId },
      lock: { mode: 'pessimistic_write' },
    });
    const plan = m.create(ProjectPlan, {
      projectId: p.projectId,
      name: p.name,
      leadUnit: p.leadUnit,
      region: p.regionCode,
      status: p.status,
      plannedStartDate: p.plannedStartDate,
      plannedEndDate: p.plannedEndDate,
      physicalProgressPct: known?.physicalProgressPct ?? null,
      reportMonth: known?.reportMonth ?? null,
    });
    await m.save(plan);
    const now = this.clock.now();
    // A project's traffic light belongs to its lead unit.
    const { projectId: subjectId, leadUnit: ownerUnit, region } = plan;
    await this.status.ownedBy(m, { subjectType: 'project', subjectId, ownerUnit, region }, now);
    await this.pace.evaluate(m, plan, now);
  }

  private async progress(r: ProgressReportData, m: EntityManager): Promise<void> {
    const plan = await m.findOne(ProjectPlan, {
      where: { projectId: r.projectId },
      lock: { mode: 'pessimistic_write' },
    });
    // Reports follow their project's registration on the same partition, so the plan is known.
    if (!plan || (plan.reportMonth && plan.reportMonth > r.month)) return;
    Object.assign(plan, { physicalProgressPct: r.physicalProgressPct, reportMonth: r.month });
    await m.save(plan);
    await this.pace.evaluate(m, plan, this.clock.now());
  }
}
