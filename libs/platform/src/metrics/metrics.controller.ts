import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Controller,
  Get,
  Header,
  Headers,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@duban/auth';
import { metricsRegistry } from '@duban/observability';
import { MetricsAccess, SERVICE_CONFIG, ServiceConfig } from '../config/service-config';
import { Problem } from '../http/problem';

/**
 * Prometheus metrics, as DUBAN_METRICS says: open, off (404, as if absent) or for a scraper
 * holding DUBAN_METRICS_TOKEN. Outside the user auth: Prometheus holds no user token.
 */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly access: MetricsAccess;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.access = config.metrics;
  }

  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(@Headers('authorization') authorization?: string): Promise<string> {
    if (this.access.mode === 'off') throw new NotFoundException();
    if (this.access.mode === 'token' && !bearerMatches(authorization, this.access.token)) {
      throw new HttpException(unauthorized, HttpStatus.UNAUTHORIZED);
    }
    return metricsRegistry.metrics();
  }
}

const unauthorized: Problem = {
  type: 'urn:duban:problem:unauthorized',
  title: 'Unauthorized',
  status: 401,
  detail: 'metrics need Authorization: Bearer <scrape token>',
};

/** Hashes first, so the comparison takes as long whatever the length of the guess. */
function bearerMatches(authorization: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (presented === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
