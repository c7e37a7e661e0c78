/** Events of the other services, shaped as they publish them, for feeding the evaluation app. */
import { randomUUID } from 'node:crypto';
import {
  AlertData,
  AlertEventTypes,
  DubanEvent,
  EnterpriseData,
  MilestoneEventData,
  MilestoneEventTypes,
  ParksEventTypes,
  ProgressReportData,
  ProjectEventTypes,
  SectionOpenedData,
  TransportEventTypes,
} from '@duban/contracts';
import { eventOf } from './http';

export function progressReport(
  region: string,
  r: { projectId?: string; leadUnit: string; month: string; wan: string; version?: number },
): DubanEvent<ProgressReportData> {
  const projectId = r.projectId ?? randomUUID();
  const version = r.version ?? 1;
  const data: ProgressReportData = {
    reportId: randomUUID(),
    projectId,
    leadUnit: r.leadUnit,
    month: r.month,
    investmentCompletedWan: r.wan,
    cumulativeInvestmentWan: r.wan,
    physicalProgressPct: 50,
    narrative: '',
    items: [],
    version,
  };
  const type = version > 1 ? ProjectEventTypes.reportCorrected : ProjectEventTypes.reportSubmitted;
  return eventOf(type, 'projects', projectId, region, data) as DubanEvent<ProgressReportData>;
}

export function milestone(
  region: string,
  type: string,
  over: Partial<MilestoneEventData> & { milestoneId: string; ownerUnit: string },
): DubanEvent {
  const date = over.currentPlannedDate ?? '2026-06-30';
  const data: MilestoneEventData = {
    subjectType: 'project',
    subjectId: randomUUID(),
    name: '完成工可批复',
    plannedDate: date,
    currentPlannedDate: date,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
    ...over,
  };
  return eventOf(type, 'projects', data.milestoneId, region, data);
}

export const milestoneScheduled = MilestoneEventTypes.scheduled;
export const milestoneCompleted = MilestoneEventTypes.completed;

export function sectionOpened(
  region: string,
  s: { leadUnit: string; lengthKm: number; kind?: SectionOpenedData['kind']; openedOn?: string },
): DubanEvent {
  const workId = randomUUID();
  const data: SectionOpenedData = {
    workId,
    sectionId: randomUUID(),
    kind: s.kind ?? 'expressway',
    regionCode: region,
    leadUnit: s.leadUnit,
    name: '茂犍高速一标段',
    lengthKm: s.lengthKm,
    openedOn: s.openedOn ?? '2026-09-01',
  };
  return eventOf(TransportEventTypes.sectionOpened, 'transport', workId, region, data);
}

export function alert(
  region: string,
  type: string,
  a: {
    alertId?: string;
    ownerUnit: string;
    severity: AlertData['severity'];
    state: AlertData['state'];
  },
): DubanEvent<AlertData> {
  const alertId = a.alertId ?? randomUUID();
  const data: AlertData = {
    alertId,
    rule: 'overdue',
    severity: a.severity,
    state: a.state,
    escalationLevel: 0,
    subjectType: 'project',
    subjectId: randomUUID(),
    milestoneId: randomUUID(),
    milestoneName: '主体封顶',
    ownerUnit: a.ownerUnit,
    region,
    currentPlannedDate: '2026-06-30',
    forecastDate: null,
    daysOverdue: 8,
    raisedAt: '2026-07-08T01:00:00Z',
    acknowledgedAt: null,
    acknowledgedBy: null,
    note: null,
    resolvedAt: a.state === 'resolved' ? '2026-07-20T01:00:00Z' : null,
    resolution: null,
    commitDate: null,
    reminderCount: 0,
    closedAt: null,
    closedBy: null,
    verificationNote: null,
  };
  return eventOf(type, 'scheduler', alertId, region, data) as DubanEvent<AlertData>;
}

export const alertRaised = AlertEventTypes.raised;
export const alertResolved = AlertEventTypes.resolved;

/** An enterprise registered as signed and then moved to `status` (versions 1 and 2). */
export function enterpriseLifecycle(
  region: string,
  status: EnterpriseData['status'],
): DubanEvent[] {
  const data: EnterpriseData = {
    enterpriseId: randomUUID(),
    uscc: '91511112MA6ABCDE1X',
    name: '新能源电池材料有限公司',
    parkId: randomUUID(),
    regionCode: region,
    industry: 'new-energy-batteries',
    investmentWan: '50000.00',
    employees: 120,
    aboveDesignatedSize: true,
    status: 'signed',
    version: 1,
  };
  const changed = {
    ...data,
    status,
    version: 2,
    previousStatus: 'signed',
    changedOn: '2026-06-01',
  };
  const id = data.enterpriseId;
  return [
    eventOf(ParksEventTypes.enterpriseRegistered, 'parks', id, region, data),
    eventOf(ParksEventTypes.enterpriseStatusChanged, 'parks', id, region, changed),
  ];
}
