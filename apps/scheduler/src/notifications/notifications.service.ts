import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Observable, map } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AlertData, DubanEvent, RuleViolation } from '@duban/contracts';
import { Principal, regionFilter } from '@duban/auth';
import { DubanEventContext } from '@duban/messaging';
import { Page, keysetPage } from '@duban/persistence';
import { Delivery } from './delivery.entity';
import { checkWebhookUrl } from './domain/address-policy';
import { AlertFilter, matches } from './domain/filter';
import { EmailService } from './email/email.service';
import { LiveAlerts } from './live-alerts.service';
import { SilencesService } from '../silences/silences.service';
import { Subscription } from './subscription.entity';
import { WEBHOOK_CONFIG, WebhookConfig } from './webhook.config';
import { WebhookDeliveries } from './webhook-deliveries.service';

export interface NewSubscription {
  url: string;
  filter: AlertFilter;
}

export interface DeliveryQuery {
  state?: Delivery['state'];
  limit: number;
  cursor?: string;
}

/**
 * Fans alert events out: to signed webhooks (deliveries written with the event, sent by
 * WebhookDeliveries) and to live screens (SSE).
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly email: EmailService,
    private readonly live: LiveAlerts,
    private readonly webhooks: WebhookDeliveries,
    private readonly silences: SilencesService,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {}

  /**
   * Called for every alert event in the consumer's inbox transaction: the deliveries are
   * written there; the jobs follow once it commits, so a worker never
   * looks for a delivery row it cannot see yet.
   */
  async publish(ctx: DubanEventContext, event: DubanEvent<AlertData>): Promise<void> {
    // A silenced alert is raised and listed but neither mailed nor sent to webhooks (issue 12),
    // judged at the event's time so a redelivered event is judged alike. Live screens still
    // show it: they list, they do not notify (LiveAlerts reads the topic itself).
    if (await this.silences.activeFor(ctx.manager, event.data, new Date(event.time))) return;
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
    const mails = await this.email.record(ctx.manager, event);
    // Apart, so one failing (Redis down) costs not the other; a delivery or mail whose job
    // was never queued is still unsent in PostgreSQL, and a sweep queues it. (Live screens read
    // the topic themselves: LiveAlerts.)
    ctx.afterCommit(() => this.email.enqueue(mails));
    for (const id of created) ctx.afterCommit(() => this.webhooks.enqueue(id));
  }

  /** The event id is the SSE id, which a reconnecting browser sends back as Last-Event-ID. */
  stream(
    actor: Principal,
    lastEventId?: string,
  ): Observable<{ id: string; type: string; data: DubanEvent<AlertData> }> {
    return this.live
      .stream(actor, lastEventId)
      .pipe(map((e) => ({ id: e.id, type: e.type, data: e })));
  }

  /** Callers are supervisors, integrators or admins (the controller's roles). */
  async subscribe(
    actor: Principal,
    input: NewSubscription,
  ): Promise<Subscription & { secret: string }> {
    const verdict = checkWebhookUrl(input.url, this.config);
    if (!verdict.ok)
      throw new RuleViolation(`url: ${verdict.reason}`, 'invalid', {
        errors: [{ field: 'url', message: verdict.reason }],
      });
    // A region-bound token hears only its region's alerts.
    const region = regionFilter(actor, input.filter.region);
    const secret = randomBytes(32).toString('hex');
    const s = this.ds.manager.create(Subscription, {
      id: uuidv7(),
      url: verdict.url.href,
      secret,
      filter: { ...input.filter, ...(region && { region }) },
      createdBy: ownerOf(actor),
    });
    await this.ds.transaction(async (m) => {
      await this.assertBelowCap(m, s.createdBy);
      await m.insert(Subscription, s);
    });
    return { ...s, consecutiveFailures: 0, pausedUntil: null, secret };
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

  async deliveries(actor: Principal, id: string, q: DeliveryQuery): Promise<Page<Delivery>> {
    await this.owned(actor, id);
    const qb = this.ds
      .getRepository(Delivery)
      .createQueryBuilder('d')
      .where('d.subscription_id = :id', { id });
    if (q.state) qb.andWhere('d.state = :state', { state: q.state });
    return keysetPage(qb, q);
  }

  async retry(actor: Principal, id: string, deliveryId: string): Promise<Delivery> {
    await this.owned(actor, id);
    const d = await this.ds.manager.findOneBy(Delivery, { id: deliveryId, subscriptionId: id });
    if (!d) throw new RuleViolation(`no delivery ${deliveryId}`, 'not-found');
    if (d.state !== 'dead')
      throw new RuleViolation(`delivery ${deliveryId} is ${d.state}, not dead`, 'conflict');
    Object.assign(d, { state: 'pending', attempts: 0, lastError: null });
    await this.ds.manager.save(d);
    await this.webhooks.requeue(deliveryId);
    return d;
  }

  /** Serialised per owner by an advisory lock, so two racing requests cannot both take the last place. */
  private async assertBelowCap(m: EntityManager, owner: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban-subscriptions:' || $1))`, [owner]);
    const [{ n }]: { n: number }[] = await m.query(
      'SELECT count(*)::int AS n FROM subscriptions WHERE created_by = $1',
      [owner],
    );
    if (n >= this.config.maxPerOwner)
      throw new RuleViolation(
        `at most ${this.config.maxPerOwner} webhook subscriptions per owner; delete one first`,
        'conflict',
        { limit: this.config.maxPerOwner },
      );
  }

  private async owned(actor: Principal, id: string): Promise<Subscription> {
    const s = await this.ds.manager.findOneBy(Subscription, { id });
    if (!s || (actor.role !== 'admin' && s.createdBy !== ownerOf(actor))) {
      throw new RuleViolation(`no subscription ${id}`, 'not-found');
    }
    return s;
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
