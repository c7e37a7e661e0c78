import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { DubanEvent, TransportEventTypes, TransportIngest } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { IngestSenders } from '@duban/platform';
import { GatesService } from '../gates/gates.service';
import { SectionsService } from '../sections/sections.service';

type Ingest<K extends keyof typeof TransportIngest> = DubanEvent<
  z.infer<(typeof TransportIngest)[K]>
>;

/**
 * Updates department systems publish on duban.transport.ingest.v1, each signed with the
 * department's ingest key. They run the same application code as HTTP in the inbox
 * transaction; a refusal is dead-lettered and announced with its reason.
 */
@Controller()
export class IngestHandler {
  constructor(
    private readonly senders: IngestSenders,
    private readonly gates: GatesService,
    private readonly sections: SectionsService,
  ) {}

  @EventPattern(TransportEventTypes.ingestGateMetReported)
  async gateMet(@Payload() e: Ingest<'gateMetReported'>, @Ctx() ctx: DubanEventContext) {
    const actor = this.senders.of(ctx);
    const { workId, gate, ...body } = e.data;
    await this.gates.change(actor, workId, gate, { kind: 'complete', ...body });
  }

  @EventPattern(TransportEventTypes.ingestGateForecastReported)
  async gateForecast(@Payload() e: Ingest<'gateForecastReported'>, @Ctx() ctx: DubanEventContext) {
    const actor = this.senders.of(ctx);
    const { workId, gate, ...body } = e.data;
    await this.gates.change(actor, workId, gate, { kind: 'forecast', ...body });
  }

  @EventPattern(TransportEventTypes.ingestSectionProgressReported)
  async sectionProgress(
    @Payload() e: Ingest<'sectionProgressReported'>,
    @Ctx() ctx: DubanEventContext,
  ) {
    const actor = this.senders.of(ctx);
    const { workId, sectionId, ...body } = e.data;
    await this.sections.reportProgress(actor, workId, sectionId, body);
  }

  @EventPattern(TransportEventTypes.ingestSectionOpeningReported)
  async sectionOpened(
    @Payload() e: Ingest<'sectionOpeningReported'>,
    @Ctx() ctx: DubanEventContext,
  ) {
    const actor = this.senders.of(ctx);
    const { workId, sectionId, ...body } = e.data;
    await this.sections.open(actor, workId, sectionId, body);
  }
}
