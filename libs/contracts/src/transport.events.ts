import { z } from 'zod';
import { define, EventDefinition } from './event-definition';
import { CalendarDate, MoneyWan, RegionCode, UnitCode, Uuid } from './values';

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
];
