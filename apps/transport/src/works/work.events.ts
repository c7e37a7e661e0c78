import { DubanEvent, TransportEventTypes, TransportWorkData, createEvent } from '@duban/contracts';
import { TransportWork } from './transport-work.entity';

export function toWorkData(w: TransportWork): TransportWorkData {
  return {
    workId: w.id,
    kind: w.kind,
    name: w.name,
    regionCode: w.regionCode,
    leadUnit: w.leadUnit,
    plannedInvestmentWan: w.plannedInvestmentWan,
    phase: w.phase,
    version: w.version,
  };
}

type WorkEventType = (typeof TransportEventTypes)['workRegistered' | 'workUpdated'];

export function workEvent(type: WorkEventType, w: TransportWork): DubanEvent {
  return createEvent({
    type,
    service: 'transport',
    subject: w.id,
    region: w.regionCode,
    data: toWorkData(w),
  });
}

export function phaseChangedEvent(w: TransportWork, previousPhase: TransportWork['phase']) {
  return createEvent({
    type: TransportEventTypes.phaseChanged,
    service: 'transport',
    subject: w.id,
    region: w.regionCode,
    data: { ...toWorkData(w), previousPhase },
  });
}
