import { Module } from '@nestjs/common';
import { SilencesModule } from '../silences/silences.module';
import { DeliveryRetention } from './delivery-retention.service';
import { EmailService } from './email/email.service';
import { MailDeliveriesController } from './email/mail-deliveries.controller';
import { LiveAlerts } from './live-alerts.service';
import { NotificationsService } from './notifications.service';
import { SubscriptionsController } from './subscriptions.controller';
import { WebhookResolver } from './webhook-client';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WEBHOOK_CONFIG, webhookConfig } from './webhook.config';

@Module({
  imports: [SilencesModule],
  controllers: [SubscriptionsController, MailDeliveriesController],
  providers: [
    { provide: WEBHOOK_CONFIG, useFactory: () => webhookConfig() },
    NotificationsService,
    LiveAlerts,
    EmailService,
    WebhookResolver,
    WebhookDeliveries,
    DeliveryRetention,
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}
