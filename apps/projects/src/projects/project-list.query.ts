import { z } from 'zod';
import { ProjectLevel, ProjectStatus, RegionCode, UnitCode, Uuid } from '@duban/contracts';

/** `GET /projects` filters; unknown parameters are refused like unknown body fields. */
export const ProjectListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
  /** Only this region's projects; a token bound to a region sees only its own anyway. */
  region: RegionCode.optional(),
  unit: UnitCode.optional(),
  status: ProjectStatus.optional(),
  level: ProjectLevel.optional(),
  township: z.string().min(1).max(100).optional(),
  /** `true`: only projects with a pending milestone past its current planned date; `false`: none. */
  overdue: z.enum(['true', 'false']).optional(),
  /** Searches name and code. */
  q: z.string().min(1).max(100).optional(),
});
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;
