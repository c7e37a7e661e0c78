import {
  DubanEvent,
  EnterpriseData,
  EnterpriseStatusChangedData,
  ParksEventTypes,
  createEvent,
} from '@duban/contracts';
import { Enterprise } from './enterprise.entity';

export function toEnterpriseData(e: Enterprise): EnterpriseData {
  return {
    enterpriseId: e.id,
    uscc: e.uscc,
    name: e.name,
    parkId: e.parkId,
    regionCode: e.regionCode,
    industry: e.industry,
    investmentWan: e.investmentWan,
    employees: e.employees,
    aboveDesignatedSize: e.aboveDesignatedSize,
    status: e.status,
    statusChangedOn: e.statusChangedOn,
    version: e.version,
  };
}

type EnterpriseEventType = (typeof ParksEventTypes)['enterpriseRegistered' | 'enterpriseUpdated'];

export const enterpriseEvent = (type: EnterpriseEventType, e: Enterprise): DubanEvent =>
  createEvent({
    type,
    service: 'parks',
    subject: e.id,
    region: e.regionCode,
    data: toEnterpriseData(e),
  });

export const statusChangedEvent = (
  e: Enterprise,
  previousStatus: Enterprise['status'],
): DubanEvent =>
  createEvent<EnterpriseStatusChangedData>({
    type: ParksEventTypes.enterpriseStatusChanged,
    service: 'parks',
    subject: e.id,
    region: e.regionCode,
    data: { ...toEnterpriseData(e), previousStatus, changedOn: e.statusChangedOn },
  });
