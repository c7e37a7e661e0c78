import { z } from 'zod';
import { define, EventDefinition } from './event-definition';
import {
  CalendarDate,
  MoneyWan,
  NonNegativeWan,
  Percent,
  RegionCode,
  Text,
  UnitCode,
  Uuid,
  Version,
} from './values';

/**
 * Transport works (交通建设攻坚大会战): the events the transport service publishes on
 * duban.transport.v1. Gate dates go out as the shared milestone events with subjectType
 * `transport-work`.
 */

export const TRANSPORT_KINDS = [
  'expressway',
  'railway',
  'airport',
  'general-aviation-airport',
  'trunk-road',
  'rural-road',
] as const;
export const TransportKind = z.enum(TRANSPORT_KINDS);
export type TransportKind = z.infer<typeof TransportKind>;

/** 规划 → 前期工作 → 招标 → 在建 → 交工 → 通车/通航. */
export const TRANSPORT_PHASES = [
  'planning',
  'pre-work',
  'tender',
  'construction',
  'handover',
  'opened',
] as const;
export const TransportPhase = z.enum(TRANSPORT_PHASES);

/**
 * Gates of 前期工作 (pre-work), each a milestone: 预可研 pre-feasibility, 工可 feasibility
 * study, 立项/核准 approval, 初步设计 preliminary design, 用地/环评 land and environmental
 * approvals. Which gate guards leaving which phase is the transport service's rule.
 */
export const TRANSPORT_GATES = [
  'pre-feasibility',
  'feasibility-study',
  'approval',
  'preliminary-design',
  'land-and-environment',
] as const;
export const TransportGate = z.enum(TRANSPORT_GATES);
export type TransportGate = z.infer<typeof TransportGate>;

const atMostThreeDecimals = (v: number) => Number(v.toFixed(3)) === v;

/** Kilometres to the metre: at most three decimals, so sums are exact in whole metres. */
export const LengthKm = z
  .number()
  .positive('must be positive')
  .max(100000, 'must be at most 100000')
  .refine(atMostThreeDecimals, 'must have at most three decimals');

export const GateInput = z.strictObject({
  gate: TransportGate,
  plannedDate: CalendarDate,
  /** Defaults to the work's lead unit; e.g. NATRES for 用地. */
  ownerUnit: UnitCode.optional(),
});
export type GateInput = z.infer<typeof GateInput>;

export const RegisterTransportWorkBody = z.strictObject({
  kind: TransportKind,
  name: Text(150),
  regionCode: RegionCode,
  leadUnit: UnitCode,
  plannedInvestmentWan: NonNegativeWan,
  gates: z
    .array(GateInput)
    .max(TRANSPORT_GATES.length)
    .default([])
    .refine((gs) => new Set(gs.map((g) => g.gate)).size === gs.length, 'must not repeat a gate'),
});
export type RegisterTransportWorkBody = z.infer<typeof RegisterTransportWorkBody>;

/** A partial update; `version` must match the stored one (optimistic concurrency). */
export const UpdateTransportWorkBody = z.strictObject({
  name: Text(150).optional(),
  plannedInvestmentWan: NonNegativeWan.optional(),
  version: Version,
});
export type UpdateTransportWorkBody = z.infer<typeof UpdateTransportWorkBody>;

export const AdvancePhaseBody = z.strictObject({
  phase: TransportPhase,
  version: Version.optional(),
});
export type AdvancePhaseBody = z.infer<typeof AdvancePhaseBody>;

export const AddSectionBody = z.strictObject({ name: Text(150), lengthKm: LengthKm });
export type AddSectionBody = z.infer<typeof AddSectionBody>;
export const SectionProgressBody = z.strictObject({ progressPct: Percent });
export const OpenSectionBody = z.strictObject({ openedOn: CalendarDate });

/** Operating mileage that predates the system (the report's "141 km of expressway"). */
export const MileageBaselineBody = z.strictObject({
  regionCode: RegionCode,
  kind: TransportKind,
  baselineKm: z
    .number()
    .min(0, 'must not be negative')
    .max(1000000, 'must be at most 1000000')
    .refine(atMostThreeDecimals, 'must have at most three decimals'),
});
export type MileageBaselineBody = z.infer<typeof MileageBaselineBody>;

