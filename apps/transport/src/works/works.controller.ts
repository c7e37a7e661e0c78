import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AdvancePhaseBody,
  RegisterTransportWorkBody,
  UpdateTransportWorkBody,
  Uuid,
} from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, Clock, ZodBody, ZodParam } from '@duban/platform';
import { GateView, gateView } from '../gates/gate.view';
import { GatesService } from '../gates/gates.service';
import { TransportWork } from './transport-work.entity';
import { Page } from '@duban/persistence';
import { WorkListQuery } from './work-list.query';
import { WorksService } from './works.service';

const WorkId = new ZodParam('id', Uuid);
type WorkView = TransportWork & { gates: GateView[] };

const EXAMPLE = {
  kind: 'railway',
  name: 'XX遂内铁路',
  regionCode: '511112',
  leadUnit: 'TRANSPORT',
  plannedInvestmentWan: '1850000.00',
  gates: [
    { gate: 'pre-feasibility', plannedDate: '2026-06-30' },
    { gate: 'feasibility-study', plannedDate: '2026-12-31' },
    { gate: 'land-and-environment', plannedDate: '2027-09-30', ownerUnit: 'NATRES' },
  ],
};

@ApiTags('transport-works')
@ApiBearerAuth()
@Controller('api/v1/transport-works')
export class WorksController {
  constructor(
    private readonly works: WorksService,
    private readonly gates: GatesService,
    private readonly clock: Clock,
  ) {}

  /** Registers a work in planning (规划), with any gates already dated. */
  @Post()
  @Roles('department', 'admin')
  @ApiZodBody(RegisterTransportWorkBody, EXAMPLE)
  async register(
    @CurrentPrincipal() actor: Principal,
    @Body(new ZodBody(RegisterTransportWorkBody)) body: RegisterTransportWorkBody,
  ): Promise<WorkView> {
    const { work, gates } = await this.works.register(actor, body);
    return { ...work, gates: gates.map((g) => gateView(g, this.clock.now())) };
  }

  /** A token bound to a region lists its own region only; asking for another is a 403. */
  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', WorkListQuery)) query: WorkListQuery,
  ): Promise<Page<TransportWork>> {
    return this.works.list(actor, query);
  }

  /** The work with its gates, soonest first; 404 for a work outside the token's region. */
  @Get(':id')
  async get(
    @CurrentPrincipal() actor: Principal,
    @Param('id', WorkId) id: string,
  ): Promise<WorkView> {
    const work = await this.works.get(actor, id);
    const gates = await this.gates.list(actor, id);
    return { ...work, gates: gates.map((g) => gateView(g, this.clock.now())) };
  }

  @Patch(':id')
  @Roles('department', 'admin')
  @ApiZodBody(UpdateTransportWorkBody, { plannedInvestmentWan: '1900000.00', version: 1 })
  update(
    @CurrentPrincipal() actor: Principal,
    @Param('id', WorkId) id: string,
    @Body(new ZodBody(UpdateTransportWorkBody)) body: UpdateTransportWorkBody,
  ): Promise<TransportWork> {
    return this.works.update(actor, id, body);
  }

  /**
   * 规划 → 前期工作 → 招标 → 在建 → 交工 → 通车/通航, one step at a time and never back. Leaving
   * pre-work needs 预可研, 工可, 立项/核准 and 初步设计 met or waived; leaving tender needs 用地/环评.
   * Otherwise 409 naming the phases and each unmet gate.
   */
  @Post(':id/phase')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(AdvancePhaseBody, { phase: 'pre-work', version: 1 })
  advance(
    @CurrentPrincipal() actor: Principal,
    @Param('id', WorkId) id: string,
    @Body(new ZodBody(AdvancePhaseBody)) body: AdvancePhaseBody,
  ): Promise<TransportWork> {
    return this.works.advance(actor, id, body);
  }
}
