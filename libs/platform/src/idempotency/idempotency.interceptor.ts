import { createHash } from 'node:crypto';
import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  NestInterceptor,
  OnModuleDestroy,
  OnModuleInit,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Observable, defer, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AuthenticatedRequest, Principal } from '@duban/auth';
import { RuleViolation } from '@duban/contracts';
import { Problem } from '../http/problem';
import { ruleViolationProblem } from '../http/problem-details.filter';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Keys are kept a day, as Stripe does: a retry after that runs as a new request. That is also
 * how long a claim left pending by a process that died mid-request blocks its key (409): it
 * cannot be told from a request still running, nor from one whose write committed just
 * before the crash, so it is never taken over early — that could run a write twice.
 */
export const KEY_RETENTION_HOURS = 24;
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** 1 to 255 printable ASCII characters: anything else is a client bug worth a clear 400. */
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;

const REPLAY_WITHOUT_KEY = 'duban:idempotency:replay-without';

/**
 * Marks a POST whose answer carries something shown once (a webhook's signing secret): the
 * stored answer leaves these top-level fields out, so a replay of its Idempotency-Key answers
 * without them and the idempotency table never holds a secret.
 */
export const ReplayWithout = (...fields: string[]): MethodDecorator =>
  SetMetadata(REPLAY_WITHOUT_KEY, fields);

interface StoredKey {
  fingerprint: string;
  state: 'pending' | 'done';
  response_status: number | null;
  response_body: unknown;
}

