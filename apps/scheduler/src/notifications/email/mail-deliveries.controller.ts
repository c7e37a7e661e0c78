import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Uuid } from '@duban/contracts';
import { CurrentPrincipal, Principal, Roles, regionFilter } from '@duban/auth';
import { Page, keysetPage } from '@duban/persistence';
import { ZodParam } from '@duban/platform';
import { MailDelivery } from './mail-delivery.entity';

const MailDeliveryQuery = z.strictObject({
  alertId: Uuid.optional(),
  state: z.enum(['pending', 'sent', 'failed', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Uuid.optional(),
});

/** The alert e-mail log: what was mailed to whom, and whether it went out. */
@ApiTags('mail-deliveries')
@ApiBearerAuth()
@Controller('api/v1/mail-deliveries')
export class MailDeliveriesController {
  constructor(private readonly ds: DataSource) {}

  /** Supervisors' business (it names recipients); a region-bound token sees its region's only. */
  @Get()
  @Roles('supervisor', 'admin')
  list(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', MailDeliveryQuery)) q: z.infer<typeof MailDeliveryQuery>,
  ): Promise<Page<MailDelivery>> {
    const qb = this.ds.getRepository(MailDelivery).createQueryBuilder('d');
    const region = regionFilter(actor);
    if (region) qb.andWhere('d.region = :region', { region });
    if (q.alertId) qb.andWhere('d.alert_id = :alertId', { alertId: q.alertId });
    if (q.state) qb.andWhere('d.state = :state', { state: q.state });
    return keysetPage(qb, q);
  }
}
