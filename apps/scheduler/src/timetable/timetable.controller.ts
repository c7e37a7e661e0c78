import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  MilestoneStatus,
  MilestoneSubjectType,
  RegionCode,
  UnitCode,
  chinaDate,
} from '@duban/contracts';
import { CurrentPrincipal, Principal, regionFilter } from '@duban/auth';
import { Clock, ZodParam } from '@duban/platform';
import { DataSource } from 'typeorm';
import { deadlineOf } from './domain/deadlines';
import { TimetableEntry } from './timetable-entry.entity';

const TimetableQuery = z.strictObject({
  /** Pending milestones due within this many days (overdue ones included). */
  dueWithinDays: z.coerce.number().int().min(0).max(3660).optional(),
  status: MilestoneStatus.optional(),
  unit: UnitCode.optional(),
  region: RegionCode.optional(),
  subjectType: MilestoneSubjectType.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The timetable (督办台账): every milestone the scheduler watches, soonest deadline first. */
@ApiTags('milestones')
@ApiBearerAuth()
@Controller('api/v1/milestones')
export class TimetableController {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', TimetableQuery)) q: z.infer<typeof TimetableQuery>,
  ): Promise<{ items: (TimetableEntry & { deadline: string })[] }> {
    const qb = this.ds
      .getRepository(TimetableEntry)
      .createQueryBuilder('t')
      .orderBy('t.current_planned_date', 'ASC')
      .addOrderBy('t.milestone_id', 'ASC')
      .take(q.limit);
    const unit = actor.role === 'department' ? actor.unit : q.unit;
    if (unit) qb.andWhere('t.owner_unit = :unit', { unit });
    if (q.status) qb.andWhere('t.status = :status', { status: q.status });
    const region = regionFilter(actor, q.region);
    if (region) qb.andWhere('t.region = :region', { region });
    if (q.subjectType) qb.andWhere('t.subject_type = :subjectType', { subjectType: q.subjectType });
    if (q.dueWithinDays !== undefined) {
      const until = chinaDate(new Date(this.clock.now().getTime() + q.dueWithinDays * 86_400_000));
      qb.andWhere(`t.status = 'pending' AND t.current_planned_date <= :until`, { until });
    }
    const rows = await qb.getMany();
    return { items: rows.map((e) => ({ ...e, deadline: deadlineOf(e).toISOString() })) };
  }
}
