import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  MessageEvent,
  Param,
  Post,
  Query,
  Sse,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { z } from 'zod';
import {
  AcknowledgeBody,
  AlertRule,
  AlertSeverity,
  AlertState,
  MilestoneSubjectType,
  RegionCode,
  RuleViolation,
  UnitCode,
  Uuid,
} from '@duban/contracts';
import { Page, keysetPage } from '@duban/persistence';
import { CurrentPrincipal, Principal, Roles, regionFilter } from '@duban/auth';
import { ApiZodBody, Clock, ZodBody, ZodParam } from '@duban/platform';
import { DataSource } from 'typeorm';
import { NotificationsService } from '../notifications/notifications.service';
import { Alert } from './alert.entity';
import { AlertsService, mayRead } from './alerts.service';

const AlertListQuery = z.strictObject({
  state: AlertState.optional(),
  severity: AlertSeverity.optional(),
  rule: AlertRule.optional(),
  unit: UnitCode.optional(),
  region: RegionCode.optional(),
  subjectType: MilestoneSubjectType.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
});
type AlertListQuery = z.infer<typeof AlertListQuery>;

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    private readonly ds: DataSource,
    private readonly alerts: AlertsService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** Open and past alerts; a department token sees its own unit's only. */
  @Get()
  async list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', AlertListQuery)) q: AlertListQuery,
  ): Promise<Page<Alert>> {
    const qb = this.ds.getRepository(Alert).createQueryBuilder('a');
    const unit = actor.role === 'department' ? actor.unit : q.unit;
    if (actor.role === 'department' && q.unit && q.unit !== actor.unit)
      return { items: [], nextCursor: null };
    if (unit) qb.andWhere('a.owner_unit = :unit', { unit });
    if (q.state) qb.andWhere('a.state = :state', { state: q.state });
    if (q.severity) qb.andWhere('a.severity = :severity', { severity: q.severity });
    if (q.rule) qb.andWhere('a.rule = :rule', { rule: q.rule });
    const region = regionFilter(actor, q.region);
    if (region) qb.andWhere('a.region = :region', { region });
    if (q.subjectType) qb.andWhere('a.subject_type = :subjectType', { subjectType: q.subjectType });
    return keysetPage(qb, q);
  }

  /**
   * Live alert events as server-sent events, for the supervisors' screens; a reconnecting
   * screen's Last-Event-ID first gets the events it missed.
   */
  @Sse('stream')
  stream(
    @CurrentPrincipal() actor: Principal,
    @Headers('last-event-id') lastEventId?: string,
  ): Observable<MessageEvent> {
    return this.notifications.stream(actor, lastEventId);
  }

  /** One alert with its history (raised, severity, escalations, acknowledgement, resolution). */
  @Get(':id')
  async get(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
  ): Promise<Alert> {
    const alert = await this.ds.manager.findOneBy(Alert, { id });
    if (!alert || !mayRead(actor, alert)) throw new RuleViolation(`no alert ${id}`, 'not-found');
    return alert;
  }

  /** Stops escalation: the owner unit's answer or the supervisors' (integrators only read). */
  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('department', 'supervisor', 'admin')
  @ApiZodBody(AcknowledgeBody, { note: '已督促施工单位增加人手，预计下周完成' })
  acknowledge(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
    @Body(new ZodBody(AcknowledgeBody)) body: z.infer<typeof AcknowledgeBody>,
  ): Promise<Alert> {
    return this.alerts.acknowledge(actor, id, body.note, this.clock.now());
  }
}