// What department systems send on duban.transport.ingest.v1: the HTTP bodies plus the target.
const GateRef = { workId: Uuid, gate: TransportGate };
const SectionRef = { workId: Uuid, sectionId: Uuid };
export const TransportIngest = {
  gateMetReported: z.strictObject({ ...GateRef, actualDate: CalendarDate }),
  gateForecastReported: z.strictObject({ ...GateRef, forecastDate: CalendarDate.nullable() }),
  sectionProgressReported: z.strictObject({ ...SectionRef, ...SectionProgressBody.shape }),
  sectionOpeningReported: z.strictObject({ ...SectionRef, ...OpenSectionBody.shape }),
};

export const TransportWorkData = z.object({
  workId: Uuid,
  kind: TransportKind,
  name: z.string().min(1),
  regionCode: RegionCode,
  leadUnit: UnitCode,
  plannedInvestmentWan: MoneyWan,
  phase: TransportPhase,
  version: z.number().int(),
});
export type TransportWorkData = z.infer<typeof TransportWorkData>;

export const TransportPhaseChangedData = TransportWorkData.extend({
  previousPhase: TransportPhase,
});

/** 标段: a section opened to traffic adds its length to the region's operating mileage. */
export const SectionOpenedData = z.object({
  workId: Uuid,
  sectionId: Uuid,
  kind: TransportKind,
  regionCode: RegionCode,
  leadUnit: UnitCode,
  name: z.string().min(1),
  lengthKm: z.number().positive(),
  openedOn: CalendarDate,
});
export type SectionOpenedData = z.infer<typeof SectionOpenedData>;

/** A section (标段) after a change; `openedOn` is null until it opens. */
export const SectionData = z.object({
  workId: Uuid,
  sectionId: Uuid,
  kind: TransportKind,
  regionCode: RegionCode,
  leadUnit: UnitCode,
  name: z.string().min(1),
  lengthKm: z.number().positive(),
  progressPct: z.number().min(0).max(100),
  openedOn: CalendarDate.nullable(),
  version: z.number().int(),
});
export type SectionData = z.infer<typeof SectionData>;

/** A region's operating mileage of one kind after a change (the report's "141 km"). */
export const MileageChangedData = z.object({
  regionCode: RegionCode,
  kind: TransportKind,
  operatingKm: z.number().min(0),
  changeKm: z.number(),
});
export type MileageChangedData = z.infer<typeof MileageChangedData>;

export const TransportEventTypes = {
  workRegistered: 'duban.transport-work.registered',
  workUpdated: 'duban.transport-work.updated',
  phaseChanged: 'duban.transport-work.phase-changed',
  sectionOpened: 'duban.transport-section.opened',
  mileageChanged: 'duban.transport-mileage.changed',
  sectionAdded: 'duban.transport-section.added',
  sectionProgressChanged: 'duban.transport-section.progress-changed',
  // inbound, on the ingest topic
  ingestGateMetReported: 'duban.transport-gate.met-reported',
  ingestGateForecastReported: 'duban.transport-gate.forecast-reported',
  ingestSectionProgressReported: 'duban.transport-section.progress-reported',
  ingestSectionOpeningReported: 'duban.transport-section.opening-reported',
} as const;

export const TRANSPORT_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  define(TransportEventTypes.workRegistered, TransportWorkData, 'A transport work was registered'),
  define(TransportEventTypes.workUpdated, TransportWorkData, "A transport work's details changed"),
  define(
    TransportEventTypes.phaseChanged,
    TransportPhaseChangedData,
    'A transport work advanced a phase (its gates were met)',
  ),
  define(
    TransportEventTypes.sectionOpened,
    SectionOpenedData,
    'A section opened to traffic (通车/通航)',
  ),
  define(
    TransportEventTypes.mileageChanged,
    MileageChangedData,
    "A region's operating mileage of a kind changed",
  ),
  define(TransportEventTypes.sectionAdded, SectionData, 'A section (标段) was added to a work'),
  define(
    TransportEventTypes.sectionProgressChanged,
    SectionData,
    "A section's reported progress changed",
  ),
  define(
    TransportEventTypes.ingestGateMetReported,
    TransportIngest.gateMetReported,
    'Inbound: a gate was met',
  ),
  define(
    TransportEventTypes.ingestGateForecastReported,
    TransportIngest.gateForecastReported,
    "Inbound: a gate's forecast date",
  ),
  define(
    TransportEventTypes.ingestSectionProgressReported,
    TransportIngest.sectionProgressReported,
    "Inbound: a section's progress",
  ),
  define(
    TransportEventTypes.ingestSectionOpeningReported,
    TransportIngest.sectionOpeningReported,
    'Inbound: a section opened to traffic',
  ),
];
