import { DubanEvent, MilestoneEventData, MilestoneEventType, createEvent } from '@duban/contracts';
import { TransportWork } from '../works/transport-work.entity';
import { Gate } from './gate.entity';

/** A gate in the shared milestone shape, so the scheduler watches it. */
export function gateData(work: TransportWork, g: Gate): MilestoneEventData {
  return {
    subjectType: 'transport-work',
    subjectId: work.id,
    milestoneId: g.id,
    name: g.name,
    ownerUnit: g.ownerUnit,
    plannedDate: g.plannedDate,
    currentPlannedDate: g.currentPlannedDate,
    forecastDate: g.forecastDate,
    actualDate: g.actualDate,
    status: g.status,
  };
}

/** Keyed by the gate. */
export function gateEvent(type: MilestoneEventType, work: TransportWork, g: Gate): DubanEvent {
  return createEvent({
    type,
    service: 'transport',
    subject: g.id,
    region: work.regionCode,
    data: gateData(work, g),
  });
}
