import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  CancelMilestoneBody,
  CompleteMilestoneBody,
  ForecastBody,
  GateInput,
  RescheduleBody,
  TransportGate,
  Uuid,
} from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, Clock, ZodBody, ZodParam } from '@duban/platform';
import { ChangeOutcome, ChangeRequestRecord, answerChange } from '@duban/milestones';
import { Gate } from './gate.entity';
import { GateView, gateView } from './gate.view';
import { GatesService } from './gates.service';

const WorkId = new ZodParam('workId', Uuid);
const GateKind = new ZodParam('gate', TransportGate);

/** Gates of 前期工作, addressed by their kind (`/gates/feasibility-study`). */
@ApiTags('gates')
@ApiBearerAuth()
@Controller('api/v1/transport-works/:workId/gates')
export class GatesController {
  constructor(
    private readonly gates: GatesService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('department', 'admin')
  @ApiZodBody(GateInput, {
    gate: 'land-and-environment',
    plannedDate: '2027-06-30',
    ownerUnit: 'NATRES',
  })
  async add(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
    @Body(new ZodBody(GateInput)) body: GateInput,
  ): Promise<GateView> {
    return this.view(await this.gates.add(actor, workId, body));
  }

  @Get()
  async list(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
  ): Promise<GateView[]> {
    return (await this.gates.list(actor, workId)).map((g) => this.view(g));
  }

  /** The owner's forecast date (预计完成日期). */
  @Patch(':gate')
  @Roles('department', 'admin')
  @ApiZodBody(ForecastBody, { forecastDate: '2027-03-31' })
  async forecast(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
    @Param('gate', GateKind) gate: TransportGate,
    @Body(new ZodBody(ForecastBody)) body: z.infer<typeof ForecastBody>,
  ): Promise<GateView> {
    return this.applied(
      await this.gates.change(actor, workId, gate, { kind: 'forecast', ...body }),
    );
  }

  @Post(':gate/complete')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(CompleteMilestoneBody, { actualDate: '2026-11-20' })
  async complete(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
    @Param('gate', GateKind) gate: TransportGate,
    @Body(new ZodBody(CompleteMilestoneBody)) body: z.infer<typeof CompleteMilestoneBody>,
  ): Promise<GateView> {
    return this.applied(
      await this.gates.change(actor, workId, gate, { kind: 'complete', ...body }),
    );
  }

  /** A lead unit's reschedule is a change request (202) until a supervisor approves it. */
  @Post(':gate/reschedule')
  @HttpCode(200)
  @ApiResponse({ status: 202, description: 'A change request (变更申请) awaiting approval' })
  @Roles('department', 'admin')
  @ApiZodBody(RescheduleBody, { plannedDate: '2027-06-30', reason: '工可报告评审意见修改' })
  async reschedule(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
    @Param('gate', GateKind) gate: TransportGate,
    @Body(new ZodBody(RescheduleBody)) body: z.infer<typeof RescheduleBody>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GateView | ChangeRequestRecord> {
    const outcome = await this.gates.change(actor, workId, gate, { kind: 'reschedule', ...body });
    return answerChange(res, outcome, (g) => this.view(g));
  }

  /** Waives the gate (不适用): it no longer blocks the phase it guards. Admins only (403 otherwise). */
  @Post(':gate/cancel')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(CancelMilestoneBody, { reason: '农村公路无需预可研' })
  async cancel(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
    @Param('gate', GateKind) gate: TransportGate,
    @Body(new ZodBody(CancelMilestoneBody)) body: z.infer<typeof CancelMilestoneBody>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GateView | ChangeRequestRecord> {
    const outcome = await this.gates.change(actor, workId, gate, { kind: 'cancel', ...body });
    return answerChange(res, outcome, (g) => this.view(g));
  }

  /** Forecasts and completions never wait for approval. */
  private applied(outcome: ChangeOutcome<Gate>): GateView {
    if (outcome.outcome !== 'applied')
      throw new Error('a forecast or completion is never a request');
    return this.view(outcome.milestone);
  }

  private view(g: Gate): GateView {
    return gateView(g, this.clock.now());
  }
}
