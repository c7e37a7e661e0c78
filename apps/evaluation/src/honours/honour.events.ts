import {
  DubanEvent,
  EvaluationEventTypes,
  HonourData,
  HonourStatus,
  MilestoneEventData,
  MilestoneEventType,
  createEvent,
} from '@duban/contracts';
import type { DeadlineState } from './domain/honour-status';
import { Honour } from './honour.entity';

export function toHonourData(h: Honour): HonourData {
  return {
    honourId: h.id,
    name: h.name,
    ambition: h.ambition,
    level: h.level,
    ownerUnit: h.ownerUnit,
    regionCode: h.regionCode,
    targetYear: h.targetYear,
    status: h.status,
    deadlines: h.deadlines,
    version: h.version,
  };
}

export const honourTargetedEvent = (h: Honour): DubanEvent =>
  createEvent({
    type: EvaluationEventTypes.honourTargeted,
    service: 'evaluation',
    subject: h.id,
    region: h.regionCode,
    data: toHonourData(h),
  });

export const honourStatusChangedEvent = (
  h: Honour,
  previousStatus: HonourStatus,
  on: string,
  note: string | null,
): DubanEvent =>
  createEvent({
    type: EvaluationEventTypes.honourStatusChanged,
    service: 'evaluation',
    subject: h.id,
    region: h.regionCode,
    data: { ...toHonourData(h), previousStatus, on, note },
  });

/** A deadline in the shared milestone shape, keyed by the milestone, so the scheduler watches it. */
export function deadlineEvent(type: MilestoneEventType, h: Honour, d: DeadlineState): DubanEvent {
  const data: MilestoneEventData = {
    subjectType: 'honour',
    subjectId: h.id,
    milestoneId: d.milestoneId,
    name: `${h.name}：${d.name}`.slice(0, 200),
    ownerUnit: h.ownerUnit,
    plannedDate: d.plannedDate,
    currentPlannedDate: d.plannedDate,
    forecastDate: null,
    actualDate: d.actualDate,
    status: d.status,
  };
  return createEvent({
    type,
    service: 'evaluation',
    subject: d.milestoneId,
    region: h.regionCode,
    data,
  });
}
