import { z } from 'zod';
import { CalendarDate, RegionCode, UnitCode, Uuid } from './values';

/** "2+1" lead industries (主导产业): 纺织鞋服, 健康食品, 新能源电池, or another. */
export const PARK_INDUSTRIES = [
  'textile-shoes-apparel',
  'health-food',
  'new-energy-batteries',
  'other',
] as const;
export const ParkIndustry = z.enum(PARK_INDUSTRIES);

/** An area in mu (亩), with at most two decimals. */
export const AreaMu = z
  .number()
  .min(0, 'must not be negative')
  .max(10_000_000, 'must be at most 10000000 mu')
  .refine((v) => Number(v.toFixed(2)) === v, 'must have at most two decimals');

/** A title a park earned, e.g. 省级重点特色园区, with when and from whom. */
export const Designation = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(200),
  earnedOn: CalendarDate,
  issuer: z.string().trim().min(1, 'must not be empty').max(200),
});
export type Designation = z.infer<typeof Designation>;

/**
 * What other services need to know of a park (the projects service keeps a directory). The
 * first four fields are the directory's; the rest are optional on the wire only so that
 * producers predating them stay valid: the parks service always fills them.
 */
export const ParkData = z.object({
  parkId: Uuid,
  name: z.string().min(1),
  regionCode: RegionCode,
  managingUnit: UnitCode,
  leadIndustry: ParkIndustry.optional(),
  plannedAreaMu: AreaMu.optional(),
  /** Never more than plannedAreaMu. */
  developedAreaMu: AreaMu.optional(),
  designations: z.array(Designation).optional(),
  version: z.number().int().optional(),
});
export type ParkData = z.infer<typeof ParkData>;

export const ParkEventTypes = {
  registered: 'duban.park.registered',
  updated: 'duban.park.updated',
  /** Registered with its schema in parks.events.ts (it carries the designation earned). */
  designationEarned: 'duban.park.designation-earned',
} as const;

/**
 * An update from a department system that was refused, announced on the owning domain's
 * topic so the sender can see why (the message itself goes to the ingest topic's .dlq).
 */
export const IngestRejectedData = z.object({
  rejectedEventId: z.string().nullable(),
  rejectedType: z.string().nullable(),
  /** The sender's CloudEvents `source`, when the message was readable. */
  senderSource: z.string().nullable(),
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  reason: z.string(),
  message: z.string(),
});
export type IngestRejectedData = z.infer<typeof IngestRejectedData>;
export const INGEST_REJECTED = 'duban.ingest.rejected';
