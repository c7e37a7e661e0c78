import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AlertData, AlertEventTypes, DubanEvent } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { NotificationsService } from '../notifications/notifications.service';

/**
 * The scheduler reads its own alert events back from duban.alerts.v1 to notify: a delivery
 * exists only for an event that was really published, and the inbox makes it once.
 */
@Controller()
export class AlertFanoutHandler {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern(AlertEventTypes.raised)
  raised(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    return this.notifications.publish(ctx, e);
  }

  @EventPattern(AlertEventTypes.severityChanged)
  severityChanged(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    return this.notifications.publish(ctx, e);
  }

  @EventPattern(AlertEventTypes.escalated)
  escalated(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    return this.notifications.publish(ctx, e);
  }

  @EventPattern(AlertEventTypes.acknowledged)
  acknowledged(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    return this.notifications.publish(ctx, e);
  }

  @EventPattern(AlertEventTypes.resolved)
  resolved(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    return this.notifications.publish(ctx, e);
  }

  @EventPattern(AlertEventTypes.reminded)
  reminded(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    return this.notifications.publish(ctx, e);
  }

  @EventPattern(AlertEventTypes.commitmentMissed)
  commitmentMissed(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    return this.notifications.publish(ctx, e);
  }

  @EventPattern(AlertEventTypes.closed)
  closed(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    return this.notifications.publish(ctx, e);
  }

  @EventPattern(AlertEventTypes.reopened)
  reopened(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    return this.notifications.publish(ctx, e);
  }
}
