import { SectionData, TransportEventTypes, createEvent } from '@duban/contracts';
import { metresToKm } from '../mileage/domain/length';
import { TransportWork } from '../works/transport-work.entity';
import { Section } from './section.entity';

export function toSectionData(w: TransportWork, s: Section): SectionData {
  return {
    workId: w.id,
    sectionId: s.id,
    kind: w.kind,
    regionCode: w.regionCode,
    leadUnit: w.leadUnit,
    name: s.name,
    lengthKm: metresToKm(s.lengthMetres),
    progressPct: s.progressPct,
    openedOn: s.openedOn,
    version: s.version,
  };
}

type SectionEventType = (typeof TransportEventTypes)['sectionAdded' | 'sectionProgressChanged'];

export function sectionEvent(type: SectionEventType, w: TransportWork, s: Section) {
  return createEvent({
    type,
    service: 'transport',
    subject: s.id,
    region: w.regionCode,
    data: toSectionData(w, s),
  });
}

export function sectionOpenedEvent(w: TransportWork, s: Section & { openedOn: string }) {
  return createEvent({
    type: TransportEventTypes.sectionOpened,
    service: 'transport',
    subject: s.id,
    region: w.regionCode,
    data: {
      workId: w.id,
      sectionId: s.id,
      kind: w.kind,
      regionCode: w.regionCode,
      leadUnit: w.leadUnit,
      name: s.name,
      lengthKm: metresToKm(s.lengthMetres),
      openedOn: s.openedOn,
    },
  });
}
