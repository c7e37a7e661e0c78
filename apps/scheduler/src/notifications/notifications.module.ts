import { Module } from '@nestjs/common';
import { EmailService } from './email/email.service';
import { NotificationsService } from './notifications.service';
import { SubscriptionsController } from './subscriptions.controller';

@Module({
  controllers: [SubscriptionsController],
  providers: [NotificationsService, EmailService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
