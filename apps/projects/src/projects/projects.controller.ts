import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ChangeStatusBody, CreateProjectBody, UpdateProjectBody, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import { Page } from '@duban/persistence';
import { ProjectListQuery } from './project-list.query';
import { Project } from './project.entity';
import { ProjectsService } from './projects.service';

const EXAMPLE = {
  code: 'XM-2026-001',
  name: '生猪种业国家现代农业产业园',
  category: 'agriculture',
  level: 'national',
  leadUnit: 'AGRI',
  responsibleLeader: '张副县长',
  township: '青富镇',
  regionCode: '511112',
  totalPlannedInvestmentWan: '120000.00',
  annualPlannedInvestmentWan: '30000.00',
  plannedStartDate: '2024-03-01',
  plannedEndDate: '2026-12-31',
  tags: ['3+2 agriculture'],
};

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @Roles('department', 'admin')
  @ApiZodBody(CreateProjectBody, EXAMPLE)
  create(
    @CurrentPrincipal() actor: Principal,
    @Body(new ZodBody(CreateProjectBody)) body: CreateProjectBody,
  ): Promise<Project> {
    return this.projects.create(actor, body);
  }

  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', ProjectListQuery)) query: ProjectListQuery,
  ): Promise<Page<Project>> {
    return this.projects.list(actor, query);
  }

  @Get(':id')
  get(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
  ): Promise<Project> {
    return this.projects.get(actor, id);
  }

  @Patch(':id')
  @Roles('department', 'admin')
  @ApiZodBody(UpdateProjectBody)
  update(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
    @Body(new ZodBody(UpdateProjectBody)) body: UpdateProjectBody,
  ): Promise<Project> {
    return this.projects.update(actor, id, body);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(ChangeStatusBody, { status: 'pre-work', version: 1 })
  changeStatus(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
    @Body(new ZodBody(ChangeStatusBody)) body: z.infer<typeof ChangeStatusBody>,
  ): Promise<Project> {
    return this.projects.changeStatus(actor, id, body);
  }
}
