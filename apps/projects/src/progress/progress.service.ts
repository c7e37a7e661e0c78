import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  ProgressReportBody,
  ProjectEventTypes,
  ResolveItemBody,
  RuleViolation,
  Topics,
  chinaMonth,
} from '@duban/contracts';
import { Principal, actorName, assertMayActFor } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { readableProject, writableProject } from '../projects/access';
import { ProgressItem, checkProgressReport, resolveItem } from './domain/progress-report';
import { ProgressReport } from './progress-report.entity';
import { reportEvent } from './progress-report.events';

/** 月度进度报告: the lead unit files one per month; a correction replaces it. */
@Injectable()
export class ProgressService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  submit(actor: Principal, projectId: string, body: ProgressReportBody) {
    return inTransaction(this.ds, async (m) => {
      const project = await writableProject(m, actor, projectId);
      const existing = await m.findOneBy(ProgressReport, { projectId, month: body.month });
      const [previous] = await m.find(ProgressReport, {
        where: { projectId, month: LessThan(body.month) },
        order: { month: 'DESC' },
        take: 1,
      });
      const [next] = await m.find(ProgressReport, {
        where: { projectId, month: MoreThan(body.month) },
        order: { month: 'ASC' },
        take: 1,
      });
      checkProgressReport(
        body,
        { existing, previous: previous ?? null, next: next ?? null },
        chinaMonth(this.clock.now()),
      );

      const report = m.create(ProgressReport, {
        id: existing?.id ?? uuidv7(),
        projectId,
        month: body.month,
        investmentCompletedWan: body.investmentCompletedWan,
        cumulativeInvestmentWan: body.cumulativeInvestmentWan,
        physicalProgressPct: body.physicalProgressPct,
        narrative: body.narrative,
        // A correction replaces the open items; what was already resolved stays on record.
        items: [
          ...(existing?.items.filter((i) => i.status === 'resolved') ?? []),
          ...items('problem', body.problems),
          ...items('coordination', body.coordinationRequests),
        ],
        submittedBy: actorName(actor),
        version: (existing?.version ?? 0) + 1,
      });
      await m.save(report);
      const type = existing ? ProjectEventTypes.reportCorrected : ProjectEventTypes.reportSubmitted;
      await addToOutbox(m, Topics.projects, [reportEvent(type, project, report)]);
      return report;
    });
  }

  async list(actor: Principal, projectId: string): Promise<ProgressReport[]> {
    await readableProject(this.ds.manager, actor, projectId);
    return this.ds.manager.find(ProgressReport, { where: { projectId }, order: { month: 'ASC' } });
  }

  async get(actor: Principal, projectId: string, month: string): Promise<ProgressReport> {
    await readableProject(this.ds.manager, actor, projectId);
    const report = await this.ds.manager.findOneBy(ProgressReport, { projectId, month });
    if (!report)
      throw new RuleViolation(`project ${projectId} has no report for ${month}`, 'not-found');
    return report;
  }

  /**
   * The lead unit closes its own items; supervisors (督查室) close what they coordinated, in
   * the region their token is bound to: another region's report is a 404 to them as to anyone.
   */
  resolve(
    actor: Principal,
    projectId: string,
    month: string,
    itemId: string,
    body: z.infer<typeof ResolveItemBody>,
  ) {
    return inTransaction(this.ds, async (m) => {
      const project = await readableProject(m, actor, projectId, true);
      if (actor.role !== 'supervisor') assertMayActFor(actor, project.leadUnit);
      const report = await m.findOneBy(ProgressReport, { projectId, month });
      const item = report?.items.find((i) => i.id === itemId);
      if (!report || !item)
        throw new RuleViolation(`no item ${itemId} in the ${month} report`, 'not-found');
      const resolved = resolveItem(item, body.resolution, {
        by: actorName(actor),
        at: this.clock.now().toISOString(),
      });
      report.items = report.items.map((i) => (i.id === itemId ? resolved : i));
      report.version += 1;
      await m.save(report);
      await addToOutbox(m, Topics.projects, [
        reportEvent(ProjectEventTypes.itemResolved, project, report),
      ]);
      return report;
    });
  }
}

function items(kind: ProgressItem['kind'], inputs: { description: string }[]): ProgressItem[] {
  return inputs.map((i) => ({
    id: uuidv7(),
    kind,
    description: i.description,
    status: 'open',
    resolvedBy: null,
    resolvedAt: null,
    resolution: null,
  }));
}
