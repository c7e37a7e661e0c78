import { Module } from '@nestjs/common';
import { Topics } from '@duban/contracts';
import { PlatformModule } from '@duban/platform';
import { schedulerSchema } from './schema';

/** The milestone timetable, slip rules, alerts, escalation and notifications. */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'scheduler',
      schema: schedulerSchema,
      consumes: [Topics.projects, Topics.parks, Topics.transport, Topics.evaluation],
      usesRedis: true,
    }),
  ],
})
export class AppModule {}
