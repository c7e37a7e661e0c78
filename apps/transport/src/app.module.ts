import { Module } from '@nestjs/common';
import { Topics } from '@duban/contracts';
import { ChangeRequestsModule } from '@duban/milestones';
import { PlatformModule } from '@duban/platform';
import { GateChangeModule } from './gates/gate.port';
import { IngestModule } from './ingest/ingest.module';
import { MileageModule } from './mileage/mileage.module';
import { transportSchema } from './schema';
import { SectionsModule } from './sections/sections.module';
import { WorksModule } from './works/works.module';

/** Transport works (交通建设), phases and gates, sections and km opened. */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'transport',
      schema: transportSchema,
      consumes: [Topics.transportIngest],
      ingest: { topic: Topics.transportIngest, announceOn: Topics.transport },
    }),
    WorksModule,
    ChangeRequestsModule.register(GateChangeModule),
    SectionsModule,
    MileageModule,
    IngestModule,
  ],
})
export class AppModule {}
