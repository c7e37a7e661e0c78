import { DubanEvent, ProjectData, ProjectEventTypes, createEvent } from '@duban/contracts';
import { Project } from './project.entity';

export function toProjectData(p: Project): ProjectData {
  return {
    projectId: p.id,
    code: p.code,
    name: p.name,
    category: p.category,
    level: p.level,
    leadUnit: p.leadUnit,
    responsibleLeader: p.responsibleLeader,
    township: p.township,
    regionCode: p.regionCode,
    totalPlannedInvestmentWan: p.totalPlannedInvestmentWan,
    annualPlannedInvestmentWan: p.annualPlannedInvestmentWan,
    plannedStartDate: p.plannedStartDate,
    plannedEndDate: p.plannedEndDate,
    parkId: p.parkId,
    tags: p.tags,
    status: p.status,
    suspendedFrom: p.suspendedFrom,
    version: p.version,
  };
}

type ProjectEventType = (typeof ProjectEventTypes)['registered' | 'updated'];

export function projectEvent(type: ProjectEventType, p: Project): DubanEvent {
  return createEvent({
    type,
    service: 'projects',
    subject: p.id,
    region: p.regionCode,
    data: toProjectData(p),
  });
}

export function statusChangedEvent(
  p: Project,
  previousStatus: Project['status'],
  reason: string | null,
): DubanEvent {
  return createEvent({
    type: ProjectEventTypes.statusChanged,
    service: 'projects',
    subject: p.id,
    region: p.regionCode,
    data: { ...toProjectData(p), previousStatus, reason },
  });
}
