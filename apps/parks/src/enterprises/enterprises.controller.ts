import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  ChangeEnterpriseStatusBody,
  CreateEnterpriseBody,
  UpdateEnterpriseBody,
  Uuid,
} from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import { Page } from '@duban/persistence';
import { EnterpriseListQuery } from './enterprise-list.query';
import { Enterprise } from './enterprise.entity';
import { EnterprisesService } from './enterprises.service';

const EnterpriseId = new ZodParam('id', Uuid);

@ApiTags('enterprises')
@ApiBearerAuth()
@Controller('api/v1/enterprises')
export class EnterprisesController {
  constructor(private readonly enterprises: EnterprisesService) {}

  /** A wrong USCC is a 400 on `uscc` saying whether its length, a character or the check is wrong. */
  @Post()
  @Roles('department', 'admin')
  @ApiZodBody(CreateEnterpriseBody, {
    uscc: '91511112MA6CUT000B',
    name: '四川某某鞋业有限公司',
    parkId: '0190d3c4-6f1e-7a52-9c1b-2f8e4a6b7c10',
    industry: '纺织鞋服',
    investmentWan: '52000.00',
    employees: 860,
    aboveDesignatedSize: true,
    signedOn: '2025-03-18',
  })
  create(
    @CurrentPrincipal() actor: Principal,
    @Body(new ZodBody(CreateEnterpriseBody)) body: CreateEnterpriseBody,
  ): Promise<Enterprise> {
    return this.enterprises.create(actor, body);
  }

  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', EnterpriseListQuery)) query: EnterpriseListQuery,
  ): Promise<Page<Enterprise>> {
    return this.enterprises.list(actor, query);
  }

  @Get(':id')
  get(
    @CurrentPrincipal() actor: Principal,
    @Param('id', EnterpriseId) id: string,
  ): Promise<Enterprise> {
    return this.enterprises.get(actor, id);
  }

  @Patch(':id')
  @Roles('department', 'admin')
  @ApiZodBody(UpdateEnterpriseBody, { version: 1, employees: 920, aboveDesignatedSize: true })
  update(
    @CurrentPrincipal() actor: Principal,
    @Param('id', EnterpriseId) id: string,
    @Body(new ZodBody(UpdateEnterpriseBody)) body: UpdateEnterpriseBody,
  ): Promise<Enterprise> {
    return this.enterprises.update(actor, id, body);
  }

  /** signed → under-construction → in-production → exited; anything else is a 409 naming from/to. */
  @Post(':id/status')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(ChangeEnterpriseStatusBody, { status: 'under-construction', changedOn: '2026-04-01' })
  changeStatus(
    @CurrentPrincipal() actor: Principal,
    @Param('id', EnterpriseId) id: string,
    @Body(new ZodBody(ChangeEnterpriseStatusBody)) body: ChangeEnterpriseStatusBody,
  ): Promise<Enterprise> {
    return this.enterprises.changeStatus(actor, id, body);
  }
}
