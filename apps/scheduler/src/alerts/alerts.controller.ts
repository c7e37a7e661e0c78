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
  VerificationBody,
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
import { SilencesService } from '../silences/silences.service';
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
type AlertView = Alert & { silencedBy: string | null };

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    private readonly ds: DataSource,
    private readonly alerts: AlertsService,
    private readonly notifications: NotificationsService,
    private readonly silences: SilencesService,
    private readonly clock: Clock,
  ) {}

  /** `silencedBy`: the silence that keeps the alert from being notified, escalated and reminded. */
  private async withSilence(alert: Alert): Promise<AlertView> {
    const live = alert.state === 'open' || alert.state === 'acknowledged';
    const silence = live
      ? await this.silences.activeFor(this.ds.manager, alert, this.clock.now())
      : null;
    return { ...alert, silencedBy: silence?.id ?? null };
  }

  /**
   * Alerts in any state (open, acknowledged, resolved awaiting verification, closed); a
   * department token sees its own unit's only.
   */
  @Get()
  async list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', AlertListQuery)) q: AlertListQuery,
  ): Promise<Page<AlertView>> {
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
    const page = await keysetPage(qb, q);
    return { ...page, items: await Promise.all(page.items.map((a) => this.withSilence(a))) };
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
  ): Promise<AlertView> {
    const alert = await this.ds.manager.findOneBy(Alert, { id });
    if (!alert || !mayRead(actor, alert)) throw new RuleViolation(`no alert ${id}`, 'not-found');
    return this.withSilence(alert);
  }

  /**
   * 承诺: the owner unit's answer (or the supervisors'; integrators only read) — the measures
   * taken and the date it will be done by. Escalation stops; if the date passes unmet, the alert
   * re-opens one level up.
   */
  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('department', 'supervisor', 'admin')
  @ApiZodBody(AcknowledgeBody, {
    note: '已督促施工单位增加人手，预计下周完成',
    commitDate: '2026-12-18',
  })
  acknowledge(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
    @Body(new ZodBody(AcknowledgeBody)) body: z.infer<typeof AcknowledgeBody>,
  ): Promise<Alert> {
    return this.alerts.acknowledge(actor, id, body, this.clock.now());
  }

  /**
   * 销号: a supervisor of the alert's region (or an admin) verifies a resolution. The supervised
   * unit cannot close its own alert.
   */
  @Post(':id/close')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiZodBody(VerificationBody, { note: '现场核查，已完成主体封顶' })
  close(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
    @Body(new ZodBody(VerificationBody)) body: z.infer<typeof VerificationBody>,
  ): Promise<Alert> {
    return this.alerts.close(actor, id, body.note, this.clock.now());
  }

  /** Rejects a resolution: the alert is open again, one escalation level up. */
  @Post(':id/reopen')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiZodBody(VerificationBody, { note: '现场核查未完成，退回重办' })
  reopen(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
    @Body(new ZodBody(VerificationBody)) body: z.infer<typeof VerificationBody>,
  ): Promise<Alert> {
    return this.alerts.reopen(actor, id, body.note, this.clock.now());
  }
}
