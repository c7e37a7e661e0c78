import { z } from 'zod';
import { RegionCode, Uuid } from '@duban/contracts';

/** `GET /campaigns` filters; unknown parameters are refused like unknown body fields. */
export const CampaignListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
  regionCode: RegionCode.optional(),
});
export type CampaignListQuery = z.infer<typeof CampaignListQuery>;
