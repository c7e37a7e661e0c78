import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { DataSource, EntityManager, LessThanOrEqual, Not } from 'typeorm';
import { AlertEventTypes, Topics, chinaDate, createEvent } from '@duban/contracts';
import { addToOutbox } from '@duban/messaging';
import { Clock, enqueueBounded, redisConnectionOptions } from '@duban/platform';
import { Alert } from '../alerts/alert.entity';
import { ProjectPlan } from '../pace/project-plan.entity';
import { AlertsService } from '../alerts/alerts.service';
import { PaceService } from '../pace/pace.service';
import { LoopStep, nextSteps } from '../alerts/domain/loop';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { deadlineOf, warningTimes, withinHorizon } from '../timetable/domain/deadlines';
import { TimetableEntry } from '../timetable/timetable-entry.entity';

type TimerJob =
  | { kind: 'deadline'; milestoneId: string }
  | { kind: 'warning'; milestoneId: string; date: string; daysBefore: number }
  /** One of an alert's clocks (loop.ts); whichever fires, the alert takes all that is due. */
  | { kind: LoopStep; alertId: string };

/** A timer to set once the transaction that decided it has committed. */
export interface Timer {
  id: string;
  data: TimerJob;
  at: Date;
}

const DAY = 86_400_000;

/**
 * Timers are a cache of what PostgreSQL says: a BullMQ delayed job per deadline, warning and
 * alert clock (escalation, commitment, reminder, auto-close) inside the horizon, with deterministic job ids (a moved date gets a new id; a
 * stale job re-reads the database and finds nothing to do). The sweep, run by one replica at
 * a time under an advisory lock, raises whatever a lost timer missed and refills the horizon,
 * so Redis losing everything costs at most one sweep interval.
 *
 * Timers are decided inside a database transaction but set only after it commits: Redis must
 * never be awaited while rows are locked (with Redis down, BullMQ's `add` waits for ever).
 */
