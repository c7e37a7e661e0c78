import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  CancelMilestoneBody,
  CompleteMilestoneBody,
  CreateCampaignBody,
  CreateCampaignTaskBody,
  ForecastBody,
  RescheduleBody,
  Uuid,
  chinaDate,
} from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import {
  ChangeRequestRecord,
  MilestoneCommand,
  answerChange,
  daysLate,
  isOverdue,
} from '@duban/milestones';
import { ApiZodBody, Clock, ZodBody, ZodParam } from '@duban/platform';
import { Page } from '@duban/persistence';
import { CampaignListQuery } from './campaign-list.query';
import { CampaignTask } from './campaign-task.entity';
import { Campaign } from './campaign.entity';
import { CampaignsService } from './campaigns.service';

const CampaignId = new ZodParam('campaignId', Uuid);
const TaskId = new ZodParam('taskId', Uuid);
type TaskView = CampaignTask & { overdue: boolean; daysLate: number };

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('department', 'admin')
  @ApiZodBody(CreateCampaignBody, {
    name: '园区提质',
    regionCode: '511112',
    leadUnit: 'ECON',
    description: '七大攻坚行动之一：提升园区承载能力和产出效益',
  })
  create(
    @CurrentPrincipal() actor: Principal,
    @Body(new ZodBody(CreateCampaignBody)) body: CreateCampaignBody,
  ): Promise<Campaign> {
    return this.campaigns.create(actor, body);
  }

  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', CampaignListQuery)) query: CampaignListQuery,
  ): Promise<Page<Campaign>> {
    return this.campaigns.list(actor, query);
  }

  @Get(':campaignId')
  get(
    @CurrentPrincipal() actor: Principal,
    @Param('campaignId', CampaignId) id: string,
  ): Promise<Campaign> {
    return this.campaigns.get(actor, id);
  }

  @Post(':campaignId/tasks')
  @Roles('department', 'admin')
  @ApiZodBody(CreateCampaignTaskBody, {
    name: '纺织鞋服产业园标准厂房二期竣工',
    ownerUnit: 'PARK-TEXTILE',
    plannedDate: '2026-12-31',
    parkId: null,
  })
  async addTask(
    @CurrentPrincipal() actor: Principal,
    @Param('campaignId', CampaignId) campaignId: string,
    @Body(new ZodBody(CreateCampaignTaskBody)) body: CreateCampaignTaskBody,
  ): Promise<TaskView> {
    return this.view(await this.campaigns.addTask(actor, campaignId, body));
  }

  @Get(':campaignId/tasks')
  async tasks(
    @CurrentPrincipal() actor: Principal,
    @Param('campaignId', CampaignId) campaignId: string,
  ): Promise<TaskView[]> {
    return (await this.campaigns.tasks(actor, campaignId)).map((t) => this.view(t));
  }

  @Get(':campaignId/tasks/:taskId')
  async task(
    @CurrentPrincipal() actor: Principal,
    @Param('campaignId', CampaignId) campaignId: string,
    @Param('taskId', TaskId) taskId: string,
  ): Promise<TaskView> {
    return this.view(await this.campaigns.task(actor, campaignId, taskId));
  }

  /** The owner's forecast date (预计完成日期); null withdraws it. Owner or lead unit. */
  @Patch(':campaignId/tasks/:taskId')
  @Roles('department', 'admin')
  @ApiZodBody(ForecastBody, { forecastDate: '2027-01-15' })
  forecast(
    @CurrentPrincipal() actor: Principal,
    @Param('campaignId', CampaignId) campaignId: string,
    @Param('taskId', TaskId) taskId: string,
    @Body(new ZodBody(ForecastBody)) body: z.infer<typeof ForecastBody>,
  ): Promise<TaskView> {
    return this.change(actor, campaignId, taskId, { kind: 'forecast', ...body });
  }

  @Post(':campaignId/tasks/:taskId/complete')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(CompleteMilestoneBody, { actualDate: '2026-11-20' })
  complete(
    @CurrentPrincipal() actor: Principal,
    @Param('campaignId', CampaignId) campaignId: string,
    @Param('taskId', TaskId) taskId: string,
    @Body(new ZodBody(CompleteMilestoneBody)) body: z.infer<typeof CompleteMilestoneBody>,
  ): Promise<TaskView> {
    return this.change(actor, campaignId, taskId, { kind: 'complete', ...body });
  }

  /**
   * Moves the current planned date; the baseline plannedDate never changes. Lead unit only: a
   * change request (202) until a supervisor approves, unless the policy lets it approve itself.
   */
  @Post(':campaignId/tasks/:taskId/reschedule')
  @HttpCode(200)
  @ApiResponse({ status: 202, description: 'A change request (变更申请) awaiting approval' })
  @Roles('department', 'admin')
  @ApiZodBody(RescheduleBody, { plannedDate: '2027-03-31', reason: '用地报批延后' })
  async reschedule(
    @CurrentPrincipal() actor: Principal,
    @Param('campaignId', CampaignId) campaignId: string,
    @Param('taskId', TaskId) taskId: string,
    @Body(new ZodBody(RescheduleBody)) body: z.infer<typeof RescheduleBody>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskView | ChangeRequestRecord> {
    const command: MilestoneCommand = { kind: 'reschedule', ...body };
    const outcome = await this.campaigns.changeTask(actor, campaignId, taskId, command);
    return answerChange(res, outcome, (t) => this.view(t));
  }

  /** Lead unit only; a change request (202) like a reschedule. */
  @Post(':campaignId/tasks/:taskId/cancel')
  @HttpCode(200)
  @ApiResponse({ status: 202, description: 'A change request (变更申请) awaiting approval' })
  @Roles('department', 'admin')
  @ApiZodBody(CancelMilestoneBody, { reason: '并入企业满园行动' })
  async cancel(
    @CurrentPrincipal() actor: Principal,
    @Param('campaignId', CampaignId) campaignId: string,
    @Param('taskId', TaskId) taskId: string,
    @Body(new ZodBody(CancelMilestoneBody)) body: z.infer<typeof CancelMilestoneBody>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskView | ChangeRequestRecord> {
    const command: MilestoneCommand = { kind: 'cancel', ...body };
    const outcome = await this.campaigns.changeTask(actor, campaignId, taskId, command);
    return answerChange(res, outcome, (t) => this.view(t));
  }

  private async change(
    actor: Principal,
    campaignId: string,
    taskId: string,
    command: MilestoneCommand,
  ): Promise<TaskView> {
    const outcome = await this.campaigns.changeTask(actor, campaignId, taskId, command);
    // Forecasts and completions never wait for approval.
    if (outcome.outcome !== 'applied')
      throw new Error('a forecast or completion is never a request');
    return this.view(outcome.milestone);
  }

  private view(t: CampaignTask): TaskView {
    const today = chinaDate(this.clock.now());
    return { ...t, overdue: isOverdue(t, today), daysLate: daysLate(t, today) };
  }
}
