import { HttpException } from '@nestjs/common';
import { InvalidTokenError, Principal, authSecretFrom, principalFromBearer } from '@duban/auth';
import { DubanEventContext, PermanentError } from '@duban/messaging';

/**
 * Department systems publish on a service's ingest topic with the same bearer token an HTTP
 * call would carry (Kafka header `authorization`); this is who they are. A missing or bad
 * token is final: the message is dead-lettered and announced, never retried.
 */
export function ingestSender(ctx: DubanEventContext, secret = authSecretFrom()): Principal {
  try {
    return principalFromBearer(ctx.headers.authorization, secret);
  } catch (err) {
    if (err instanceof InvalidTokenError) throw new PermanentError(err.message, 'unauthorized');
    throw err;
  }
}

/**
 * Runs the same application code HTTP runs; an HTTP-style refusal (4xx, e.g. 403 from the
 * ownership check) is final on Kafka too, so it is dead-lettered with its reason.
 */
export async function refusalsArePermanent(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof HttpException && err.getStatus() < 500) {
      throw new PermanentError(err.message, err.getStatus() === 403 ? 'forbidden' : 'rejected');
    }
    throw err;
  }
}
