import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AlertSeverity, RegionCode, UnitCode, Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles } from '@duban/auth';
import { Page } from '@duban/persistence';
import { ApiZodBody, ReplayWithout, ZodBody, ZodParam } from '@duban/platform';
import { Delivery } from './delivery.entity';
import { NotificationsService } from './notifications.service';
import { Subscription } from './subscription.entity';

const SubscriptionBody = z.strictObject({
  // Which hosts are allowed is the address policy's (NotificationsService.subscribe).
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  filter: z
    .strictObject({
      unit: UnitCode.optional(),
      region: RegionCode.optional(),
      minSeverity: AlertSeverity.optional(),
    })
    .default({}),
});
const DeliveryQuery = z.strictObject({
  state: z.enum(['pending', 'delivered', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
});

/**
 * Webhooks for alert events. Each POST is signed: `Duban-Signature: t=<unix s>,v1=<hex>` where
 * v1 = HMAC-SHA256(secret, "<t>.<raw body>"); refuse a t older than 5 minutes.
 */
@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('api/v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly notifications: NotificationsService) {}

  /**
   * The answer carries the signing secret: it is never shown again. https only, to a public
   * address; a department token may not subscribe (it would learn other units' alerts).
   */
  @Post()
  @ReplayWithout('secret')
  @Roles('supervisor', 'integrator', 'admin')
  @ApiZodBody(SubscriptionBody, {
    url: 'https://city-platform.example/duban/alerts',
    filter: { minSeverity: 'major' },
  })
  create(
    @CurrentPrincipal() actor: Principal,
    @Body(new ZodBody(SubscriptionBody)) body: z.infer<typeof SubscriptionBody>,
  ): Promise<Subscription & { secret: string }> {
    return this.notifications.subscribe(actor, body);
  }

  @Get()
  list(@CurrentPrincipal() actor: Principal): Promise<Subscription[]> {
    return this.notifications.list(actor);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
  ): Promise<void> {
    return this.notifications.unsubscribe(actor, id);
  }

  @Get(':id/deliveries')
  deliveries(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
    @Query(new ZodParam('query', DeliveryQuery)) q: z.infer<typeof DeliveryQuery>,
  ): Promise<Page<Delivery>> {
    return this.notifications.deliveries(actor, id, q);
  }

  /** Send a dead delivery again, from the first attempt. */
  @Post(':id/deliveries/:deliveryId/retry')
  @Roles('supervisor', 'integrator', 'admin')
  @HttpCode(200)
  retry(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ZodParam('id', Uuid)) id: string,
    @Param('deliveryId', new ZodParam('deliveryId', Uuid)) deliveryId: string,
  ): Promise<Delivery> {
    return this.notifications.retry(actor, id, deliveryId);
  }
}
