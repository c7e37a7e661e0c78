import { Module } from '@nestjs/common';
import { IngestSenders } from '@duban/platform';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { EnterprisesModule } from '../enterprises/enterprises.module';
import { ParkIndicatorsModule } from '../indicators/park-indicators.module';
import { IngestHandler } from './ingest.handler';

@Module({
  imports: [ParkIndicatorsModule, EnterprisesModule, CampaignsModule],
  controllers: [IngestHandler],
  providers: [IngestSenders],
})
export class IngestModule {}
