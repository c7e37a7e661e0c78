import { Module } from '@nestjs/common';
import { Topics } from '@duban/contracts';
import { PlatformModule } from '@duban/platform';
import { AlertsModule } from './alerts/alerts.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PaceModule } from './pace/pace.module';
import { SCHEDULER_CONFIG, schedulerConfigSchema } from './scheduler.config';
import { schedulerSchema } from './schema';
import { TimetableModule } from './timetable/timetable.module';
import { StatusModule } from './status/status.module';
import { ReportsModule } from './reports/reports.module';
import { SilencesModule } from './silences/silences.module';

/** The milestone timetable, slip rules, alerts, escalation and notifications. */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'scheduler',
      schema: schedulerSchema,
      consumes: [Topics.projects, Topics.parks, Topics.transport, Topics.evaluation, Topics.alerts],
      usesRedis: true,
      settings: { provide: SCHEDULER_CONFIG, schema: schedulerConfigSchema },
    }),
    TimetableModule,
    AlertsModule,
    NotificationsModule,
    PaceModule,
    SilencesModule,
    StatusModule,
    ReportsModule,
  ],
})
export class AppModule {}
