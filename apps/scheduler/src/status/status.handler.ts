import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AlertData, AlertEventTypes, DubanEvent } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { Clock } from '@duban/platform';
import { StatusService } from './status.service';

/**
 * Every alert event but the due-soon warning (raised, severity changed, escalated,
 * acknowledged, resolved and whatever lifecycle steps join them), read back from
 * duban.alerts.v1: the alert's state is committed by then, so the subject's colour is
 * recomputed from the alerts table in the inbox transaction, and a change leaves with it.
 */
export const ALERT_STATE_EVENTS = Object.values(AlertEventTypes).filter(
  (t) => t !== AlertEventTypes.dueSoon,
);

@Controller()
export class StatusHandler {
  constructor(
    private readonly status: StatusService,
    private readonly clock: Clock,
  ) {}

  @EventPattern(ALERT_STATE_EVENTS)
  async alertChanged(@Payload() e: DubanEvent<AlertData>, @Ctx() ctx: DubanEventContext) {
    // Every alert event so far carries the alert's state; one that did not would name no subject.
    if (!e.data?.subjectId) return;
    const { subjectType, subjectId, ownerUnit, region } = e.data;
    await this.status.recompute(
      ctx.manager,
      { subjectType, subjectId, ownerUnit, region },
      this.clock.now(),
    );
  }
}
