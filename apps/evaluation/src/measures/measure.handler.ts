import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DubanEvent } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { MEASURED_EVENT_TYPES } from './domain/catalogue';
import { FactsService } from './facts.service';

/** Every event type some measure reads, from every domain topic and the alerts topic. */
@Controller()
export class MeasureHandler {
  constructor(private readonly facts: FactsService) {}

  @EventPattern([...MEASURED_EVENT_TYPES])
  measured(@Payload() event: DubanEvent, @Ctx() ctx: DubanEventContext): Promise<void> {
    return this.facts.apply(ctx.manager, event);
  }
}
