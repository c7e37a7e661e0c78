import { Module } from '@nestjs/common';
import { MilestonesModule } from '../milestones/milestones.module';
import { ProgressModule } from '../progress/progress.module';
import { ProjectsModule } from '../projects/projects.module';
import { IngestHandler } from './ingest.handler';

@Module({
  imports: [ProjectsModule, MilestonesModule, ProgressModule],
  controllers: [IngestHandler],
})
export class IngestModule {}
