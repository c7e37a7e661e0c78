import { Module } from '@nestjs/common';
import { IngestSenders } from '@duban/platform';
import { SectionsModule } from '../sections/sections.module';
import { WorksModule } from '../works/works.module';
import { IngestHandler } from './ingest.handler';

@Module({
  imports: [WorksModule, SectionsModule],
  controllers: [IngestHandler],
  providers: [IngestSenders],
})
export class IngestModule {}
