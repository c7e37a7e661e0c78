import { Module } from '@nestjs/common';
import { Topics } from '@duban/contracts';
import { PlatformModule } from '@duban/platform';
import { projectsSchema } from './schema';

/** Key projects (重点项目), their milestones and monthly progress reports. */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'projects',
      schema: projectsSchema,
      consumes: [Topics.parks, Topics.projectsIngest],
    }),
  ],
})
export class AppModule {}
