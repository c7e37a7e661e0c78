import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AlertEventTypes, RuleViolation, Topics } from '@duban/contracts';
import { Principal, mayReadRegion } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { daysOverdue } from '../timetable/domain/deadlines';
import { TimetableEntry } from '../timetable/timetable-entry.entity';
import { acknowledge, resolutionFor } from './domain/alert';
import { dueLevel } from './domain/escalation';
import { AlertRule, firingRules, severityFor, slipDays } from './domain/rules';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { Alert, AlertHistoryEntry } from './alert.entity';
import { AlertEventType, alertEvent } from './alert.events';

type MilestoneRule = 'overdue' | 'forecast-slip';

/** The states in which an alert is still being followed (not waiting for verification or closed). */
export const LIVE_STATES: Alert['state'][] = ['open', 'acknowledged'];

/**
 * Raises, updates, escalates and resolves alerts. Every method runs in the caller's
 * transaction with the timetable row locked, so replicas and timers cannot race on one
 * milestone; each change leaves as an event through the outbox.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly ds: DataSource,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /** Brings a milestone's alerts in line with its timetable entry at `now`. */
  async evaluate(m: EntityManager, entry: TimetableEntry, now: Date): Promise<void> {
    const open = await m.find(Alert, {
      where: { milestoneId: entry.milestoneId, state: In(LIVE_STATES) },
    });
    for (const alert of open) {
      // Pace and reporting alerts are about the project, judged by their own rules.
      if (alert.rule === 'behind-pace' || alert.rule === 'report-missing') continue;
      const reason = resolutionFor(
        { rule: alert.rule, currentPlannedDate: alert.currentPlannedDate },
        entry,
        now,
      );
      if (reason) await this.resolve(m, alert, reason, now);
      else await this.refresh(m, alert, entry, now);
    }
    const firing = firingRules(entry, now).filter((rule) => !open.some((a) => a.rule === rule));
    for (const rule of firing)
      await this.raise(m, milestoneSubject(entry, now), rule, measureOf(rule, entry, now), now);
  }

  /** Moves an unacknowledged alert up as far as its time at each level says. */
  async escalate(m: EntityManager, alertId: string, now: Date): Promise<void> {
    const alert = await m.findOne(Alert, {
      where: { id: alertId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!alert || alert.state !== 'open') return;
    const level = dueLevel(alert.escalationLevel, alert.levelSince, false, now);
    if (level === alert.escalationLevel) return;
    alert.escalationLevel = level;
    alert.levelSince = now;
    await this.save(m, alert, AlertEventTypes.escalated, now, `escalated to level ${level}`);
  }

  async acknowledge(actor: Principal, alertId: string, note: string, now: Date): Promise<Alert> {
    return this.ds.transaction(async (m) => {
      const alert = await m.findOne(Alert, {
        where: { id: alertId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!alert || !mayRead(actor, alert))
        throw new RuleViolation(`no alert ${alertId}`, 'not-found');
      Object.assign(alert, acknowledge(alert.state, note, actor.unit ?? actor.subject, now));
      return this.save(
        m,
        alert,
        AlertEventTypes.acknowledged,
        now,
        `acknowledged by ${alert.acknowledgedBy}: ${alert.note}`,
      );
    });
  }

  /** What an alert is about: a milestone, or (behind pace) a project's overall progress. */
  async raise(
    m: EntityManager,
    about: AlertSubject,
    rule: AlertRule,
    measure: number,
    now: Date,
  ): Promise<void> {
    const alert = m.create(Alert, {
      ...about,
      id: uuidv7(),
      rule,
      severity: severityFor(rule, measure),
      state: 'open',
      escalationLevel: 0,
      levelSince: now,
      raisedAt: now,
      acknowledgedAt: null,
      acknowledgedBy: null,
      note: null,
      resolvedAt: null,
      resolution: null,
      history: [],
    });
    // The partial unique index is the last word on "one open alert per milestone and rule".
    const inserted: unknown[] = await m.query(
      `INSERT INTO alerts (id, milestone_id, rule, severity, state, escalation_level, level_since, subject_type,
         subject_id, milestone_name, owner_unit, region, current_planned_date, forecast_date, days_overdue,
         raised_at, history)
       VALUES ($1,$2,$3,$4,'open',0,$5,$6,$7,$8,$9,$10,$11,$12,$13,$5,'[]')
       ON CONFLICT (milestone_id, rule) WHERE state <> 'resolved' DO NOTHING RETURNING id`,
      [
        alert.id,
        alert.milestoneId,
        rule,
        alert.severity,
        now,
        alert.subjectType,
        alert.subjectId,
        alert.milestoneName,
        alert.ownerUnit,
        alert.region,
        alert.currentPlannedDate,
        alert.forecastDate,
        alert.daysOverdue,
      ],
    );
    if (inserted.length) {
      await this.save(m, alert, AlertEventTypes.raised, now, `${rule} (${alert.severity})`);
    }
  }

  private async refresh(
    m: EntityManager,
    alert: Alert,
    e: TimetableEntry,
    now: Date,
  ): Promise<void> {
    // A withdrawn forecast tells nothing new about the slip: the alert keeps its severity.
    const withdrawn = alert.rule === 'forecast-slip' && e.forecastDate === null;
    const severity = withdrawn
      ? alert.severity
      : severityFor(alert.rule, measureOf(alert.rule as MilestoneRule, e, now));
    const days = daysOverdue(e, now);
    const changed =
      severity !== alert.severity ||
      days !== alert.daysOverdue ||
      e.currentPlannedDate !== alert.currentPlannedDate ||
      e.forecastDate !== alert.forecastDate;
    if (!changed) return;
    const severityChanged = severity !== alert.severity;
    Object.assign(alert, {
      severity,
      daysOverdue: days,
      currentPlannedDate: e.currentPlannedDate,
      forecastDate: e.forecastDate,
    });
    if (severityChanged)
      await this.save(m, alert, AlertEventTypes.severityChanged, now, `severity ${severity}`);
    else await m.save(alert);
  }

  async resolve(m: EntityManager, alert: Alert, reason: string, now: Date): Promise<void> {
    Object.assign(alert, { state: 'resolved', resolvedAt: now, resolution: reason });
    await this.save(m, alert, AlertEventTypes.resolved, now, reason);
  }

  async save(
    m: EntityManager,
    alert: Alert,
    type: AlertEventType,
    now: Date,
    detail: string,
  ): Promise<Alert> {
    const kind = type.slice('duban.alert.'.length) as AlertHistoryEntry['kind'];
    alert.history = [...alert.history, { at: now.toISOString(), kind, detail }];
    await m.save(alert);
    await addToOutbox(m, Topics.alerts, [alertEvent(type, alert, now)]);
    return alert;
  }
}

export type AlertSubject = Pick<
  Alert,
  | 'milestoneId'
  | 'subjectType'
  | 'subjectId'
  | 'milestoneName'
  | 'ownerUnit'
  | 'region'
  | 'currentPlannedDate'
  | 'forecastDate'
  | 'daysOverdue'
>;

const milestoneSubject = (e: TimetableEntry, now: Date): AlertSubject => ({
  milestoneId: e.milestoneId,
  subjectType: e.subjectType,
  subjectId: e.subjectId,
  milestoneName: e.name,
  ownerUnit: e.ownerUnit,
  region: e.region,
  currentPlannedDate: e.currentPlannedDate,
  forecastDate: e.forecastDate,
  daysOverdue: daysOverdue(e, now),
});

/** Days overdue for an overdue alert; days of slip for a forecast. */
const measureOf = (rule: AlertRule, e: TimetableEntry, now: Date): number =>
  rule === 'overdue' ? daysOverdue(e, now) : slipDays(e);

/** Departments see their own unit's alerts; supervisors, integrators and admins see all. */
/** A department sees its own unit's alerts; a token bound to a region, that region's only. */
export function mayRead(actor: Principal, alert: Pick<Alert, 'ownerUnit' | 'region'>): boolean {
  const unitOk = actor.role !== 'department' || actor.unit === alert.ownerUnit;
  return unitOk && mayReadRegion(actor, alert.region);
}
