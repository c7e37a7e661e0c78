import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Month, ProgressReportBody, ResolveItemBody, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import { ProgressReport } from './progress-report.entity';
import { ProgressService } from './progress.service';

const ProjectId = new ZodParam('projectId', Uuid);
const MonthParam = new ZodParam('month', Month);

@ApiTags('progress reports')
@ApiBearerAuth()
@Controller('api/v1/projects/:projectId/progress-reports')
export class ProgressController {
  constructor(private readonly progress: ProgressService) {}

  @Post()
  @Roles('department', 'admin')
  @ApiZodBody(ProgressReportBody, {
    month: '2026-11',
    investmentCompletedWan: '2500.00',
    cumulativeInvestmentWan: '86000.00',
    physicalProgressPct: 72.5,
    narrative: '育种中心主体完工',
    problems: [{ description: '部分设备到货延迟' }],
    coordinationRequests: [{ description: '请协调电力增容' }],
  })
  submit(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
    @Body(new ZodBody(ProgressReportBody)) body: ProgressReportBody,
  ): Promise<ProgressReport> {
    return this.progress.submit(actor, projectId, body);
  }

  @Get()
  list(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
  ): Promise<ProgressReport[]> {
    return this.progress.list(actor, projectId);
  }

  @Get(':month')
  get(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
    @Param('month', MonthParam) month: string,
  ): Promise<ProgressReport> {
    return this.progress.get(actor, projectId, month);
  }

  @Post(':month/items/:itemId/resolve')
  @HttpCode(200)
  @Roles('department', 'supervisor', 'admin')
  @ApiZodBody(ResolveItemBody, { resolution: '供电公司已完成增容' })
  resolve(
    @CurrentPrincipal() actor: Principal,
    @Param('projectId', ProjectId) projectId: string,
    @Param('month', MonthParam) month: string,
    @Param('itemId', new ZodParam('itemId', Uuid)) itemId: string,
    @Body(new ZodBody(ResolveItemBody)) body: z.infer<typeof ResolveItemBody>,
  ): Promise<ProgressReport> {
    return this.progress.resolve(actor, projectId, month, itemId, body);
  }
}
