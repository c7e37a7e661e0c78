import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
    return this.view(await this.gates.change(actor, workId, gate, { kind: 'forecast', ...body }));
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
    return this.view(await this.gates.change(actor, workId, gate, { kind: 'complete', ...body }));
  }

  @Post(':gate/reschedule')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(RescheduleBody, { plannedDate: '2027-06-30', reason: '工可报告评审意见修改' })
  async reschedule(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
    @Param('gate', GateKind) gate: TransportGate,
    @Body(new ZodBody(RescheduleBody)) body: z.infer<typeof RescheduleBody>,
  ): Promise<GateView> {
    return this.view(await this.gates.change(actor, workId, gate, { kind: 'reschedule', ...body }));
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
  ): Promise<GateView> {
    return this.view(await this.gates.change(actor, workId, gate, { kind: 'cancel', ...body }));
  }

  private view(g: Gate): GateView {
    return gateView(g, this.clock.now());
  }
}
