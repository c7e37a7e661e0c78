import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock, redisConnectionOptions } from '@duban/platform';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { WEBHOOK_CONFIG, WebhookConfig } from './webhook.config';

const BATCH = 1000;

/**
 * Delivered and dead delivery rows are kept for a while (the subscriber's log), then pruned in
 * batches, so no single statement holds locks on a large table. A BullMQ job scheduler runs it:
 * one run per interval across all replicas.
 */
@Injectable()
export class DeliveryRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('webhooks');
  private queue: Queue | null = null;
  private worker: Worker | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(SCHEDULER_CONFIG) private readonly scheduler: SchedulerConfig,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const opts = { connection: redisConnectionOptions(), prefix: this.scheduler.redisPrefix };
    this.queue = new Queue('webhook-retention', opts);
    this.worker = new Worker('webhook-retention', () => this.prune(), opts);
    this.worker.on('error', (err) => this.logger.warn(`retention worker: ${err.message}`));
    await this.queue.upsertJobScheduler(
      'prune-deliveries',
      { every: this.config.pruneEveryMs },
      { name: 'prune', opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }

  /** Deletes finished rows older than the retention; answers how many. */
  async prune(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.config.retentionMs);
    let total = 0;
    for (;;) {
      const deleted = await this.pruneBatch(before);
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }

  private async pruneBatch(before: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.ds.query(
      `DELETE FROM deliveries WHERE id IN (
         SELECT id FROM deliveries
         WHERE state IN ('delivered', 'dead') AND updated_at < $1
         LIMIT $2)`,
      [before, BATCH],
    );
    return count;
  }
}
