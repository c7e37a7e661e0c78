import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { SilencesModule } from '../silences/silences.module';
import { AlertFanoutHandler } from './alert-fanout.handler';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { WORKING_CALENDAR, workingCalendarProvider } from './working-calendar.provider';

@Module({
  imports: [NotificationsModule, SilencesModule],
  controllers: [AlertsController, AlertFanoutHandler],
  providers: [AlertsService, workingCalendarProvider],
  exports: [AlertsService, WORKING_CALENDAR],
})
export class AlertsModule {}
