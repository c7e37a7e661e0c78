import { Module } from '@nestjs/common';
import { Topics } from '@duban/contracts';
import { ChangeRequestsModule } from '@duban/milestones';
import { PlatformModule } from '@duban/platform';
import { CampaignsModule } from './campaigns/campaigns.module';
import { EnterprisesModule } from './enterprises/enterprises.module';
import { ParkIndicatorsModule } from './indicators/park-indicators.module';
import { IngestModule } from './ingest/ingest.module';
import { ParksModule } from './parks/parks.module';
import { parksSchema } from './schema';

/** Industrial parks (园区), enterprises, park indicators and campaign tasks. */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'parks',
      schema: parksSchema,
      consumes: [Topics.parksIngest],
      ingest: { topic: Topics.parksIngest, announceOn: Topics.parks },
    }),
    ParksModule,
    EnterprisesModule,
    ParkIndicatorsModule,
    CampaignsModule,
    ChangeRequestsModule.register(CampaignsModule),
    IngestModule,
  ],
})
export class AppModule {}
