import { z } from 'zod';
import { EvaluationPeriod, RegionCode, SubjectKind, Uuid } from '@duban/contracts';

/** `GET /schemes` filters; unknown parameters are refused like unknown body fields. */
export const SchemeListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
  regionCode: RegionCode.optional(),
  period: EvaluationPeriod.optional(),
  subjectKind: SubjectKind.optional(),
  status: z.enum(['open', 'closed']).optional(),
});
export type SchemeListQuery = z.infer<typeof SchemeListQuery>;

export const LateEventListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: Uuid.optional(),
});
export type LateEventListQuery = z.infer<typeof LateEventListQuery>;
