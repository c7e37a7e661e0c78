import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateSchemeBody, ManualValuesBody, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import { ResultsService } from '../scoring/results.service';
import { ManualValuesService } from './manual-values.service';
import { LateEventListQuery, SchemeListQuery } from './scheme-list.query';
import { SchemesService } from './schemes.service';
import { COUNTY_SCHEME_EXAMPLE } from './scheme.example';

const Id = new ZodParam('id', Uuid);

@ApiTags('evaluation schemes')
@ApiBearerAuth()
@Controller('api/v1/schemes')
export class SchemesController {
  constructor(
    private readonly schemes: SchemesService,
    private readonly values: ManualValuesService,
    private readonly results: ResultsService,
  ) {}

  /** 目标绩效办 (supervisors) and admins set schemes; departments read them. */
  @Post()
  @Roles('supervisor', 'admin')
  @ApiZodBody(CreateSchemeBody, COUNTY_SCHEME_EXAMPLE)
  create(
    @CurrentPrincipal() actor: Principal,
    @Body(new ZodBody(CreateSchemeBody)) body: CreateSchemeBody,
  ) {
    return this.schemes.create(actor, body);
  }

  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', SchemeListQuery)) query: SchemeListQuery,
  ) {
    return this.schemes.list(actor, query);
  }

  @Get(':id')
  get(@CurrentPrincipal() actor: Principal, @Param('id', Id) id: string) {
    return this.schemes.get(actor, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  close(@CurrentPrincipal() actor: Principal, @Param('id', Id) id: string) {
    return this.schemes.close(actor, id);
  }

  /** Manual indicator values, each posted by the indicator's owner unit (e.g. STATS). */
  @Post(':id/values')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(ManualValuesBody, {
    values: [{ indicator: 'GDP', subject: 'STATS', value: '12020900.00' }],
  })
  recordValues(
    @CurrentPrincipal() actor: Principal,
    @Param('id', Id) id: string,
    @Body(new ZodBody(ManualValuesBody)) body: ManualValuesBody,
  ) {
    return this.values.record(actor, id, body);
  }

  @Get(':id/scores')
  scores(@CurrentPrincipal() actor: Principal, @Param('id', Id) id: string) {
    return this.results.scores(actor, id);
  }

  @Get(':id/rankings')
  rankings(@CurrentPrincipal() actor: Principal, @Param('id', Id) id: string) {
    return this.results.rankings(actor, id);
  }

  @Get(':id/late-events')
  lateEvents(
    @CurrentPrincipal() actor: Principal,
    @Param('id', Id) id: string,
    @Query(new ZodParam('query', LateEventListQuery)) query: LateEventListQuery,
  ) {
    return this.results.lateEvents(actor, id, query);
  }
}
