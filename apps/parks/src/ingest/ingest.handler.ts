import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { DubanEvent, ParksEventTypes, ParksIngest } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { IngestSenders } from '@duban/platform';
import { CampaignsService } from '../campaigns/campaigns.service';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { ParkIndicatorsService } from '../indicators/park-indicators.service';

type Ingest<K extends keyof typeof ParksIngest> = DubanEvent<z.infer<(typeof ParksIngest)[K]>>;

/**
 * Updates department systems publish on duban.parks.ingest.v1, each signed with the
 * department's ingest key. They run the same application code as HTTP in the inbox
 * transaction; a refusal is dead-lettered and announced with its reason.
 */
@Controller()
export class IngestHandler {
  constructor(
    private readonly senders: IngestSenders,
    private readonly indicators: ParkIndicatorsService,
    private readonly enterprises: EnterprisesService,
    private readonly campaigns: CampaignsService,
  ) {}

  @EventPattern(ParksEventTypes.ingestIndicatorsSubmitted)
  async indicatorsSubmitted(
    @Payload() e: Ingest<'indicatorsSubmitted'>,
    @Ctx() ctx: DubanEventContext,
  ) {
    const actor = this.senders.of(ctx);
    const { parkId, month, indicators } = e.data;
    await this.indicators.put(actor, parkId, month, indicators);
  }

  @EventPattern(ParksEventTypes.ingestStatusChangeRequested)
  async statusChangeRequested(
    @Payload() e: Ingest<'statusChangeRequested'>,
    @Ctx() ctx: DubanEventContext,
  ) {
    const actor = this.senders.of(ctx);
    const { enterpriseId, ...body } = e.data;
    await this.enterprises.changeStatus(actor, enterpriseId, body);
  }

  @EventPattern(ParksEventTypes.ingestTaskCompletionReported)
  async taskCompletionReported(
    @Payload() e: Ingest<'taskCompletionReported'>,
    @Ctx() ctx: DubanEventContext,
  ) {
    const actor = this.senders.of(ctx);
    const { campaignId, taskId, actualDate } = e.data;
    await this.campaigns.changeTask(actor, campaignId, taskId, { kind: 'complete', actualDate });
  }

  @EventPattern(ParksEventTypes.ingestTaskForecastReported)
  async taskForecastReported(
    @Payload() e: Ingest<'taskForecastReported'>,
    @Ctx() ctx: DubanEventContext,
  ) {
    const actor = this.senders.of(ctx);
    const { campaignId, taskId, forecastDate } = e.data;
    await this.campaigns.changeTask(actor, campaignId, taskId, { kind: 'forecast', forecastDate });
  }
}
