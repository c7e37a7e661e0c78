import { DubanEvent, MilestoneEventData, MilestoneEventType, createEvent } from '@duban/contracts';
import { Project } from '../projects/project.entity';
import { Milestone } from './milestone.entity';

/** The shared milestone shape: all the scheduler needs to keep its timetable. */
export function milestoneData(project: Project, m: Milestone): MilestoneEventData {
  return {
    subjectType: 'project',
    subjectId: project.id,
    milestoneId: m.id,
    name: m.name,
    ownerUnit: m.ownerUnit,
    plannedDate: m.plannedDate,
    currentPlannedDate: m.currentPlannedDate,
    forecastDate: m.forecastDate,
    actualDate: m.actualDate,
    status: m.status,
  };
}

export function milestoneEvent(
  type: MilestoneEventType,
  project: Project,
  m: Milestone,
): DubanEvent {
  return createEvent({
    type,
    service: 'projects',
    subject: m.id,
    region: project.regionCode,
    data: milestoneData(project, m),
  });
}
