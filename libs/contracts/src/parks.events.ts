import { z } from 'zod';
import { AreaMu, Designation, ParkData, ParkEventTypes, ParkIndustry } from './directory.events';
import { define, EventDefinition } from './event-definition';
import {
  CalendarDate,
  Count,
  MoneyWan,
  Month,
  NonNegativeWan,
  RegionCode,
  Text,
  UnitCode,
  Uuid,
  Version,
} from './values';
import { toCents } from './money';
import { checkUscc } from './uscc';

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
  /**
   * The day the enterprise took its current status: the signing day (签约日期) on
   * registration, the change's day after a status change. Optional for older producers.
   */
  statusChangedOn: CalendarDate.optional(),
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
  /** 1 for the first report of the month, +1 per correction (optional for older producers). */
  version: Version.optional(),
});
export type ParkIndicatorsData = z.infer<typeof ParkIndicatorsData>;

export const DesignationEarnedData = ParkData.extend({ designation: Designation });
export type DesignationEarnedData = z.infer<typeof DesignationEarnedData>;

// ---- HTTP bodies (the ingest topic reuses them) ----

/** A USCC with its GB 32100-2015 check: the message says what is wrong (see uscc.ts). */
export const Uscc = z.string().superRefine((code, ctx) => {
  const check = checkUscc(code);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message });
});

const developedWithinPlanned = (p: { plannedAreaMu?: number; developedAreaMu?: number }) =>
  p.plannedAreaMu === undefined ||
  p.developedAreaMu === undefined ||
  p.developedAreaMu <= p.plannedAreaMu;
const areaMessage = { message: 'must not exceed plannedAreaMu', path: ['developedAreaMu'] };

const ParkFields = {
  name: Text(200),
  regionCode: RegionCode,
  leadIndustry: ParkIndustry,
  plannedAreaMu: AreaMu.refine((v) => v > 0, 'must be more than 0'),
  developedAreaMu: AreaMu,
  /** 园区管委会 or the department that runs the park: it alone writes the park's data. */
  managingUnit: UnitCode,
};

export const CreateParkBody = z
  .strictObject({ ...ParkFields, designations: z.array(Designation.strict()).max(50).default([]) })
  .refine(developedWithinPlanned, areaMessage);
export type CreateParkBody = z.infer<typeof CreateParkBody>;

/** A partial update with the current `version` (optimistic concurrency). */
export const UpdateParkBody = z
  .strictObject(ParkFields)
  .omit({ regionCode: true })
  .partial()
  .extend({ version: Version })
  .refine(developedWithinPlanned, areaMessage);
export type UpdateParkBody = z.infer<typeof UpdateParkBody>;

export const DesignationBody = Designation.strict();
export type DesignationBody = z.infer<typeof DesignationBody>;

const EnterpriseFields = {
  uscc: Uscc,
  name: Text(200),
  parkId: Uuid,
  industry: Text(100),
  investmentWan: NonNegativeWan,
  employees: Count,
  aboveDesignatedSize: z.boolean(),
};

export const CreateEnterpriseBody = z.strictObject({
  ...EnterpriseFields,
  /** 签约日期: defaults to today in China; never in the future. */
  signedOn: CalendarDate.optional(),
});
export type CreateEnterpriseBody = z.infer<typeof CreateEnterpriseBody>;

/** The USCC and the park are the enterprise's identity and owner: not changed by an update. */
export const UpdateEnterpriseBody = z
  .strictObject(EnterpriseFields)
  .omit({ uscc: true, parkId: true })
  .partial()
  .extend({ version: Version });
export type UpdateEnterpriseBody = z.infer<typeof UpdateEnterpriseBody>;

export const ChangeEnterpriseStatusBody = z.strictObject({
  status: EnterpriseStatus,
  /** Defaults to today in China; never in the future. */
  changedOn: CalendarDate.optional(),
  version: Version.optional(),
});
export type ChangeEnterpriseStatusBody = z.infer<typeof ChangeEnterpriseStatusBody>;

