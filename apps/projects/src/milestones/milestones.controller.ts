import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  CancelMilestoneBody,
  CompleteMilestoneBody,
  CreateMilestoneBody,
  ForecastBody,
  RescheduleBody,
  Uuid,
  chinaDate,
} from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, Clock, ZodBody, ZodParam } from '@duban/platform';
import {
  ChangeOutcome,
  ChangeRequestRecord,
  answerChange,
  daysLate,
  isOverdue,
} from '@duban/milestones';
import { Milestone } from './milestone.entity';
import { MilestonesService } from './milestones.service';

const ProjectId = new ZodParam('projectId', Uuid);
const MilestoneId = new ZodParam('milestoneId', Uuid);
type MilestoneView = Milestone & { overdue: boolean; daysLate: number };

@ApiTags('milestones')
@ApiBearerAuth()
@Controller('api/v1/projects/:projectId/milestones')
export class MilestonesController {
  constructor(
    private readonly milestones: MilestonesService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('department', 'admin')
  @ApiZodBody(CreateMilestoneBody, {
    name: '完成国家现代农业产业园创建',
    ownerUnit: 'AGRI',
    plannedDate: '2026-12-31',
  })
  async create(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
    @Body(new ZodBody(CreateMilestoneBody)) body: z.infer<typeof CreateMilestoneBody>,
  ): Promise<MilestoneView> {
    return this.view(await this.milestones.create(actor, projectId, body));
  }

  @Get()
  async list(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
  ): Promise<MilestoneView[]> {
    return (await this.milestones.list(actor, projectId)).map((m) => this.view(m));
  }

  /** The owner's forecast date (预计完成日期). */
  @Patch(':milestoneId')
  @Roles('department', 'admin')
  @ApiZodBody(ForecastBody, { forecastDate: '2027-03-31' })
  async forecast(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
    @Param('milestoneId', MilestoneId) id: string,
    @Body(new ZodBody(ForecastBody)) body: z.infer<typeof ForecastBody>,
  ): Promise<MilestoneView> {
    return this.applied(
      await this.milestones.change(actor, projectId, id, { kind: 'forecast', ...body }),
    );
  }

  @Post(':milestoneId/complete')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(CompleteMilestoneBody, { actualDate: '2026-11-20' })
  async complete(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
    @Param('milestoneId', MilestoneId) id: string,
    @Body(new ZodBody(CompleteMilestoneBody)) body: z.infer<typeof CompleteMilestoneBody>,
  ): Promise<MilestoneView> {
    return this.applied(
      await this.milestones.change(actor, projectId, id, { kind: 'complete', ...body }),
    );
  }

  /** 200 with the milestone when the policy lets the caller decide; else 202 with the change request. */
  @Post(':milestoneId/reschedule')
  @HttpCode(200)
  @ApiResponse({ status: 202, description: 'A change request (变更申请) awaiting approval' })
  @Roles('department', 'admin')
  @ApiZodBody(RescheduleBody, { plannedDate: '2027-06-30', reason: '用地报批延后' })
  async reschedule(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
    @Param('milestoneId', MilestoneId) id: string,
    @Body(new ZodBody(RescheduleBody)) body: z.infer<typeof RescheduleBody>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MilestoneView | ChangeRequestRecord> {
    const outcome = await this.milestones.change(actor, projectId, id, {
      kind: 'reschedule',
      ...body,
    });
    return answerChange(res, outcome, (m) => this.view(m));
  }

  /** 200 with the milestone when the policy lets the caller decide; else 202 with the change request. */
  @Post(':milestoneId/cancel')
  @HttpCode(200)
  @ApiResponse({ status: 202, description: 'A change request (变更申请) awaiting approval' })
  @Roles('department', 'admin')
  @ApiZodBody(CancelMilestoneBody, { reason: '项目调整' })
  async cancel(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
    @Param('milestoneId', MilestoneId) id: string,
    @Body(new ZodBody(CancelMilestoneBody)) body: z.infer<typeof CancelMilestoneBody>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MilestoneView | ChangeRequestRecord> {
    const outcome = await this.milestones.change(actor, projectId, id, { kind: 'cancel', ...body });
    return answerChange(res, outcome, (m) => this.view(m));
  }

  /** Forecasts and completions never wait for approval. */
  private applied(outcome: ChangeOutcome<Milestone>): MilestoneView {
    if (outcome.outcome !== 'applied')
      throw new Error('a forecast or completion is never a request');
    return this.view(outcome.milestone);
  }

  private view(m: Milestone): MilestoneView {
    const today = chinaDate(this.clock.now());
    return { ...m, overdue: isOverdue(m, today), daysLate: daysLate(m, today) };
  }
}
