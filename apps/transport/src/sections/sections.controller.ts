import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AddSectionBody, OpenSectionBody, SectionProgressBody, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import { metresToKm } from '../mileage/domain/length';
import { Section } from './section.entity';
import { SectionsService } from './sections.service';

const WorkId = new ZodParam('workId', Uuid);
const SectionId = new ZodParam('sectionId', Uuid);

type SectionView = Omit<Section, 'lengthMetres'> & { lengthKm: number };

/** Lengths leave in km, as they came in; metres are the storage unit only. */
function view({ lengthMetres, ...s }: Section): SectionView {
  return { ...s, lengthKm: metresToKm(lengthMetres) };
}

@ApiTags('sections')
@ApiBearerAuth()
@Controller('api/v1/transport-works/:workId/sections')
export class SectionsController {
  constructor(private readonly sections: SectionsService) {}

  @Post()
  @Roles('department', 'admin')
  @ApiZodBody(AddSectionBody, { name: '茂犍高速 TJ1 标段', lengthKm: 12.345 })
  async add(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
    @Body(new ZodBody(AddSectionBody)) body: AddSectionBody,
  ): Promise<SectionView> {
    return view(await this.sections.add(actor, workId, body));
  }

  @Get()
  async list(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
  ): Promise<SectionView[]> {
    return (await this.sections.list(actor, workId)).map(view);
  }

  @Post(':sectionId/progress')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(SectionProgressBody, { progressPct: 62.5 })
  async progress(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
    @Param('sectionId', SectionId) sectionId: string,
    @Body(new ZodBody(SectionProgressBody)) body: z.infer<typeof SectionProgressBody>,
  ): Promise<SectionView> {
    return view(await this.sections.reportProgress(actor, workId, sectionId, body));
  }

  /** 通车: only once the work is in construction or later; adds to the operating mileage. */
  @Post(':sectionId/open')
  @HttpCode(200)
  @Roles('department', 'admin')
  @ApiZodBody(OpenSectionBody, { openedOn: '2026-11-20' })
  async open(
    @CurrentPrincipal() actor: Principal,
    @Param('workId', WorkId) workId: string,
    @Param('sectionId', SectionId) sectionId: string,
    @Body(new ZodBody(OpenSectionBody)) body: z.infer<typeof OpenSectionBody>,
  ): Promise<SectionView> {
    return view(await this.sections.open(actor, workId, sectionId, body));
  }
}
