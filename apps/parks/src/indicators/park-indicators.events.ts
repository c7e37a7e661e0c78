import { DubanEvent, ParkIndicatorsData, ParksEventTypes, createEvent } from '@duban/contracts';
import { Park } from '../parks/park.entity';
import { ParkIndicators } from './park-indicators.entity';

/** Keyed by the park, so a park's months (and their corrections) stay in order. */
export function indicatorsEvent(park: Park, i: ParkIndicators): DubanEvent {
  const data: ParkIndicatorsData = {
    parkId: park.id,
    regionCode: park.regionCode,
    managingUnit: park.managingUnit,
    month: i.month,
    outputValueWan: i.outputValueWan,
    industrialValueAddedWan: i.industrialValueAddedWan,
    taxWan: i.taxWan,
    fixedInvestmentWan: i.fixedInvestmentWan,
    employees: i.employees,
    occupancyPct: i.occupancyPct,
    taxPerMuWan: i.taxPerMuWan,
    version: i.version,
  };
  return createEvent({
    type: ParksEventTypes.indicatorsReported,
    service: 'parks',
    subject: park.id,
    region: park.regionCode,
    data,
  });
}
