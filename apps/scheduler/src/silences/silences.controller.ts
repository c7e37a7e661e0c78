import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Instant, RegionCode, SilenceSubjectType, UnitCode, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { Page } from '@duban/persistence';
import { ApiZodBody, Clock, ZodBody, ZodParam } from '@duban/platform';
import { MAX_REASON_LENGTH } from './domain/silence';
import { SilenceExpiry } from './silence-expiry.service';
import { Silence } from './silence.entity';
import { SilencesService } from './silences.service';

const SilenceBody = z.strictObject({
  subjectType: SilenceSubjectType,
  /** The subject's id; left out for a unit silence. */
  subjectId: Uuid.optional(),
  /** The unit whose alerts are silenced, for subjectType `unit` only. */
  unit: UnitCode.optional(),
  region: RegionCode,
  startsAt: Instant.optional(),
  endsAt: Instant,
  reason: z.string().trim().min(1, 'must not be empty').max(MAX_REASON_LENGTH),
});
type SilenceBody = z.infer<typeof SilenceBody>;

const SilenceListQuery = z.strictObject({
  active: z.enum(['true', 'false']).optional(),
  subjectType: SilenceSubjectType.optional(),
  unit: UnitCode.optional(),
  region: RegionCode.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
});
type SilenceListQuery = z.infer<typeof SilenceListQuery>;

/**
 * Silences (静默): a supervisor pauses notification and escalation of a subject's alerts, or of
 * every alert one unit owns, for a bounded period with a reason. Silenced alerts are still raised
 * and listed (`silencedBy`); the silence ends by itself (`duban.silence.ended`, `expired`).
 */
@ApiTags('silences')
@ApiBearerAuth()
@Controller('api/v1/silences')
export class SilencesController {
  constructor(
    private readonly silences: SilencesService,
    private readonly expiry: SilenceExpiry,
    private readonly clock: Clock,
  ) {}

  /** Supervisors of the region and admins; at most DUBAN_SILENCE_MAX_DAYS long. */
  @Post()
  @Roles('supervisor', 'admin')
  @ApiZodBody(SilenceBody, {
    subjectType: 'project',
    subjectId: '0192f0c4-6d2a-7c3e-9a51-3f2b8c1d4e5f',
    region: '511112',
    endsAt: '2026-09-30T00:00:00+08:00',
    reason: '汛期停工，经县防汛办批准暂停施工至9月底',
  })
  async create(
    @CurrentPrincipal() actor: Principal,
    @Body(new ZodBody(SilenceBody)) body: SilenceBody,
  ): Promise<Silence> {
    const now = this.clock.now();
    const s = await this.silences.create(
      actor,
      {
        ...body,
        startsAt: body.startsAt ? new Date(body.startsAt) : undefined,
        endsAt: new Date(body.endsAt),
      },
      now,
    );
    await this.expiry.schedule([s], now);
    return s;
  }

  /** Keyset-paged; a region-bound token sees its region's only. */
  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', SilenceListQuery)) q: SilenceListQuery,
  ): Promise<Page<Silence>> {
    const active = q.active === undefined ? undefined : q.active === 'true';
    return this.silences.list(actor, { ...q, active }, this.clock.now());
  }

  @Get(':id')
  get(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
  ): Promise<Silence> {
    return this.silences.get(actor, id);
  }

  /** Ends a silence early (`endedBy`, `endReason: deleted`); an ended one is answered as it is. */
  @Delete(':id')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  end(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
  ): Promise<Silence> {
    return this.silences.end(actor, id, this.clock.now());
  }
}
