import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { z } from 'zod';
import { MilestoneSubjectType, RegionCode, TrafficLight, UnitCode, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, regionFilter } from '@duban/auth';
import { ZodParam } from '@duban/platform';
import { ColourCounts, countColours } from './domain/colour';
import { SubjectStatus } from './subject-status.entity';

const Scope = {
  subjectType: MilestoneSubjectType.optional(),
  unit: UnitCode.optional(),
  region: RegionCode.optional(),
};

const StatusListQuery = z.strictObject({
  ...Scope,
  colour: TrafficLight.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The subjectId of the last item of the previous page. */
  cursor: Uuid.optional(),
});
type StatusListQuery = z.infer<typeof StatusListQuery>;

const StatusSummaryQuery = z.strictObject({
  ...Scope,
  groupBy: z.enum(['unit', 'region']).default('unit'),
});
type StatusSummaryQuery = z.infer<typeof StatusSummaryQuery>;

export interface StatusPage {
  items: SubjectStatus[];
  nextCursor: string | null;
  /** Subjects per colour for the same scope (subject type, unit, region), whatever `colour`. */
  counts: ColourCounts;
}

export interface StatusSummary {
  groupBy: 'unit' | 'region';
  groups: (ColourCounts & { key: string; total: number })[];
}

/**
 * Traffic lights (红黄绿灯) per subject, and counts per colour. A department token sees its own
 * unit's subjects only; a token bound to a region, that region's.
 */
@ApiTags('status')
@ApiBearerAuth()
@Controller('api/v1/status')
export class StatusController {
  constructor(private readonly ds: DataSource) {}

  /** Subjects in subject-id order (keyset-paged by `cursor`), with the counts of their scope. */
  @Get()
  async list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', StatusListQuery)) q: StatusListQuery,
  ): Promise<StatusPage> {
    const scope = this.scoped(actor, q);
    if (!scope) return { items: [], nextCursor: null, counts: countColours([]) };
    const counts = countColours(
      await scope
        .clone()
        .select('s.colour', 'colour')
        .addSelect('count(*)::int', 'n')
        .groupBy('s.colour')
        .getRawMany(),
    );
    const qb = scope.orderBy('s.subject_id', 'ASC').take(q.limit + 1);
    if (q.colour) qb.andWhere('s.colour = :colour', { colour: q.colour });
    if (q.cursor) qb.andWhere('s.subject_id > :cursor', { cursor: q.cursor });
    const rows = await qb.getMany();
    const items = rows.slice(0, q.limit);
    const nextCursor = rows.length > q.limit ? items[items.length - 1].subjectId : null;
    return { items, nextCursor, counts };
  }

  /** Subjects per colour for each unit or region, most red first. */
  @Get('summary')
  async summary(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', StatusSummaryQuery)) q: StatusSummaryQuery,
  ): Promise<StatusSummary> {
    const scope = this.scoped(actor, q);
    if (!scope) return { groupBy: q.groupBy, groups: [] };
    const key = q.groupBy === 'unit' ? 's.owner_unit' : 's.region';
    const rows: { key: string; colour: TrafficLight; n: number }[] = await scope
      .select(key, 'key')
      .addSelect('s.colour', 'colour')
      .addSelect('count(*)::int', 'n')
      .groupBy(key)
      .addGroupBy('s.colour')
      .getRawMany();
    const keys = [...new Set(rows.map((r) => r.key))];
    const groups = keys
      .map((k) => {
        const counts = countColours(rows.filter((r) => r.key === k));
        return { key: k, ...counts, total: counts.red + counts.yellow + counts.green };
      })
      .sort((a, b) => b.red - a.red || b.yellow - a.yellow || a.key.localeCompare(b.key));
    return { groupBy: q.groupBy, groups };
  }

  /** The rows the caller may see in the asked scope; null when a department asks for another unit. */
  private scoped(
    actor: Principal,
    q: { subjectType?: string; unit?: string; region?: string },
  ): SelectQueryBuilder<SubjectStatus> | null {
    if (actor.role === 'department' && q.unit && q.unit !== actor.unit) return null;
    const qb = this.ds.getRepository(SubjectStatus).createQueryBuilder('s');
    const unit = actor.role === 'department' ? actor.unit : q.unit;
    if (unit) qb.andWhere('s.owner_unit = :unit', { unit });
    const region = regionFilter(actor, q.region);
    if (region) qb.andWhere('s.region = :region', { region });
    if (q.subjectType) qb.andWhere('s.subject_type = :subjectType', { subjectType: q.subjectType });
    return qb;
  }
}
