import { z } from 'zod';
import { RegionCode, TransportKind, TransportPhase, UnitCode, Uuid } from '@duban/contracts';

/** `GET /transport-works` filters; unknown parameters are refused like unknown body fields. */
export const WorkListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
  kind: TransportKind.optional(),
  phase: TransportPhase.optional(),
  unit: UnitCode.optional(),
  /** Only this region's works; a token bound to a region sees only its own anyway (403 for another). */
  regionCode: RegionCode.optional(),
});
export type WorkListQuery = z.infer<typeof WorkListQuery>;
