import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock, enqueueBounded, redisConnectionOptions } from '@duban/platform';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { expiryJobId } from './domain/silence';
import { Silence } from './silence.entity';
import { SilencesService } from './silences.service';

interface ExpiryJob {
  silenceId: string;
}

/**
 * Silences end by themselves. As with the scheduler's timers, PostgreSQL is the truth and Redis a
 * cache of it: a BullMQ delayed job per silence ending inside the horizon (id per silence and
 * end time), and a pass every sweep interval, one replica at a time under an advisory lock, that
 * ends whatever is due (a lost or early job costs at most one interval) and refills the horizon.
 * Jobs are queued only after the transaction that decided them has committed.
 */
@Injectable()
export class SilenceExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('silences');
  private queue: Queue<ExpiryJob> | null = null;
  private worker: Worker<ExpiryJob> | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly silences: SilencesService,
    private readonly clock: Clock,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const opts = { connection: redisConnectionOptions(), prefix: this.config.redisPrefix };
    this.queue = new Queue<ExpiryJob>('silences', {
      ...opts,
      defaultJobOptions: {
        removeOnComplete: 1000,
        removeOnFail: 1000,
        attempts: 3,
        backoff: { type: 'exponential', delay: 500 },
      },
    });
    this.worker = new Worker<ExpiryJob>(
      'silences',
      (job) =>
        this.ds.transaction((m) => this.silences.expire(m, job.data.silenceId, this.clock.now())),
      opts,
    );
    this.worker.on('error', (err) => this.logger.warn(`silence worker: ${err.message}`));
    this.sweeper = setInterval(() => void this.sweep(), this.config.sweepIntervalMs);
    await this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.sweeping;
    await this.worker?.close();
    await this.queue?.close();
  }

  /**
   * Queues the expiry of silences ending inside the horizon, after commit. Bounded: with Redis
   * down this gives up after a deadline and logs; the pass ends them from PostgreSQL anyway.
   */
  async schedule(silences: Silence[], now: Date): Promise<void> {
    const queue = this.queue;
    const due = silences.filter(
      (s) => s.state === 'active' && s.endsAt.getTime() - now.getTime() <= this.config.horizonMs,
    );
    if (!queue || due.length === 0) return;
    const adds = Promise.all(
      due.map((s) =>
        queue.add(
          'expire',
          { silenceId: s.id },
          { jobId: expiryJobId(s), delay: Math.max(0, s.endsAt.getTime() - now.getTime()) },
        ),
      ),
    );
    await enqueueBounded(adds, `${due.length} silence expiries`, (m) => this.logger.warn(m));
  }

  /** One pass over PostgreSQL; replicas take turns by advisory lock. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((err: Error) => this.logger.warn(`silence expiry pass failed: ${err.message}`))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = this.clock.now();
    const ahead = await this.ds.transaction(async (m) => {
      const [{ locked }] = await m.query(
        `SELECT pg_try_advisory_xact_lock(hashtext('duban-scheduler-silence-expiry')) AS locked`,
      );
      if (!locked) return [];
      for (const id of await this.silences.due(m, now)) await this.silences.expire(m, id, now);
      return this.silences.endingBefore(m, new Date(now.getTime() + this.config.horizonMs));
    });
    await this.schedule(ahead, now);
  }
}
