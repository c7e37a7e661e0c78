import {
  Designation,
  DubanEvent,
  ParkData,
  ParkEventTypes,
  ParksEventTypes,
  createEvent,
} from '@duban/contracts';
import { Park } from './park.entity';

export function toParkData(p: Park): ParkData {
  return {
    parkId: p.id,
    name: p.name,
    regionCode: p.regionCode,
    managingUnit: p.managingUnit,
    leadIndustry: p.leadIndustry,
    plannedAreaMu: p.plannedAreaMu,
    developedAreaMu: p.developedAreaMu,
    designations: p.designations,
    version: p.version,
  };
}

type ParkEventType = (typeof ParkEventTypes)['registered' | 'updated'];

export const parkEvent = (type: ParkEventType, p: Park): DubanEvent =>
  createEvent({ type, service: 'parks', subject: p.id, region: p.regionCode, data: toParkData(p) });

export const designationEarnedEvent = (p: Park, designation: Designation): DubanEvent =>
  createEvent({
    type: ParksEventTypes.designationEarned,
    service: 'parks',
    subject: p.id,
    region: p.regionCode,
    data: { ...toParkData(p), designation },
  });
