import { z } from 'zod';
import { EnterpriseStatus, RegionCode, Uuid } from '@duban/contracts';

/** `GET /enterprises` filters; unknown parameters are refused like unknown body fields. */
export const EnterpriseListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
  regionCode: RegionCode.optional(),
  parkId: Uuid.optional(),
  status: EnterpriseStatus.optional(),
  uscc: z.string().length(18).optional(),
  aboveDesignatedSize: z.enum(['true', 'false']).optional(),
});
export type EnterpriseListQuery = z.infer<typeof EnterpriseListQuery>;
