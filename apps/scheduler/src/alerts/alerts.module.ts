import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AlertFanoutHandler } from './alert-fanout.handler';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

@Module({
  imports: [NotificationsModule],
  controllers: [AlertsController, AlertFanoutHandler],
  providers: [AlertsService],
  exports: [AlertsService],
})
export class AlertsModule {}
