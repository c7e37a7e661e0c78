import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { RuleViolation, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles, regionFilter } from '@duban/auth';
import { Page, keysetPage } from '@duban/persistence';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import type { ChangeOutcome, MilestoneChangeFlow, StoredMilestone } from '../change-flow';
import type { ChangeDecision, ChangeRequestRecord } from '../change-request';
import { ChangeRequest } from './change-request.entity';
import { ChangeDecisionBody, ChangeRequestListQuery } from './change-request.http';

/** The service's one change flow (its milestones, campaign tasks or gates). */
export const MILESTONE_CHANGE_FLOW = Symbol('MILESTONE_CHANGE_FLOW');
export type AnyChangeFlow = MilestoneChangeFlow<EntityManager, unknown, StoredMilestone>;

const RequestId = new ZodParam('requestId', Uuid);

/**
 * A reschedule or cancel call's answer: 200 with the changed milestone as before, or 202 with
 * the change request when it waits for approval.
 */
export function answerChange<M, V>(
  res: Response,
  outcome: ChangeOutcome<M>,
  view: (m: M) => V,
): V | ChangeRequestRecord {
  if (outcome.outcome === 'applied') return view(outcome.milestone);
  res.status(HttpStatus.ACCEPTED);
  return outcome.request;
}

/** Change requests (变更申请) of this service's milestones, and the decisions on them. */
@ApiTags('change-requests')
@ApiBearerAuth()
@Controller('api/v1/change-requests')
export class ChangeRequestsController {
  constructor(
    private readonly ds: DataSource,
    @Inject(MILESTONE_CHANGE_FLOW) private readonly flow: AnyChangeFlow,
  ) {}

  /**
   * A department sees the requests of its own unit; supervisors and integrators those of their
   * region (another region asked for is a 403, like every list).
   */
  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', ChangeRequestListQuery)) query: ChangeRequestListQuery,
  ): Promise<Page<ChangeRequest>> {
    const region = regionFilter(actor, query.region);
    const unit = unitFilter(actor, query.unit);
    const qb = this.ds.getRepository(ChangeRequest).createQueryBuilder('r');
    if (region) qb.andWhere('r.region_code = :region', { region });
    if (unit) qb.andWhere('r.requesting_unit = :unit', { unit });
    if (query.state) qb.andWhere('r.state = :state', { state: query.state });
    if (query.subjectType) qb.andWhere('r.subject_type = :type', { type: query.subjectType });
    return keysetPage(qb, query);
  }

  @Get(':requestId')
  get(
    @CurrentPrincipal() actor: Principal,
    @Param('requestId', RequestId) id: string,
  ): Promise<ChangeRequestRecord> {
    return this.flow.visible(this.ds.manager, actor, id);
  }

  /** Applies the change as asked (then the milestone's rescheduled or cancelled event). */
  @Post(':requestId/approve')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiZodBody(ChangeDecisionBody, { note: '同意延期，请按新节点推进' })
  approve(
    @CurrentPrincipal() actor: Principal,
    @Param('requestId', RequestId) id: string,
    @Body(new ZodBody(ChangeDecisionBody)) body: ChangeDecisionBody,
  ): Promise<ChangeRequestRecord> {
    return this.decide(actor, id, 'approve', body);
  }

  /** The milestone keeps its date; the note (why) is required. */
  @Post(':requestId/reject')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiZodBody(ChangeDecisionBody, { note: '理由不充分，请按原计划推进' })
  reject(
    @CurrentPrincipal() actor: Principal,
    @Param('requestId', RequestId) id: string,
    @Body(new ZodBody(ChangeDecisionBody)) body: ChangeDecisionBody,
  ): Promise<ChangeRequestRecord> {
    return this.decide(actor, id, 'reject', body);
  }

  /** The requesting unit takes its request back. */
  @Post(':requestId/withdraw')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(ChangeDecisionBody, { note: '已协调解决，无需延期' })
  withdraw(
    @CurrentPrincipal() actor: Principal,
    @Param('requestId', RequestId) id: string,
    @Body(new ZodBody(ChangeDecisionBody)) body: ChangeDecisionBody,
  ): Promise<ChangeRequestRecord> {
    return this.decide(actor, id, 'withdraw', body);
  }

  private decide(
    actor: Principal,
    id: string,
    decision: ChangeDecision,
    body: ChangeDecisionBody,
  ): Promise<ChangeRequestRecord> {
    return this.flow.decide(actor, id, decision, body.note ?? null);
  }
}

/** A department lists its own unit's requests; asking for another unit's is a 403. */
function unitFilter(actor: Principal, requested?: string): string | undefined {
  if (actor.role !== 'department') return requested;
  if (requested && requested !== actor.unit) {
    throw new RuleViolation(
      `unit ${actor.unit} may not list the change requests of unit ${requested}`,
      'forbidden',
    );
  }
  return actor.unit;
}
