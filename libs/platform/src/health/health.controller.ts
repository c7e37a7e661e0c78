import { Controller, Get, HttpStatus, Inject, OnApplicationShutdown, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@duban/auth';
import { Check, CheckResult } from './readiness';

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
export type ReadinessChecks = Record<string, Check>;

@Public()
@ApiExcludeController()
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessChecks) {}

  /** Probes hold connections of their own (a Kafka admin, a Redis client): let them go. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.checks).map((c) => c.close?.()));
  }

  /** The process is up; restart it only when this fails. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Database, Kafka (and Redis where used) answer; take out of rotation when this fails. */
  @Get('ready')
  async ready(
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ status: string; checks: Record<string, CheckResult> }> {
    const names = Object.keys(this.checks);
    const results = await Promise.all(names.map((n) => this.checks[n]()));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const ok = results.every((r) => r.status === 'up');
    if (!ok) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '5');
    }
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}
