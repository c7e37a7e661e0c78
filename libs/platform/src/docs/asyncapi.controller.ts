import { Controller, Get, Inject, NotFoundException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@duban/auth';
import { asyncApiDocument } from '@duban/contracts';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';

/**
 * The event contract integrators subscribe by, beside the HTTP one at /docs: every topic, the
 * event types it carries and their schemas (AsyncAPI 3.0), the same from every service. Off
 * with the rest of the docs (DUBAN_DOCS): it names brokers and topics.
 */
@ApiExcludeController()
@Controller('docs')
export class AsyncApiController {
  private readonly document: Record<string, unknown> | null;

  constructor(@Inject(SERVICE_CONFIG) { docs, kafka }: ServiceConfig) {
    this.document = docs ? asyncApiDocument(kafka.brokers, kafka.topicPrefix) : null;
  }

  @Public()
  @Get('asyncapi.json')
  asyncapi(): Record<string, unknown> {
    if (!this.document) throw new NotFoundException();
    return this.document;
  }
}
