import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { DubanEvent, ProgressReportData, ProjectData, ProjectEventTypes } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { Clock } from '@duban/platform';
import { AlertsService } from '../alerts/alerts.service';
import { ProjectPlan } from './project-plan.entity';

/** Keeps each project's plan and latest progress, and judges its pace on every change. */
@Controller()
export class PaceHandler {
  constructor(
    private readonly alerts: AlertsService,
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
    await this.alerts.evaluatePace(m, plan, this.clock.now());
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
    await this.alerts.evaluatePace(m, plan, this.clock.now());
  }
}
