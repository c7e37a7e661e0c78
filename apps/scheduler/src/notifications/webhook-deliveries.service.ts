import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DelayedError, Job, Queue, Worker } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, redisConnectionOptions } from '@duban/platform';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { Delivery } from './delivery.entity';
import { BreakerState, CLOSED, afterFailure, gate } from './domain/breaker';
import { failureReason } from './domain/delivery-outcome';
import { SIGNATURE_HEADER, sign } from './domain/signature';
import { Subscription } from './subscription.entity';
import { WebhookResolver, postWebhook } from './webhook-client';
import { WEBHOOK_CONFIG, WebhookConfig } from './webhook.config';

type DeliveryJob = Job<{ deliveryId: string }>;
type Target = { delivery: Delivery; subscription: Subscription };

/**
 * Sends webhook deliveries: a BullMQ queue with exponential backoff, run concurrently, each
 * subscription behind its own circuit breaker. PostgreSQL holds the truth (delivery state,
 * attempts, breaker); Redis only the queue, refilled from pending rows if it is lost.
 */
@Injectable()
export class WebhookDeliveries implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('webhooks');
  private queue: Queue<{ deliveryId: string }> | null = null;
  private worker: Worker<{ deliveryId: string }> | null = null;
  private resumer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly resolver: WebhookResolver,
    @Inject(SCHEDULER_CONFIG) private readonly scheduler: SchedulerConfig,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const opts = { connection: redisConnectionOptions(), prefix: this.scheduler.redisPrefix };
    this.queue = new Queue('webhooks', opts);
    this.worker = new Worker('webhooks', (job, token) => this.process(job, token), {
      ...opts,
      concurrency: this.config.concurrency,
    });
    this.worker.on('error', (err) => this.logger.warn(`webhook worker: ${err.message}`));
    this.resumer = setInterval(() => void this.resume(), this.scheduler.sweepIntervalMs);
    await this.resume();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.resumer) clearInterval(this.resumer);
    await this.worker?.close();
    await this.queue?.close();
  }

  async enqueue(deliveryId: string): Promise<void> {
    await this.queue?.add(
      'deliver',
      { deliveryId },
      {
        jobId: deliveryId,
        attempts: this.scheduler.webhookAttempts,
        backoff: { type: 'exponential', delay: this.scheduler.webhookBackoffMs },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  /** A dead delivery sent again from its first attempt (its old job may linger in Redis). */
  async requeue(deliveryId: string): Promise<void> {
    await this.queue?.remove(deliveryId);
    await this.enqueue(deliveryId);
  }

  private async resume(): Promise<void> {
    try {
      const pending = await this.ds.manager.find(Delivery, {
        where: { state: 'pending' },
        select: { id: true },
      });
      for (const d of pending) await this.enqueue(d.id);
    } catch (err) {
      this.logger.warn(`could not resume deliveries: ${(err as Error).message}`);
    }
  }

  private async process(job: DeliveryJob, token?: string): Promise<void> {
    const target = await this.load(job.data.deliveryId);
    if (!target) return;
    const waitMs = await this.admit(target.subscription);
    if (waitMs > 0) {
      // Deferred, not failed: waiting out a breaker costs the delivery none of its attempts.
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }
    try {
      await this.send(target);
    } catch (err) {
      const reason = failureReason(err);
      await this.recordFailure(target, job, reason);
      throw new Error(reason);
    }
    await this.recordSuccess(target, job);
  }

  private async load(deliveryId: string): Promise<Target | null> {
    const delivery = await this.ds.manager.findOneBy(Delivery, {
      id: deliveryId,
      state: 'pending',
    });
    if (!delivery) return null;
    const subscription = await this.ds.manager.findOne(Subscription, {
      where: { id: delivery.subscriptionId },
      select: { id: true, url: true, secret: true, consecutiveFailures: true, pausedUntil: true },
    });
    return subscription && { delivery, subscription };
  }

  /** 0 to go now; otherwise how long the subscription's breaker still holds its deliveries. */
  private async admit(s: Subscription): Promise<number> {
    const now = this.clock.now();
    const verdict = gate(s, now, this.config.breaker);
    if (verdict.go === 'now') return 0;
    if (verdict.go === 'later') return verdict.waitMs;
    // Whoever moves paused_until on is the probe; the others wait for its outcome.
    const [, claimed]: [unknown, number] = await this.ds.query(
      'UPDATE subscriptions SET paused_until = $2 WHERE id = $1 AND paused_until <= $3',
      [s.id, verdict.probeUntil, now],
    );
    return claimed ? 0 : this.config.breaker.coolDownMs;
  }

  private async send({ delivery, subscription }: Target): Promise<void> {
    const body = JSON.stringify(delivery.payload);
    const now = Math.floor(this.clock.now().getTime() / 1000);
    await postWebhook(
      {
        url: subscription.url,
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: sign(subscription.secret, body, now),
          'Duban-Event-Type': delivery.eventType,
          'Duban-Delivery-Id': delivery.id,
        },
        body,
        timeoutMs: this.config.timeoutMs,
      },
      this.resolver,
      this.config,
    );
  }

  private async recordSuccess({ delivery, subscription }: Target, job: DeliveryJob): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.setOutcome(m, delivery.id, job.attemptsMade + 1, 'delivered', null);
      if (subscription.consecutiveFailures || subscription.pausedUntil)
        await this.setBreaker(m, subscription.id, CLOSED);
    });
    if (subscription.pausedUntil) await this.wakeDeferred(subscription.id);
  }

  /** The probe got through: deliveries waiting out the cool-down need not wait any longer. */
  private async wakeDeferred(subscriptionId: string): Promise<void> {
    const pending: { id: string }[] = await this.ds.query(
      `SELECT id FROM deliveries WHERE subscription_id = $1 AND state = 'pending'`,
      [subscriptionId],
    );
    for (const { id } of pending) {
      const job = await this.queue?.getJob(id);
      // A job that is not delayed (any more) has nothing to wait out.
      await job?.promote().catch(() => undefined);
    }
  }

  private async recordFailure(
    { delivery, subscription }: Target,
    job: DeliveryJob,
    reason: string,
  ): Promise<void> {
    const attempts = job.attemptsMade + 1;
    const last = attempts >= (job.opts.attempts ?? 1);
    await this.ds.transaction(async (m) => {
      await this.setOutcome(m, delivery.id, attempts, last ? 'dead' : 'pending', reason);
      // Under the row lock: concurrent failures of one subscription each count.
      const [state] = await m.query(
        `SELECT consecutive_failures AS "consecutiveFailures", paused_until AS "pausedUntil"
         FROM subscriptions WHERE id = $1 FOR UPDATE`,
        [subscription.id],
      );
      if (state)
        await this.setBreaker(
          m,
          subscription.id,
          afterFailure(state, this.clock.now(), this.config.breaker),
        );
    });
  }

  private setOutcome(
    m: EntityManager,
    id: string,
    attempts: number,
    state: Delivery['state'],
    lastError: string | null,
  ): Promise<unknown> {
    return m.query(
      `UPDATE deliveries SET state = $2, attempts = $3, last_error = $4, updated_at = now()
       WHERE id = $1`,
      [id, state, attempts, lastError],
    );
  }

  private setBreaker(m: EntityManager, id: string, state: BreakerState): Promise<unknown> {
    return m.query(
      'UPDATE subscriptions SET consecutive_failures = $2, paused_until = $3 WHERE id = $1',
      [id, state.consecutiveFailures, state.pausedUntil],
    );
  }
}
