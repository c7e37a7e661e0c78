import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AlertEventTypes, RuleViolation, Topics, chinaDate } from '@duban/contracts';
import { Principal, mayReadRegion } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { daysOverdue } from '../timetable/domain/deadlines';
import { TimetableEntry } from '../timetable/timetable-entry.entity';
import { WorkingCalendar } from '@duban/calendar';
import { SilencesService } from '../silences/silences.service';
import {
  Commitment,
  LIVE_STATES,
  acknowledge,
  close,
  missCommitment,
  reopen,
  resolutionFor,
} from './domain/alert';
import { dueLevel } from './domain/escalation';
import { LoopPolicy, LoopStep, dueSteps } from './domain/loop';
import { WORKING_CALENDAR } from './working-calendar.provider';
import { AlertRule, firingRules, severityFor, slipDays } from './domain/rules';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { Alert, AlertHistoryEntry } from './alert.entity';
import { AlertEventType, alertEvent } from './alert.events';

type MilestoneRule = 'overdue' | 'forecast-slip';

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
    @Inject(WORKING_CALENDAR) private readonly calendar: WorkingCalendar,
    private readonly silences: SilencesService,
  ) {}

  /** Brings a milestone's alerts in line with its timetable entry at `now`. */
  async evaluate(m: EntityManager, entry: TimetableEntry, now: Date): Promise<void> {
    const open = await m.find(Alert, {
      where: { milestoneId: entry.milestoneId, state: In([...LIVE_STATES]) },
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

  /** The clocks' policy: working days from the injected calendar. */
  get loopPolicy(): LoopPolicy {
    return {
      escalation: { afterWorkingDays: this.config.escalationWorkingDays, calendar: this.calendar },
      reminderWorkingDays: this.config.reminderWorkingDays,
      autoCloseWorkingDays: this.config.autoCloseWorkingDays,
    };
  }

  /**
   * Takes whatever the alert's clocks say is due by `now` (loop.ts): a missed commitment,
   * escalation, a reminder, an auto-close. Idempotent, under the alert's row lock, so a timer, a
   * stale timer and the sweep may all call it. A silenced alert is neither escalated, reminded
   * nor re-opened for a missed commitment: those wait, due, until the silence ends. Returns the
   * alert as it now stands (null if there is none).
   */
  async tick(m: EntityManager, alertId: string, now: Date): Promise<Alert | null> {
    const alert = await m.findOne(Alert, {
      where: { id: alertId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!alert) return null;
    const taken = new Set<LoopStep>();
    for (;;) {
      const step = dueSteps(alert, this.loopPolicy, now).find((s) => !taken.has(s));
      if (!step) return alert;
      taken.add(step);
      if (step === 'auto-close') {
        const days = this.config.autoCloseWorkingDays;
        const note = `closed automatically: no objection within ${days} working days`;
        Object.assign(alert, close(alert.state, note, null, now));
        await this.save(m, alert, AlertEventTypes.closed, now, note);
      } else if (await this.silences.activeFor(m, alert, now)) {
        continue;
      } else if (step === 'commitment') {
        await this.commitmentDue(m, alert, now);
      } else if (step === 'escalate') {
        const level = dueLevel(
          alert.escalationLevel,
          alert.levelSince,
          false,
          now,
          this.loopPolicy.escalation,
        );
        if (level === alert.escalationLevel) continue;
        Object.assign(alert, { escalationLevel: level, levelSince: now });
        await this.save(m, alert, AlertEventTypes.escalated, now, `escalated to level ${level}`);
      } else {
        // One reminder however many periods a long outage missed; the clock restarts now.
        Object.assign(alert, { reminderCount: alert.reminderCount + 1, remindSince: now });
        await this.save(
          m,
          alert,
          AlertEventTypes.reminded,
          now,
          `reminder ${alert.reminderCount} (level ${alert.escalationLevel})`,
        );
      }
    }
  }

  /**
   * The commit date is over and the alert still acknowledged: unless its milestone has been
   * met meanwhile (a re-opened alert whose milestone is done: resolved, for verification again),
   * it re-opens one level up at once.
   */
  private async commitmentDue(m: EntityManager, alert: Alert, now: Date): Promise<void> {
    if (alert.rule === 'overdue' || alert.rule === 'forecast-slip') {
      const entry = await m.findOneBy(TimetableEntry, { milestoneId: alert.milestoneId });
      const reason =
        entry &&
        resolutionFor(
          { rule: alert.rule, currentPlannedDate: alert.currentPlannedDate },
          entry,
          now,
        );
      if (reason) return this.resolve(m, alert, reason, now);
    }
    Object.assign(alert, missCommitment(alert, now));
    await this.save(
      m,
      alert,
      AlertEventTypes.commitmentMissed,
      now,
      `commitment ${alert.commitDate} missed: re-opened at level ${alert.escalationLevel}`,
    );
  }

  /**
   * 承诺: the owner unit (or a supervisor) acknowledges with the measures taken and a commit
   * date, from today to DUBAN_COMMIT_MAX_WORKING_DAYS working days ahead.
   */
  async acknowledge(
    actor: Principal,
    alertId: string,
    input: Commitment,
    now: Date,
  ): Promise<Alert> {
    return this.ds.transaction(async (m) => {
      const alert = await this.lockVisible(m, actor, alertId);
      const today = chinaDate(now);
      const latest = this.calendar.addWorkingDays(today, this.config.commitMaxWorkingDays);
      const by = actor.unit ?? actor.subject;
      Object.assign(alert, acknowledge(alert.state, input, by, now, { today, latest }));
      return this.save(
        m,
        alert,
        AlertEventTypes.acknowledged,
        now,
        `acknowledged by ${alert.acknowledgedBy}, committed to ${alert.commitDate}: ${alert.note}`,
      );
    });
  }

  /** 销号: a supervisor of the alert's region (or an admin) verifies a resolution. */
  async close(actor: Principal, alertId: string, note: string, now: Date): Promise<Alert> {
    return this.ds.transaction(async (m) => {
      const alert = await this.lockVisible(m, actor, alertId);
      Object.assign(alert, close(alert.state, note, actor.subject, now));
      return this.save(
        m,
        alert,
        AlertEventTypes.closed,
        now,
        `closed by ${actor.subject}: ${note.trim()}`,
      );
    });
  }

  /**
   * A supervisor rejects a resolution: open again, one level up. 409 when the rule has fired
   * again meanwhile and a newer live alert of the same milestone and rule exists.
   */
  async reopen(actor: Principal, alertId: string, note: string, now: Date): Promise<Alert> {
    try {
      return await this.ds.transaction(async (m) => {
        const alert = await this.lockVisible(m, actor, alertId);
        Object.assign(alert, reopen(alert, note, now));
        const newer = await m.findOneBy(Alert, {
          milestoneId: alert.milestoneId,
          rule: alert.rule,
          state: In([...LIVE_STATES]),
        });
        if (newer) throw newerAlert(newer.id);
        return this.save(
          m,
          alert,
          AlertEventTypes.reopened,
          now,
          `re-opened by ${actor.subject} at level ${alert.escalationLevel}: ${note.trim()}`,
        );
      });
    } catch (err) {
      // Raised by a concurrent transaction between the check and the update.
      if ((err as { code?: string }).code === '23505') throw newerAlert(null);
      throw err;
    }
  }

  private async lockVisible(m: EntityManager, actor: Principal, alertId: string): Promise<Alert> {
    const alert = await m.findOne(Alert, {
      where: { id: alertId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!alert || !mayRead(actor, alert))
      throw new RuleViolation(`no alert ${alertId}`, 'not-found');
    return alert;
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
      commitDate: null,
      reminderCount: 0,
      remindSince: now,
      closedAt: null,
      closedBy: null,
      verificationNote: null,
      history: [],
    });
    // The partial unique index is the last word on "one open alert per milestone and rule".
    const inserted: unknown[] = await m.query(
      `INSERT INTO alerts (id, milestone_id, rule, severity, state, escalation_level, level_since, subject_type,
         subject_id, milestone_name, owner_unit, region, current_planned_date, forecast_date, days_overdue,
         raised_at, remind_since, history)
       VALUES ($1,$2,$3,$4,'open',0,$5,$6,$7,$8,$9,$10,$11,$12,$13,$5,$5,'[]')
       ON CONFLICT (milestone_id, rule) WHERE state NOT IN ('resolved', 'closed') DO NOTHING RETURNING id`,
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

  /**
   * The rule no longer holds: resolved, whoever caused it, waiting for a supervisor to close it
   * (销号) or re-open it — or for the auto-close after DUBAN_AUTO_CLOSE_WORKING_DAYS.
   */
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

const newerAlert = (id: string | null) =>
  new RuleViolation(
    `the rule has fired again: a newer alert${id ? ` ${id}` : ''} follows this milestone; re-open that one's history instead`,
    'conflict',
    id ? { newerAlertId: id } : {},
  );

/** A department sees its own unit's alerts; a token bound to a region, that region's only. */
export function mayRead(actor: Principal, alert: Pick<Alert, 'ownerUnit' | 'region'>): boolean {
  const unitOk = actor.role !== 'department' || actor.unit === alert.ownerUnit;
  return unitOk && mayReadRegion(actor, alert.region);
}
