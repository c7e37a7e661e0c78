import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DubanEvent, MilestoneEventData, MilestoneEventTypes } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { Clock } from '@duban/platform';
import { AlertsService } from '../alerts/alerts.service';
import { StatusService } from '../status/status.service';
import { TimersService } from '../timers/timers.service';
import { TimetableEntry } from './timetable-entry.entity';

const CHANGES = new Set<string>([MilestoneEventTypes.rescheduled, MilestoneEventTypes.cancelled]);

/**
 * Builds the timetable from the shared milestone events of every domain, and judges the
 * milestone at once: one that arrives already overdue raises its alert in this transaction.
 */
@Controller()
export class TimetableHandler {
  constructor(
    private readonly alerts: AlertsService,
    private readonly timers: TimersService,
    private readonly status: StatusService,
    private readonly clock: Clock,
  ) {}

  @EventPattern(MilestoneEventTypes.scheduled)
  scheduled(@Payload() e: DubanEvent<MilestoneEventData>, @Ctx() ctx: DubanEventContext) {
    return this.apply(e, ctx);
  }

  @EventPattern(MilestoneEventTypes.forecastChanged)
  forecastChanged(@Payload() e: DubanEvent<MilestoneEventData>, @Ctx() ctx: DubanEventContext) {
    return this.apply(e, ctx);
  }

  @EventPattern(MilestoneEventTypes.rescheduled)
  rescheduled(@Payload() e: DubanEvent<MilestoneEventData>, @Ctx() ctx: DubanEventContext) {
    return this.apply(e, ctx);
  }

  @EventPattern(MilestoneEventTypes.completed)
  completed(@Payload() e: DubanEvent<MilestoneEventData>, @Ctx() ctx: DubanEventContext) {
    return this.apply(e, ctx);
  }

  @EventPattern(MilestoneEventTypes.cancelled)
  cancelled(@Payload() e: DubanEvent<MilestoneEventData>, @Ctx() ctx: DubanEventContext) {
    return this.apply(e, ctx);
  }

  private async apply(e: DubanEvent<MilestoneEventData>, ctx: DubanEventContext): Promise<void> {
    const m = ctx.manager;
    const time = new Date(e.time);
    const known = await m.findOne(TimetableEntry, {
      where: { milestoneId: e.data.milestoneId },
      lock: { mode: 'pessimistic_write' },
    });
    // Every reschedule and cancellation is an approved change (or self-approved by policy);
    // the inbox makes each count once, and a late one still counts though its state is stale.
    const change = CHANGES.has(e.type) ? 1 : 0;
    if (known && known.eventTime > time) {
      if (change)
        await m.increment(TimetableEntry, { milestoneId: known.milestoneId }, 'changeCount', 1);
      return;
    }
    const { milestoneId, subjectType, subjectId, name, ownerUnit } = e.data;
    const entry = m.create(TimetableEntry, {
      milestoneId,
      subjectType,
      subjectId,
      name,
      ownerUnit,
      region: e.region,
      plannedDate: e.data.plannedDate,
      currentPlannedDate: e.data.currentPlannedDate,
      forecastDate: e.data.forecastDate,
      actualDate: e.data.actualDate,
      status: e.data.status,
      changeCount: (known?.changeCount ?? 0) + change,
      campaignId: e.data.campaignId ?? null,
      eventTime: time,
    });
    await m.save(entry);
    const now = this.clock.now();
    await this.status.seen(m, { subjectType, subjectId, ownerUnit, region: e.region }, now);
    await this.alerts.evaluate(m, entry, now);
    const timers = this.timers.timersFor(entry, now);
    // Never Redis inside the inbox transaction: a Redis outage would hold the row lock.
    ctx.afterCommit(() => this.timers.enqueue(timers, now));
  }
}
