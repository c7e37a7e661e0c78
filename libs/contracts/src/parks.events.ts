import { z } from 'zod';
import { define, EventDefinition } from './event-definition';
import { CalendarDate, Month, MoneyWan, RegionCode, UnitCode, Uuid } from './values';

/**
 * Industrial parks (园区), enterprises, park indicators and campaign tasks: the events the
 * parks service publishes on duban.parks.v1. Park registration itself is ParkData
 * (directory.events.ts), which the projects service keeps a directory of. Campaign task dates
 * go out as the shared milestone events with subjectType `campaign-task`.
 */

/** 签约 signed → 在建 under construction → 投产 in production → 退出 exited. */
export const ENTERPRISE_STATUSES = [
  'signed',
  'under-construction',
  'in-production',
  'exited',
] as const;
export const EnterpriseStatus = z.enum(ENTERPRISE_STATUSES);

export const EnterpriseData = z.object({
  enterpriseId: Uuid,
  /** 统一社会信用代码 (GB 32100-2015), 18 characters with its check character. */
  uscc: z.string().length(18),
  name: z.string().min(1),
  parkId: Uuid,
  regionCode: RegionCode,
  industry: z.string().min(1),
  investmentWan: MoneyWan,
  employees: z.number().int().min(0),
  /** 规上工业企业: industrial enterprise above the designated size. */
  aboveDesignatedSize: z.boolean(),
  status: EnterpriseStatus,
  version: z.number().int(),
});
export type EnterpriseData = z.infer<typeof EnterpriseData>;

export const EnterpriseStatusChangedData = EnterpriseData.extend({
  previousStatus: EnterpriseStatus,
  changedOn: CalendarDate,
});
export type EnterpriseStatusChangedData = z.infer<typeof EnterpriseStatusChangedData>;

/** A park's monthly indicators, with the derived occupancy and tax per mu (亩均税收). */
export const ParkIndicatorsData = z.object({
  parkId: Uuid,
  regionCode: RegionCode,
  managingUnit: UnitCode,
  month: Month,
  outputValueWan: MoneyWan,
  industrialValueAddedWan: MoneyWan,
  taxWan: MoneyWan,
  fixedInvestmentWan: MoneyWan,
  employees: z.number().int().min(0),
  /** Developed area over planned area, percent. */
  occupancyPct: z.number().min(0),
  /** 亩均税收: tax over developed area, 万元 per mu. */
  taxPerMuWan: MoneyWan,
});
export type ParkIndicatorsData = z.infer<typeof ParkIndicatorsData>;

export const ParksEventTypes = {
  enterpriseRegistered: 'duban.enterprise.registered',
  enterpriseUpdated: 'duban.enterprise.updated',
  enterpriseStatusChanged: 'duban.enterprise.status-changed',
  indicatorsReported: 'duban.park-indicators.reported',
} as const;

export const PARKS_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  define(ParksEventTypes.enterpriseRegistered, EnterpriseData, 'An enterprise settled in a park'),
  define(ParksEventTypes.enterpriseUpdated, EnterpriseData, "An enterprise's details changed"),
  define(
    ParksEventTypes.enterpriseStatusChanged,
    EnterpriseStatusChangedData,
    'An enterprise moved along signed → under construction → in production → exited',
  ),
  define(
    ParksEventTypes.indicatorsReported,
    ParkIndicatorsData,
    "A park's monthly indicators were reported (or corrected)",
  ),
];
