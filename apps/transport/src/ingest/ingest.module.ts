import { Module } from '@nestjs/common';
import { SectionsModule } from '../sections/sections.module';
import { WorksModule } from '../works/works.module';
import { IngestHandler } from './ingest.handler';

@Module({
  imports: [WorksModule, SectionsModule],
  controllers: [IngestHandler],
})
export class IngestModule {}
