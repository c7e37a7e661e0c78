import { Module } from '@nestjs/common';
import { IngestSenders } from '@duban/platform';
import { MilestonesModule } from '../milestones/milestones.module';
import { ProgressModule } from '../progress/progress.module';
import { ProjectsModule } from '../projects/projects.module';
import { IngestHandler } from './ingest.handler';

@Module({
  imports: [ProjectsModule, MilestonesModule, ProgressModule],
  controllers: [IngestHandler],
  providers: [IngestSenders],
})
export class IngestModule {}
