import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@duban/auth';
import { asyncApiDocument } from '@duban/contracts';
import { kafkaConfigFor } from '@duban/messaging';

/**
 * The event contract integrators subscribe by, beside the HTTP one at /docs: every topic, the
 * event types it carries and their schemas (AsyncAPI 3.0), the same from every service.
 */
@ApiExcludeController()
@Controller('docs')
export class AsyncApiController {
  private readonly document = (({ brokers, topicPrefix }) =>
    asyncApiDocument(brokers, topicPrefix))(kafkaConfigFor('docs'));

  @Public()
  @Get('asyncapi.json')
  asyncapi(): Record<string, unknown> {
    return this.document;
  }
}
