import { z } from 'zod';
import { HonourStatus, RegionCode, Uuid } from '@duban/contracts';

/** `GET /honours` filters; unknown parameters are refused like unknown body fields. */
export const HonourListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
  regionCode: RegionCode.optional(),
  status: HonourStatus.optional(),
});
export type HonourListQuery = z.infer<typeof HonourListQuery>;