/**
 * `Idempotency-Key` on POST (API-CONVENTIONS "Writes"): the first request with a key runs the
 * handler and its response is kept; a retry with the same key and request gets that response
 * again without running the handler, so a client may safely resend a write it never heard back
 * from. The claim is a row inserted before the handler runs, so concurrent retries cannot both
 * run it: the primary key lets exactly one insert win.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('idempotency');
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => void this.purgeExpired(), PURGE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  /** Drops keys past their retention; returns how many went. */
  async purgeExpired(): Promise<number> {
    try {
      const [, count]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
        [KEY_RETENTION_HOURS],
      );
      return count;
    } catch (error) {
      this.logger.warn(`could not purge expired Idempotency-Keys: ${String(error)}`);
      return 0;
    }
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Kafka handlers have their own dedup (the inbox); only HTTP callers send this header.
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const key = req.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
    if (req.method !== 'POST' || key === undefined) return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    const omit = this.reflector.get<string[] | undefined>(REPLAY_WITHOUT_KEY, context.getHandler());
    return defer(() => this.once(req, res, key, next, omit ?? []));
  }

  private async once(
    req: Request & AuthenticatedRequest,
    res: Response,
    key: string | string[],
    next: CallHandler,
    omit: string[],
  ): Promise<unknown> {
    if (typeof key !== 'string' || !VALID_KEY.test(key)) throw invalidKey();
    const scope = scopeOf(req.principal);
    const fingerprint = fingerprintOf(req);

    // Two tries: the row we collided with may be deleted (its handler failed) before we read it.
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimed: unknown[] = await this.dataSource.query(
        `INSERT INTO idempotency_keys (scope, key, fingerprint, state)
         VALUES ($1, $2, $3, 'pending')
         ON CONFLICT DO NOTHING RETURNING key`,
        [scope, key, fingerprint],
      );
      if (claimed.length) return this.runAndStore(scope, key, res, next, omit);

      const [existing]: StoredKey[] = await this.dataSource.query(
        `SELECT fingerprint, state, response_status, response_body
           FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      if (existing) return replay(existing, key, fingerprint, res);
    }
    throw stillProcessing(res);
  }

  private async runAndStore(
    scope: string,
    key: string,
    res: Response,
    next: CallHandler,
    omit: string[],
  ): Promise<unknown> {
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      const clientError = asClientError(error);
      if (clientError) {
        // A client error is the answer to this request: a retry must get it again, not rerun.
        await this.store(scope, key, clientError.status, clientError.body);
      } else {
        // A server error (or a dependency down) says nothing about the request: let it retry.
        await this.release(scope, key);
      }
      throw error;
    }
    // Nest set the route's status (201, or its @HttpCode) before the handler ran.
    await this.store(scope, key, res.statusCode, without(body, omit));
    return body;
  }

  private async store(scope: string, key: string, status: number, body: unknown): Promise<void> {
    // Stored as the JSON the client receives (dates as strings, undefined as null).
    const json = body === undefined ? null : JSON.stringify(body);
    await this.dataSource.query(
      `UPDATE idempotency_keys
          SET state = 'done', response_status = $3, response_body = $4::jsonb
        WHERE scope = $1 AND key = $2`,
      [scope, key, status, json],
    );
  }

  private async release(scope: string, key: string): Promise<void> {
    try {
      await this.dataSource.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [
        scope,
        key,
      ]);
    } catch (error) {
      // The handler's error is the one the client must see; a key left pending answers 409.
      this.logger.warn(`could not release Idempotency-Key ${key} of ${scope}: ${String(error)}`);
    }
  }
}

/**
 * Whose key this is. Every claim that decides what a caller may do is part of it: unit codes
 * and subjects repeat across counties, and one caller's stored answer must never be another's.
 */
function scopeOf(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  const { role, unit, region, subject } = principal;
  return JSON.stringify([role, unit ?? null, region ?? null, subject]);
}

function without(body: unknown, fields: string[]): unknown {
  if (!fields.length || body === null || typeof body !== 'object') return body;
  return Object.fromEntries(Object.entries(body).filter(([field]) => !fields.includes(field)));
}

function replay(stored: StoredKey, key: string, fingerprint: string, res: Response): unknown {
  if (stored.fingerprint !== fingerprint) throw keyReused(key);
  if (stored.state !== 'done' || stored.response_status === null) throw stillProcessing(res);
  res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  // A stored client error goes out through ProblemDetailsFilter again, exactly as the first time.
  if (stored.response_status >= 400) {
    throw new HttpException(stored.response_body as string | object, stored.response_status);
  }
  res.status(stored.response_status);
  return stored.response_body ?? undefined;
}

/** Same method, URL and body (whatever its key order or whitespace) means the same request. */
export function fingerprintOf(req: Pick<Request, 'method' | 'originalUrl' | 'body'>): string {
  return createHash('sha256')
    .update(`${req.method}\n${req.originalUrl}\n${canonicalJson(req.body)}`)
    .digest('hex');
}

/** JSON with object keys sorted at every depth; array order is meaningful and kept. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

function invalidKey(): HttpException {
  return new HttpException(
    {
      type: 'urn:duban:problem:invalid-idempotency-key',
      title: 'Invalid request',
      status: HttpStatus.BAD_REQUEST,
      detail: `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 printable ASCII characters`,
    } satisfies Problem,
    HttpStatus.BAD_REQUEST,
  );
}

function keyReused(key: string): HttpException {
  return new HttpException(
    {
      type: 'urn:duban:problem:idempotency-key-reused',
      title: 'Unprocessable content',
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      detail: `${IDEMPOTENCY_KEY_HEADER} "${key}" was used with a different request`,
    } satisfies Problem,
    HttpStatus.UNPROCESSABLE_ENTITY,
  );
}

function stillProcessing(res: Response): HttpException {
  // The first request is likely to finish soon; tell the client when to look again.
  res.setHeader('Retry-After', '1');
  return new HttpException(
    {
      type: 'urn:duban:problem:idempotency-key-in-progress',
      title: 'Conflict',
      status: HttpStatus.CONFLICT,
      detail: `a request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed`,
    } satisfies Problem,
    HttpStatus.CONFLICT,
  );
}

/** A refused request's status and problem body: an HttpException under 500, or a RuleViolation. */
function asClientError(error: unknown): { status: number; body: unknown } | null {
  if (error instanceof HttpException && error.getStatus() < 500) {
    return { status: error.getStatus(), body: error.getResponse() };
  }
  if (error instanceof RuleViolation) {
    const problem = ruleViolationProblem(error);
    return { status: problem.status, body: problem };
  }
  return null;
}
