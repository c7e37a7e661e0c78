import { Inject, Injectable } from '@nestjs/common';
import { IngestSignatureError, IngestTrust, Principal, verifyIngestMessage } from '@duban/auth';
import { DubanEventContext, PermanentError } from '@duban/messaging';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';

/**
 * Who sent an ingest message: the department whose key signed its exact bytes
 * (`duban-key-id`, `duban-signature`), no bearer token. A missing, wrong or replayed
 * signature is final: the message is dead-lettered as `unauthorized` and announced, never
 * retried. Its trust settings are the service's validated configuration (ServiceConfig.ingest).
 */
@Injectable()
export class IngestSenders {
  private readonly trust: IngestTrust;

  constructor(@Inject(SERVICE_CONFIG) config: Pick<ServiceConfig, 'ingest'>) {
    if (!config.ingest) {
      throw new Error('IngestSenders needs a service with an ingest topic (ServiceOptions.ingest)');
    }
    this.trust = config.ingest;
  }

  of(ctx: DubanEventContext): Principal {
    try {
      return verifyIngestMessage(
        {
          value: ctx.record.value,
          headers: ctx.headers,
          appendedAt: new Date(Number(ctx.record.timestamp)),
        },
        this.trust,
      );
    } catch (err) {
      if (err instanceof IngestSignatureError)
        throw new PermanentError(err.message, 'unauthorized');
      throw err;
    }
  }
}
