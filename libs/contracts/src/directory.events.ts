import { z } from 'zod';
import { RegionCode, UnitCode, Uuid } from './values';

/** What other services need to know of a park (the projects service keeps a directory). */
export const ParkData = z.object({
  parkId: Uuid,
  name: z.string().min(1),
  regionCode: RegionCode,
  managingUnit: UnitCode,
});
export type ParkData = z.infer<typeof ParkData>;

export const ParkEventTypes = {
  registered: 'duban.park.registered',
  updated: 'duban.park.updated',
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
