import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Month, ParkIndicatorsBody, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import { ParkIndicators } from './park-indicators.entity';
import { ParkIndicatorsService } from './park-indicators.service';

const ParkId = new ZodParam('parkId', Uuid);
const MonthParam = new ZodParam('month', Month);

@ApiTags('park indicators')
@ApiBearerAuth()
@Controller('api/v1/parks/:parkId/indicators')
export class ParkIndicatorsController {
  constructor(private readonly indicators: ParkIndicatorsService) {}

  /** Reports or corrects a month; occupancy and tax per mu (亩均税收) are derived. */
  @Put(':month')
  @Roles('department', 'admin')
  @ApiZodBody(ParkIndicatorsBody, {
    outputValueWan: '86500.00',
    industrialValueAddedWan: '21300.00',
    taxWan: '1930.25',
    fixedInvestmentWan: '12000.00',
    employees: 6400,
  })
  put(
    @CurrentPrincipal() actor: Principal,
    @Param('parkId', ParkId) parkId: string,
    @Param('month', MonthParam) month: string,
    @Body(new ZodBody(ParkIndicatorsBody)) body: ParkIndicatorsBody,
  ): Promise<ParkIndicators> {
    return this.indicators.put(actor, parkId, month, body);
  }

  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Param('parkId', ParkId) parkId: string,
  ): Promise<ParkIndicators[]> {
    return this.indicators.list(actor, parkId);
  }

  @Get(':month')
  get(
    @CurrentPrincipal() actor: Principal,
    @Param('parkId', ParkId) parkId: string,
    @Param('month', MonthParam) month: string,
  ): Promise<ParkIndicators> {
    return this.indicators.get(actor, parkId, month);
  }
}
