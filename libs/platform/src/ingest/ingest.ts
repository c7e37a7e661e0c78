import { Injectable } from '@nestjs/common';
import {
  IngestSignatureError,
  IngestTrust,
  Principal,
  ingestTrustFrom,
  verifyIngestMessage,
} from '@duban/auth';
import { DubanEventContext, PermanentError } from '@duban/messaging';

/**
 * Who sent an ingest message: the department whose key signed its exact bytes
 * (`duban-key-id`, `duban-signature`), no bearer token. A missing, wrong or replayed
 * signature is final: the message is dead-lettered as `unauthorized` and announced, never
 * retried. Its trust settings are read once, at boot.
 */
@Injectable()
export class IngestSenders {
  private readonly trust: IngestTrust = ingestTrustFrom();

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
