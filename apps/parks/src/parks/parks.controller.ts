import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateParkBody, DesignationBody, UpdateParkBody, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import { Page } from '@duban/persistence';
import { ParkListQuery } from './park-list.query';
import { Park } from './park.entity';
import { ParksService } from './parks.service';

const ParkId = new ZodParam('id', Uuid);

@ApiTags('parks')
@ApiBearerAuth()
@Controller('api/v1/parks')
export class ParksController {
  constructor(private readonly parks: ParksService) {}

  @Post()
  @Roles('department', 'admin')
  @ApiZodBody(CreateParkBody, {
    name: '纺织鞋服产业园',
    regionCode: '511112',
    leadIndustry: 'textile-shoes-apparel',
    plannedAreaMu: 5200,
    developedAreaMu: 3860.5,
    managingUnit: 'PARK-TEXTILE',
    designations: [
      { title: '省级“5+1”重点特色园区', earnedOn: '2023-06-30', issuer: '省经济和信息化厅' },
    ],
  })
  create(
    @CurrentPrincipal() actor: Principal,
    @Body(new ZodBody(CreateParkBody)) body: CreateParkBody,
  ): Promise<Park> {
    return this.parks.create(actor, body);
  }

  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', ParkListQuery)) query: ParkListQuery,
  ): Promise<Page<Park>> {
    return this.parks.list(actor, query);
  }

  @Get(':id')
  get(@CurrentPrincipal() actor: Principal, @Param('id', ParkId) id: string): Promise<Park> {
    return this.parks.get(actor, id);
  }

  @Patch(':id')
  @Roles('department', 'admin')
  @ApiZodBody(UpdateParkBody, { version: 1, developedAreaMu: 3900 })
  update(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ParkId) id: string,
    @Body(new ZodBody(UpdateParkBody)) body: UpdateParkBody,
  ): Promise<Park> {
    return this.parks.update(actor, id, body);
  }

  /** A title the park earned (e.g. 省级重点特色园区): published as designation-earned. */
  @Post(':id/designations')
  @Roles('department', 'admin')
  @ApiZodBody(DesignationBody, {
    title: '全市首批特色（专业）园区',
    earnedOn: '2024-03-15',
    issuer: '市人民政府',
  })
  addDesignation(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ParkId) id: string,
    @Body(new ZodBody(DesignationBody)) body: DesignationBody,
  ): Promise<Park> {
    return this.parks.addDesignation(actor, id, body);
  }
}
