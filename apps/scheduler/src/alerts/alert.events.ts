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
  };
}

/** Keyed by the alert id, so each alert's story stays in order on duban.alerts.v1. */
export function alertEvent(type: AlertEventType, a: Alert): DubanEvent {
  return createEvent({
    type,
    service: 'scheduler',
    subject: a.id,
    region: a.region,
    data: toAlertData(a),
  });
}
