import type { NextFunction, Request, Response } from 'express';
import { KafkaHeaders } from '@duban/contracts';
import { currentCorrelationId, withCorrelationId } from '@duban/observability';

/** Runs each request inside its correlation id (given by the caller or new) and echoes it. */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  withCorrelationId(req.header(KafkaHeaders.correlationId), () => {
    res.setHeader(KafkaHeaders.correlationId, currentCorrelationId() ?? '');
    next();
  });
}
