import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AlertEventTypes, chinaDate } from '@duban/contracts';
import { Alert } from '../alerts/alert.entity';
import { AlertSubject, AlertsService } from '../alerts/alerts.service';
import { paceGap, severityFor } from '../alerts/domain/rules';
import { OPEN_FOR_COLOUR } from '../status/domain/colour';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { missingReport } from './domain/report-due';
import { ProjectPlan } from './project-plan.entity';

/**
 * The project-level rules, judged on every plan or report change and by the timers' sweep:
 * behind pace (形象进度滞后) and missing monthly reports (逾期未报). Their alerts are about the
 * project (milestoneId = projectId); raising, resolving and events go through AlertsService.
 */
@Injectable()
export class PaceService {
  constructor(
    private readonly alerts: AlertsService,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async evaluate(m: EntityManager, plan: ProjectPlan, now: Date): Promise<void> {
    await this.evaluatePace(m, plan, now);
    await this.evaluateReports(m, plan, now);
  }

  /**
   * Behind pace: a project under construction whose last reported physical progress trails a
   * linear plan by more than the margin.
   */
  async evaluatePace(m: EntityManager, plan: ProjectPlan, now: Date): Promise<void> {
    const open = await this.openAlert(m, plan, 'behind-pace');
    const active = plan.status === 'under-construction' && plan.physicalProgressPct !== null;
    const gap = active
      ? paceGap({
          plannedStartDate: plan.plannedStartDate,
          plannedEndDate: plan.plannedEndDate,
          physicalProgressPct: plan.physicalProgressPct!,
          today: chinaDate(now),
          marginPct: this.config.behindPaceMarginPct,
        })
      : null;
    if (open && !gap?.firing) {
      const reason =
        !active && ['completed', 'in-operation'].includes(plan.status) ? 'met' : 'back-on-pace';
      await this.alerts.resolve(m, open, reason, now);
    } else if (!open && gap?.firing) {
      await this.alerts.raise(m, paceSubject(plan), 'behind-pace', gap.behindBy, now);
    } else if (open && gap && severityFor('behind-pace', gap.behindBy) !== open.severity) {
      open.severity = severityFor('behind-pace', gap.behindBy);
      await this.alerts.save(
        m,
        open,
        AlertEventTypes.severityChanged,
        now,
        `severity ${open.severity}, ${gap.behindBy} points behind`,
      );
    }
  }

  /**
   * Missing report: under construction, and no report for the month due by day D of the
   * next month. A late report for that month (or a later one) resolves it, and so does the
   * project leaving construction; the measure is days since the oldest missed deadline.
   */
  async evaluateReports(m: EntityManager, plan: ProjectPlan, now: Date): Promise<void> {
    const open = await this.openAlert(m, plan, 'report-missing');
    const missing = missingReport({
      status: plan.status,
      plannedStartDate: plan.plannedStartDate,
      reportMonth: plan.reportMonth,
      today: chinaDate(now),
      dueDay: this.config.reportDueDay,
    });
    if (open && !missing) {
      const reason =
        plan.status === 'under-construction'
          ? `reported ${plan.reportMonth}`
          : ['completed', 'in-operation'].includes(plan.status)
            ? 'met'
            : `no longer under construction (${plan.status})`;
      await this.alerts.resolve(m, open, reason, now);
    } else if (!open && missing) {
      await this.alerts.raise(
        m,
        reportSubject(plan, missing.firstMissingMonth, missing.deadline, missing.daysLate),
        'report-missing',
        missing.daysLate,
        now,
      );
    } else if (open && missing) {
      const severity = severityFor('report-missing', missing.daysLate);
      const moved = open.currentPlannedDate !== missing.deadline;
      const severityChanged = severity !== open.severity;
      if (!severityChanged && !moved && open.daysOverdue === missing.daysLate) return;
      Object.assign(open, {
        severity,
        daysOverdue: missing.daysLate,
        currentPlannedDate: missing.deadline,
        milestoneName: reportName(plan, missing.firstMissingMonth),
      });
      if (severityChanged || moved)
        await this.alerts.save(
          m,
          open,
          AlertEventTypes.severityChanged,
          now,
          `severity ${severity}, report for ${missing.firstMissingMonth} ${missing.daysLate} days late`,
        );
      else await m.save(open);
    }
  }

  private async openAlert(
    m: EntityManager,
    plan: ProjectPlan,
    rule: 'behind-pace' | 'report-missing',
  ): Promise<Alert | null> {
    // Open for the rule = not yet resolved by the supervised side (open or acknowledged).
    const [open] = await m.find(Alert, {
      where: { milestoneId: plan.projectId, rule, state: In([...OPEN_FOR_COLOUR]) },
    });
    return open ?? null;
  }
}

const paceSubject = (p: ProjectPlan): AlertSubject => ({
  milestoneId: p.projectId,
  subjectType: 'project',
  subjectId: p.projectId,
  milestoneName: `${p.name}: 形象进度 (physical progress)`,
  ownerUnit: p.leadUnit,
  region: p.region,
  currentPlannedDate: p.plannedEndDate,
  forecastDate: null,
  daysOverdue: 0,
});

const reportName = (p: ProjectPlan, month: string) =>
  `${p.name}: ${month} 月报 (monthly progress report)`;

/** The report's deadline stands in the alert's date, the days past it in daysOverdue. */
const reportSubject = (
  p: ProjectPlan,
  month: string,
  deadline: string,
  daysLate: number,
): AlertSubject => ({
  milestoneId: p.projectId,
  subjectType: 'project',
  subjectId: p.projectId,
  milestoneName: reportName(p, month),
  ownerUnit: p.leadUnit,
  region: p.region,
  currentPlannedDate: deadline,
  forecastDate: null,
  daysOverdue: daysLate,
});
