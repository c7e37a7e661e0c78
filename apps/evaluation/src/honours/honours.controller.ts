import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ChangeHonourStatusBody, CreateHonourBody, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import { HonourListQuery } from './honour-list.query';
import { HonoursService } from './honours.service';

const Id = new ZodParam('id', Uuid);

@ApiTags('honours')
@ApiBearerAuth()
@Controller('api/v1/honours')
export class HonoursController {
  constructor(private readonly honours: HonoursService) {}

  @Post()
  @Roles('supervisor', 'department', 'admin')
  @ApiZodBody(CreateHonourBody, {
    name: '国家农业现代化示范区',
    ambition: 'strive',
    level: 'national',
    ownerUnit: 'AGRI',
    regionCode: '511112',
    targetYear: 2026,
    deadlines: [{ name: '提交创建申报材料', plannedDate: '2026-12-15', stage: 'applied' }],
  })
  create(
    @CurrentPrincipal() actor: Principal,
    @Body(new ZodBody(CreateHonourBody)) body: CreateHonourBody,
  ) {
    return this.honours.create(actor, body);
  }

  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', HonourListQuery)) q: HonourListQuery,
  ) {
    return this.honours.list(actor, q);
  }

  @Get(':id')
  get(@CurrentPrincipal() actor: Principal, @Param('id', Id) id: string) {
    return this.honours.get(actor, id);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles('supervisor', 'department', 'admin')
  @ApiZodBody(ChangeHonourStatusBody, { status: 'applied', on: '2026-11-20' })
  changeStatus(
    @CurrentPrincipal() actor: Principal,
    @Param('id', Id) id: string,
    @Body(new ZodBody(ChangeHonourStatusBody)) body: ChangeHonourStatusBody,
  ) {
    return this.honours.changeStatus(actor, id, body);
  }
}
