import { DubanEvent, ProgressReportData, ProjectEventTypes, createEvent } from '@duban/contracts';
import { Project } from '../projects/project.entity';
import { ProgressReport } from './progress-report.entity';

type ReportEventType = (typeof ProjectEventTypes)[
  'reportSubmitted' | 'reportCorrected' | 'itemResolved'];

/** Keyed by the project: a project's reports stay in order for evaluation's investment sums. */
export function reportEvent(
  type: ReportEventType,
  project: Project,
  r: ProgressReport,
): DubanEvent {
  const data: ProgressReportData = {
    reportId: r.id,
    projectId: project.id,
    leadUnit: project.leadUnit,
    month: r.month,
    investmentCompletedWan: r.investmentCompletedWan,
    cumulativeInvestmentWan: r.cumulativeInvestmentWan,
    physicalProgressPct: r.physicalProgressPct,
    narrative: r.narrative,
    items: r.items,
    version: r.version,
  };
  return createEvent({
    type,
    service: 'projects',
    subject: project.id,
    region: project.regionCode,
    data,
  });
}
