import { z } from 'zod';
import { ParkIndustry, RegionCode, UnitCode, Uuid } from '@duban/contracts';

/** `GET /parks` filters; unknown parameters are refused like unknown body fields. */
export const ParkListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
  regionCode: RegionCode.optional(),
  unit: UnitCode.optional(),
  leadIndustry: ParkIndustry.optional(),
});
export type ParkListQuery = z.infer<typeof ParkListQuery>;
