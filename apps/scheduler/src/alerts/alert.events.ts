import { AlertData, AlertEventTypes, DubanEvent, createEvent } from '@duban/contracts';
import { Alert } from './alert.entity';

export type AlertEventType = (typeof AlertEventTypes)[Exclude<
  keyof typeof AlertEventTypes,
  'dueSoon'
>];

export function toAlertData(a: Alert): AlertData {
  return {
    alertId: a.id,
    rule: a.rule,
    severity: a.severity,
    state: a.state,
    escalationLevel: a.escalationLevel,
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    milestoneId: a.milestoneId,
    milestoneName: a.milestoneName,
    ownerUnit: a.ownerUnit,
    region: a.region,
    currentPlannedDate: a.currentPlannedDate,
    forecastDate: a.forecastDate,
    daysOverdue: a.daysOverdue,
    raisedAt: a.raisedAt.toISOString(),
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: a.acknowledgedBy,
    note: a.note,
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
    resolution: a.resolution,
    commitDate: a.commitDate,
    reminderCount: a.reminderCount,
    closedAt: a.closedAt?.toISOString() ?? null,
    closedBy: a.closedBy,
    verificationNote: a.verificationNote,
  };
}

/**
 * Keyed by the alert id, so each alert's story stays in order on duban.alerts.v1. Timed `at`
 * the scheduler's clock, the clock that dates `raisedAt` and `resolvedAt`: consumers date a
 * change without a date field of its own (a severity change, an escalation) by the event time,
 * so it must never fall before the alert was raised or after it was resolved.
 */
export function alertEvent(type: AlertEventType, a: Alert, at: Date): DubanEvent {
  return createEvent({
    type,
    service: 'scheduler',
    subject: a.id,
    region: a.region,
    time: at,
    data: toAlertData(a),
  });
}
