import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  StatusChangedData,
  StatusEventTypes,
  Topics,
  TrafficLight,
  addDays,
  chinaDate,
  createEvent,
} from '@duban/contracts';
import { addToOutbox } from '@duban/messaging';
import { Clock } from '@duban/platform';
import { AlertRule, Severity } from '../alerts/domain/rules';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { daysOverdue } from '../timetable/domain/deadlines';
import { OPEN_FOR_COLOUR, colourOf } from './domain/colour';
import { SubjectStatus } from './subject-status.entity';

/** Who a colour belongs to. */
export type StatusSubject = Pick<
  SubjectStatus,
  'subjectType' | 'subjectId' | 'ownerUnit' | 'region'
>;

/**
 * Keeps each subject's traffic light in line with the alerts table (the truth) and the
 * timetable. A colour change leaves as `duban.status.changed` through the outbox in the
 * caller's transaction, keyed by the subject so one subject's changes stay in order.
 */
@Injectable()
export class StatusService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('status');
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => void this.sweep(), this.config.sweepIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.sweeping;
  }

  /**
   * A subject first seen (its first milestone or plan) starts green without an event: there
   * is no colour to change from yet, but it counts among the green ones.
   */
  async seen(m: EntityManager, s: StatusSubject, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO subject_status (subject_id, subject_type, owner_unit, region, colour, open_alerts, changed_at)
       VALUES ($1, $2, $3, $4, 'green', 0, $5) ON CONFLICT (subject_id) DO NOTHING`,
      [s.subjectId, s.subjectType, s.ownerUnit, s.region, now],
    );
  }

  /** A project belongs to its lead unit, whichever unit owns a milestone of it. */
  async ownedBy(m: EntityManager, s: StatusSubject, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO subject_status (subject_id, subject_type, owner_unit, region, colour, open_alerts, changed_at)
       VALUES ($1, $2, $3, $4, 'green', 0, $5)
       ON CONFLICT (subject_id) DO UPDATE SET owner_unit = $3, region = $4`,
      [s.subjectId, s.subjectType, s.ownerUnit, s.region, now],
    );
  }

  /**
   * Recomputes one subject's colour; publishes only when it changed. Alert events of one
   * subject arrive on several partitions (they are keyed by alert), so concurrent
   * recomputations of the same subject are serialised by a transaction-scoped advisory lock
   * taken before anything is read: the later one then sees the earlier one's row and the
   * alerts committed before its own event was published.
   */
  async recompute(m: EntityManager, s: StatusSubject, now: Date): Promise<TrafficLight> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('subject-status'), hashtext($1))`, [
      s.subjectId,
    ]);
    const known = await m.findOneBy(SubjectStatus, { subjectId: s.subjectId });
    const open: { rule: AlertRule; severity: Severity }[] = await m.query(
      `SELECT rule, severity FROM alerts WHERE subject_id = $1 AND state = ANY($2)`,
      [s.subjectId, [...OPEN_FOR_COLOUR]],
    );
    const pending: { currentPlannedDate: string }[] = await m.query(
      `SELECT to_char(current_planned_date, 'YYYY-MM-DD') AS "currentPlannedDate" FROM timetable
        WHERE subject_id = $1 AND status = 'pending' AND current_planned_date < $2`,
      [s.subjectId, chinaDate(now)],
    );
    const maxDaysOverdue = Math.max(0, ...pending.map((e) => daysOverdue(e, now)));
    const colour = colourOf({
      openAlerts: open,
      maxDaysOverdue,
      redOverdueDays: this.config.redOverdueDays,
    });
    const previous = known?.colour ?? null;
    const changed = previous === null ? colour !== 'green' : colour !== previous;
    // The unit and region first seen (a project's: its lead unit's) stay the subject's.
    const row = m.create(SubjectStatus, {
      ...s,
      ownerUnit: known?.ownerUnit ?? s.ownerUnit,
      region: known?.region ?? s.region,
      colour,
      openAlerts: open.length,
      changedAt: changed || !known ? now : known.changedAt,
    });
    if (!known || changed || known.openAlerts !== row.openAlerts) await m.save(row);
    if (changed) {
      const data: StatusChangedData = {
        subjectType: s.subjectType,
        subjectId: s.subjectId,
        ownerUnit: row.ownerUnit,
        region: row.region,
        colour,
        previousColour: previous,
        openAlerts: open.length,
      };
      const event = createEvent({
        type: StatusEventTypes.changed,
        service: 'scheduler',
        subject: s.subjectId,
        region: row.region,
        time: now,
        data,
      });
      await addToOutbox(m, Topics.alerts, [event]);
    }
    return colour;
  }

  /**
   * "Overdue more than N days" turns red with the calendar, with no event to say so: every
   * sweep interval one replica (advisory lock) recomputes the subjects that are not green
   * and those with a milestone overdue more than N days.
   */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((err: Error) => this.logger.warn(`status sweep failed: ${err.message}`))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = this.clock.now();
    await this.ds.transaction(async (m) => {
      const [{ locked }] = await m.query(
        `SELECT pg_try_advisory_xact_lock(hashtext('duban-scheduler-status-sweep')) AS locked`,
      );
      if (!locked) return;
      // A deadline is the start of the day after the planned date, so N+1 whole days overdue
      // means a planned date before today − N.
      const cutoff = addDays(chinaDate(now), -this.config.redOverdueDays);
      const subjects: StatusSubject[] = await m.query(
        `SELECT DISTINCT ON (subject_id) subject_id AS "subjectId", subject_type AS "subjectType",
                owner_unit AS "ownerUnit", region
           FROM (
             SELECT subject_id, subject_type, owner_unit, region, 0 AS pref FROM subject_status
              WHERE colour <> 'green'
             UNION ALL
             SELECT subject_id, subject_type, owner_unit, region, 1 FROM timetable
              WHERE status = 'pending' AND current_planned_date < $1
           ) s
          ORDER BY subject_id, pref`,
        [cutoff],
      );
      for (const s of subjects) await this.recompute(m, s, now);
    });
  }
}
