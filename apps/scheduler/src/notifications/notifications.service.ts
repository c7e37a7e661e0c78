import { randomBytes } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { Observable, Subject, filter as rxFilter, map } from 'rxjs';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AlertData, DubanEvent, RuleViolation } from '@duban/contracts';
import { Principal, regionFilter } from '@duban/auth';
import { DubanEventContext } from '@duban/messaging';
import { Clock, redisConnectionOptions } from '@duban/platform';
import { mayRead } from '../alerts/alerts.service';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { Delivery } from './delivery.entity';
import { AlertFilter, matches } from './domain/filter';
import { SIGNATURE_HEADER, sign } from './domain/signature';
import { EmailService } from './email/email.service';
import { Subscription } from './subscription.entity';

export interface NewSubscription {
  url: string;
  filter: AlertFilter;
}

/**
 * Fans alert events out: to signed webhooks (a BullMQ queue with exponential backoff; after
 * the last attempt the delivery is dead, listed and retryable) and to live screens (SSE).
 */
@Injectable()
export class NotificationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('notifications');
  private readonly live = new Subject<DubanEvent<AlertData>>();
  private queue: Queue<{ deliveryId: string }> | null = null;
  private worker: Worker<{ deliveryId: string }> | null = null;
  private resumer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly email: EmailService,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const opts = { connection: redisConnectionOptions(), prefix: this.config.redisPrefix };
    this.queue = new Queue('webhooks', opts);
    this.worker = new Worker('webhooks', (job) => this.deliver(job), opts);
    this.worker.on('failed', (job, err) => void this.onFailed(job, err));
    this.worker.on('error', (err) => this.logger.warn(`webhook worker: ${err.message}`));
    // Redis holds only the queue: pending deliveries in PostgreSQL are put back after a loss.
    this.resumer = setInterval(() => void this.resume(), this.config.sweepIntervalMs);
    await this.resume();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.resumer) clearInterval(this.resumer);
    await this.worker?.close();
    await this.queue?.close();
  }

  /**
   * Called for every alert event in the consumer's inbox transaction: the deliveries are
   * written there; the jobs, mail and live screens follow once it commits, so a worker never
   * looks for a delivery row it cannot see yet.
   */
  async publish(ctx: DubanEventContext, event: DubanEvent<AlertData>): Promise<void> {
    const subscriptions = await ctx.manager.find(Subscription);
    const created: string[] = [];
    for (const s of subscriptions.filter((s) => matches(s.filter, event.data))) {
      const id = uuidv7();
      const inserted: unknown[] = await ctx.manager.query(
        `INSERT INTO deliveries (id, subscription_id, event_id, event_type, payload, state)
         VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT DO NOTHING RETURNING id`,
        [id, s.id, event.id, event.type, JSON.stringify(event)],
      );
      if (inserted.length) created.push(id);
    }
    // Apart, so one failing (Redis down) costs neither of the others; a delivery whose job
    // was never queued is still pending in PostgreSQL, and the resume sweep queues it.
    ctx.afterCommit(() => this.live.next(event));
    ctx.afterCommit(() => this.email.enqueue(event));
    for (const id of created) ctx.afterCommit(() => this.enqueue(id));
  }

  stream(actor: Principal): Observable<{ type: string; data: DubanEvent<AlertData> }> {
    return this.live.pipe(
      rxFilter((e) => mayRead(actor, e.data)),
      map((e) => ({ type: e.type, data: e })),
    );
  }

  async subscribe(
    actor: Principal,
    input: NewSubscription,
  ): Promise<Subscription & { secret: string }> {
    // A department hears only its own unit's alerts, a region-bound token only its region's.
    const region = regionFilter(actor, input.filter.region);
    const filter = {
      ...input.filter,
      ...(actor.role === 'department' && { unit: actor.unit }),
      ...(region && { region }),
    };
    const secret = randomBytes(32).toString('hex');
    const s = this.ds.manager.create(Subscription, {
      id: uuidv7(),
      url: input.url,
      secret,
      filter,
      createdBy: ownerOf(actor),
    });
    await this.ds.manager.insert(Subscription, s);
    return { ...s, secret };
  }

  list(actor: Principal): Promise<Subscription[]> {
    return this.ds.manager.find(Subscription, {
      where: actor.role === 'admin' ? {} : { createdBy: ownerOf(actor) },
      order: { createdAt: 'ASC' },
    });
  }

  async unsubscribe(actor: Principal, id: string): Promise<void> {
    await this.owned(actor, id);
    await this.ds.manager.delete(Subscription, { id });
  }

  async deliveries(actor: Principal, id: string, state?: Delivery['state']): Promise<Delivery[]> {
    await this.owned(actor, id);
    return this.ds.manager.find(Delivery, {
      where: { subscriptionId: id, ...(state ? { state } : {}) },
      order: { createdAt: 'ASC' },
    });
  }

  async retry(actor: Principal, id: string, deliveryId: string): Promise<Delivery> {
    await this.owned(actor, id);
    const d = await this.ds.manager.findOneBy(Delivery, { id: deliveryId, subscriptionId: id });
    if (!d) throw new RuleViolation(`no delivery ${deliveryId}`, 'not-found');
    if (d.state !== 'dead')
      throw new RuleViolation(`delivery ${deliveryId} is ${d.state}, not dead`, 'conflict');
    Object.assign(d, { state: 'pending', attempts: 0, lastError: null });
    await this.ds.manager.save(d);
    await this.queue?.remove(deliveryId);
    await this.enqueue(deliveryId);
    return d;
  }

  private async owned(actor: Principal, id: string): Promise<Subscription> {
    const s = await this.ds.manager.findOneBy(Subscription, { id });
    if (!s || (actor.role !== 'admin' && s.createdBy !== ownerOf(actor))) {
      throw new RuleViolation(`no subscription ${id}`, 'not-found');
    }
    return s;
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

  private async enqueue(deliveryId: string): Promise<void> {
    await this.queue?.add(
      'deliver',
      { deliveryId },
      {
        jobId: deliveryId,
        attempts: this.config.webhookAttempts,
        backoff: { type: 'exponential', delay: this.config.webhookBackoffMs },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  private async deliver(job: Job<{ deliveryId: string }>): Promise<void> {
    const d = await this.ds.manager.findOneBy(Delivery, {
      id: job.data.deliveryId,
      state: 'pending',
    });
    if (!d) return;
    const s = await this.ds.manager.findOne(Subscription, {
      where: { id: d.subscriptionId },
      select: { id: true, url: true, secret: true },
    });
    if (!s) return;
    const body = JSON.stringify(d.payload);
    const now = Math.floor(this.clock.now().getTime() / 1000);
    await this.ds.manager.update(Delivery, { id: d.id }, { attempts: job.attemptsMade + 1 });
    const res = await fetch(s.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: sign(s.secret, body, now),
        'Duban-Event-Type': d.eventType,
        'Duban-Delivery-Id': d.id,
      },
      body,
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`receiver answered ${res.status}`);
    await this.ds.manager.update(Delivery, { id: d.id }, { state: 'delivered', lastError: null });
  }

  private async onFailed(job: Job<{ deliveryId: string }> | undefined, err: Error): Promise<void> {
    if (!job) return;
    const last = job.attemptsMade >= (job.opts.attempts ?? 1);
    await this.ds.manager
      .update(
        Delivery,
        { id: job.data.deliveryId },
        { lastError: err.message, ...(last ? { state: 'dead' } : {}) },
      )
      .catch((e: Error) => this.logger.warn(`could not record a failed delivery: ${e.message}`));
  }
}

/**
 * Who owns a subscription: the unit (or the token's subject), within its region when the token
 * is bound to one — unit codes repeat across counties, and one county's WATER must not see
 * another's webhooks.
 */
function ownerOf(actor: Principal): string {
  const who = actor.unit ?? actor.subject;
  return actor.region ? `${actor.region}/${who}` : who;
}
