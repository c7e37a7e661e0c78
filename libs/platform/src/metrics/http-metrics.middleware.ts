import type { NextFunction, Request, Response } from 'express';
import { httpRequests } from '@duban/observability';

/** Counts answered requests by method and status, for the service's /metrics. */
export function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
  res.on('finish', () =>
    httpRequests().inc({ method: req.method, status: String(res.statusCode) }),
  );
  next();
}
