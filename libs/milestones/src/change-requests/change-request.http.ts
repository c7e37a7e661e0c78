import { z } from 'zod';
import {
  ChangeRequestState,
  MilestoneSubjectType,
  RegionCode,
  UnitCode,
  Uuid,
} from '@duban/contracts';

/** `GET /change-requests` filters; unknown parameters are refused like unknown body fields. */
export const ChangeRequestListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
  state: ChangeRequestState.optional(),
  /** The requesting unit. */
  unit: UnitCode.optional(),
  region: RegionCode.optional(),
  subjectType: MilestoneSubjectType.optional(),
});
export type ChangeRequestListQuery = z.infer<typeof ChangeRequestListQuery>;

/** Approve, reject or withdraw: a rejection must say why (400 naming note otherwise). */
export const ChangeDecisionBody = z.strictObject({
  note: z.string().max(1000).optional(),
});
export type ChangeDecisionBody = z.infer<typeof ChangeDecisionBody>;
