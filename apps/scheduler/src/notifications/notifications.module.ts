import { Module } from '@nestjs/common';
import { NotificationsService } from './notifications.service';
import { SubscriptionsController } from './subscriptions.controller';

@Module({
  controllers: [SubscriptionsController],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