export const ParkIndicatorsBody = z
  .strictObject({
    outputValueWan: NonNegativeWan,
    industrialValueAddedWan: NonNegativeWan,
    taxWan: NonNegativeWan,
    fixedInvestmentWan: NonNegativeWan,
    employees: Count,
    /** Optional guard for a correction: the version being replaced. */
    version: Version.optional(),
  })
  .refine((b) => !valueAddedIsBigger(b), {
    message: 'must not exceed outputValueWan',
    path: ['industrialValueAddedWan'],
  });
export type ParkIndicatorsBody = z.infer<typeof ParkIndicatorsBody>;

/** Compared in fen (BigInt), so no float rounds two different amounts alike. */
function valueAddedIsBigger(b: { outputValueWan: string; industrialValueAddedWan: string }) {
  // Only amounts valid on their own are compared, so one mistake yields one message.
  const fen = (wan: string) => (NonNegativeWan.safeParse(wan).success ? toCents(wan) : null);
  const [added, output] = [fen(b.industrialValueAddedWan), fen(b.outputValueWan)];
  return added !== null && output !== null && added > output;
}

/** A campaign (攻坚行动), e.g. 园区提质 or 企业满园, led by one unit. */
export const CreateCampaignBody = z.strictObject({
  name: Text(200),
  regionCode: RegionCode,
  leadUnit: UnitCode,
  description: z.string().trim().max(2000).default(''),
});
export type CreateCampaignBody = z.infer<typeof CreateCampaignBody>;

export const CreateCampaignTaskBody = z.strictObject({
  name: Text(200),
  ownerUnit: UnitCode,
  plannedDate: CalendarDate,
  parkId: Uuid.nullable().default(null),
});
export type CreateCampaignTaskBody = z.infer<typeof CreateCampaignTaskBody>;

// What department systems send on duban.parks.ingest.v1: the HTTP bodies plus the target.
const TaskRef = { campaignId: Uuid, taskId: Uuid };
export const ParksIngest = {
  indicatorsSubmitted: z.strictObject({
    parkId: Uuid,
    month: Month,
    indicators: ParkIndicatorsBody,
  }),
  statusChangeRequested: z.strictObject({
    enterpriseId: Uuid,
    ...ChangeEnterpriseStatusBody.shape,
  }),
  taskCompletionReported: z.strictObject({ ...TaskRef, actualDate: CalendarDate }),
  taskForecastReported: z.strictObject({ ...TaskRef, forecastDate: CalendarDate.nullable() }),
};

export const ParksEventTypes = {
  enterpriseRegistered: 'duban.enterprise.registered',
  enterpriseUpdated: 'duban.enterprise.updated',
  enterpriseStatusChanged: 'duban.enterprise.status-changed',
  indicatorsReported: 'duban.park-indicators.reported',
  designationEarned: ParkEventTypes.designationEarned,
  // inbound, on the ingest topic
  ingestIndicatorsSubmitted: 'duban.park-indicators.submitted',
  ingestStatusChangeRequested: 'duban.enterprise.status-change-requested',
  ingestTaskCompletionReported: 'duban.campaign-task.completion-reported',
  ingestTaskForecastReported: 'duban.campaign-task.forecast-reported',
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
  define(
    ParksEventTypes.designationEarned,
    DesignationEarnedData,
    'A park earned a designation (e.g. 省级重点特色园区)',
  ),
  define(
    ParksEventTypes.ingestIndicatorsSubmitted,
    ParksIngest.indicatorsSubmitted,
    "Inbound: a park's monthly indicators",
  ),
  define(
    ParksEventTypes.ingestStatusChangeRequested,
    ParksIngest.statusChangeRequested,
    "Inbound: an enterprise's status change",
  ),
  define(
    ParksEventTypes.ingestTaskCompletionReported,
    ParksIngest.taskCompletionReported,
    'Inbound: a campaign task was completed',
  ),
  define(
    ParksEventTypes.ingestTaskForecastReported,
    ParksIngest.taskForecastReported,
    "Inbound: a campaign task's forecast date",
  ),
];
