import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { MileageBaselineBody, RegionCode } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles, regionFilter } from '@duban/auth';
import { ApiZodBody, ZodBody, ZodParam } from '@duban/platform';
import { MileageService, MileageView } from './mileage.service';

const MileageQuery = z.strictObject({ regionCode: RegionCode });

@ApiTags('mileage')
@ApiBearerAuth()
@Controller('api/v1/mileage')
export class MileageController {
  constructor(private readonly mileage: MileageService) {}

  /**
   * A region's operating mileage (通车里程) per kind: baseline plus sections opened. A token
   * bound to a region reads its own region only (403 for another).
   */
  @Get()
  ofRegion(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', MileageQuery)) query: z.infer<typeof MileageQuery>,
  ) {
    return this.mileage.ofRegion(regionFilter(actor, query.regionCode) ?? query.regionCode);
  }

  /** What was open before Duban (e.g. 141 km of expressway); admins only. */
  @Post('baselines')
  @HttpCode(200)
  @Roles('admin')
  @ApiZodBody(MileageBaselineBody, { regionCode: '511112', kind: 'expressway', baselineKm: 141 })
  setBaseline(
    @Body(new ZodBody(MileageBaselineBody)) body: MileageBaselineBody,
  ): Promise<MileageView> {
    return this.mileage.setBaseline(body);
  }
}