@Injectable()
export class TimersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('timers');
  private queue: Queue<TimerJob> | null = null;
  private worker: Worker<TimerJob> | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly alerts: AlertsService,
    private readonly pace: PaceService,
    private readonly clock: Clock,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const opts = { connection: redisConnectionOptions(), prefix: this.config.redisPrefix };
    this.queue = new Queue<TimerJob>('timers', {
      ...opts,
      defaultJobOptions: {
        removeOnComplete: 1000,
        removeOnFail: 1000,
        attempts: 3,
        backoff: { type: 'exponential', delay: 500 },
      },
    });
    this.worker = new Worker<TimerJob>('timers', (job) => this.fire(job), opts);
    this.worker.on('error', (err) => this.logger.warn(`timer worker: ${err.message}`));
    this.sweeper = setInterval(() => void this.sweep(), this.config.sweepIntervalMs);
    await this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.sweeping;
    await this.worker?.close();
    await this.queue?.close();
  }

  /** Timers for one milestone, for whatever falls inside the horizon. */
  timersFor(entry: TimetableEntry, now: Date): Timer[] {
    if (entry.status !== 'pending') return [];
    const deadline = deadlineOf(entry);
    const timers: Timer[] = [
      {
        at: deadline,
        id: `deadline_${entry.milestoneId}_${entry.currentPlannedDate}`,
        data: { kind: 'deadline', milestoneId: entry.milestoneId },
      },
      ...warningTimes(entry, this.config.warnDays, now).map((w) => ({
        at: w.at,
        id: `warning_${entry.milestoneId}_${entry.currentPlannedDate}_${w.daysBefore}`,
        data: {
          kind: 'warning' as const,
          milestoneId: entry.milestoneId,
          date: entry.currentPlannedDate,
          daysBefore: w.daysBefore,
        },
      })),
    ];
    return timers.filter((t) => withinHorizon(t.at, now, this.config.horizonMs));
  }

  /**
   * The next run-out of each of an alert's clocks (escalation, commitment, reminder,
   * auto-close) that falls inside the horizon. The id carries the instant: a clock that moves
   * (a reminder sent, a level reached, a re-open) gets a new job, and BullMQ keeps finished ids.
   */
  alertTimers(alert: Alert, now: Date): Timer[] {
    return nextSteps(alert, this.alerts.loopPolicy)
      .filter((s) => withinHorizon(s.at, now, this.config.horizonMs))
      .map((s) => ({
        id: `${s.step}_${alert.id}_${s.at.getTime()}`,
        data: { kind: s.step, alertId: alert.id },
        at: s.at,
      }));
  }

  /**
   * Sets timers, after commit. Bounded: with Redis down this gives up after a deadline and
   * logs; the sweep sets them again from PostgreSQL. An id already set is ignored by BullMQ, so
   * setting a timer twice is harmless. (Ids may not contain ':', BullMQ's own separator.)
   */
  async enqueue(timers: Timer[], now: Date): Promise<void> {
    const queue = this.queue;
    if (!queue || timers.length === 0) return;
    const adds = Promise.all(
      timers.map((t) =>
        queue.add(t.data.kind, t.data, {
          jobId: t.id,
          delay: Math.max(0, t.at.getTime() - now.getTime()),
        }),
      ),
    );
    await enqueueBounded(adds, `${timers.length} timers`, (m) => this.logger.warn(m));
  }

  /** One pass over the truth in PostgreSQL; replicas take turns by advisory lock. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((err: Error) => this.logger.warn(`sweep failed: ${err.message}`))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = this.clock.now();
    const timers: Timer[] = [];
    await this.ds.transaction(async (m) => {
      const [{ locked }] = await m.query(
        `SELECT pg_try_advisory_xact_lock(hashtext('duban-scheduler-sweep')) AS locked`,
      );
      if (!locked) return;
      const horizonDate = chinaDate(new Date(now.getTime() + this.config.horizonMs + 8 * DAY));
      const entries = await m.find(TimetableEntry, {
        where: { status: 'pending', currentPlannedDate: LessThanOrEqual(horizonDate) },
      });
      for (const entry of entries) {
        if (deadlineOf(entry) <= now) await this.judge(m, entry.milestoneId, now, timers);
        timers.push(...this.timersFor(entry, now));
      }
      // Pace and reporting deadlines move with the calendar even when nobody reports.
      for (const plan of await m.find(ProjectPlan, { where: { status: 'under-construction' } })) {
        await this.pace.evaluate(m, plan, now);
      }
      // Closed alerts are history; every other state has a clock running.
      const ticking = await m.find(Alert, { where: { state: Not('closed' as const) } });
      for (const { id } of ticking) {
        const alert = await this.alerts.tick(m, id, now);
        if (alert) timers.push(...this.alertTimers(alert, now));
      }
    });
    await this.enqueue(timers, now);
  }

  private async fire(job: Job<TimerJob>): Promise<void> {
    const now = this.clock.now();
    const data = job.data;
    const timers: Timer[] = [];
    await this.ds.transaction(async (m) => {
      if (data.kind === 'deadline') await this.judge(m, data.milestoneId, now, timers);
      else if (data.kind === 'warning') await this.warn(m, data, now);
      else {
        const alert = await this.alerts.tick(m, data.alertId, now);
        if (alert) timers.push(...this.alertTimers(alert, now));
      }
    });
    await this.enqueue(timers, now);
  }

  /** Raises what is due; the clocks of its alerts go into `timers`. */
  private async judge(
    m: EntityManager,
    milestoneId: string,
    now: Date,
    timers: Timer[],
  ): Promise<void> {
    const entry = await m.findOne(TimetableEntry, {
      where: { milestoneId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!entry) return;
    await this.alerts.evaluate(m, entry, now);
    const alerts = await m.find(Alert, { where: { milestoneId, state: Not('closed' as const) } });
    for (const alert of alerts) timers.push(...this.alertTimers(alert, now));
  }

  private async warn(
    m: EntityManager,
    job: Extract<TimerJob, { kind: 'warning' }>,
    now: Date,
  ): Promise<void> {
    const e = await m.findOneBy(TimetableEntry, { milestoneId: job.milestoneId });
    if (!e || e.status !== 'pending' || e.currentPlannedDate !== job.date || deadlineOf(e) <= now)
      return;
    const event = createEvent({
      type: AlertEventTypes.dueSoon,
      service: 'scheduler',
      subject: e.milestoneId,
      region: e.region,
      data: {
        milestoneId: e.milestoneId,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        name: e.name,
        ownerUnit: e.ownerUnit,
        region: e.region,
        currentPlannedDate: e.currentPlannedDate,
        daysBefore: job.daysBefore,
      },
    });
    await addToOutbox(m, Topics.alerts, [event]);
  }
}
