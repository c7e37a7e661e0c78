import { Module } from '@nestjs/common';
import { Topics } from '@duban/contracts';
import { ChangeRequestsModule } from '@duban/milestones';
import { PlatformModule } from '@duban/platform';
import { IngestModule } from './ingest/ingest.module';
import { MilestonesModule } from './milestones/milestones.module';
import { ParkDirectoryModule } from './parks/park-directory.module';
import { ProgressModule } from './progress/progress.module';
import { ProjectsModule } from './projects/projects.module';
import { projectsSchema } from './schema';

/** Key projects (重点项目), their milestones and monthly progress reports. */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'projects',
      schema: projectsSchema,
      consumes: [Topics.parks, Topics.projectsIngest],
      ingest: { topic: Topics.projectsIngest, announceOn: Topics.projects },
    }),
    ProjectsModule,
    MilestonesModule,
    ChangeRequestsModule.register(MilestonesModule),
    ProgressModule,
    ParkDirectoryModule,
    IngestModule,
  ],
})
export class AppModule {}
