import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { Observable } from 'rxjs';
import { RuleViolation } from '@duban/contracts';
import { RethrowEventErrors, classifyFailure } from '@duban/messaging';
import { PROBLEM_CONTENT_TYPE, Problem } from './problem';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  503: 'Service unavailable',
};

/** Every HTTP error leaves as problem+json; nothing else (no stack, no framework shape). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');
  private readonly eventErrors = new RethrowEventErrors();

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Kafka handlers: DubanKafkaServer needs the original error to retry or dead-letter.
    if (host.getType() !== 'http') return this.eventErrors.catch(exception, host);
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = req.originalUrl;
    if (problem.status === HttpStatus.SERVICE_UNAVAILABLE) res.setHeader('Retry-After', '5');
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (exception instanceof RuleViolation) return ruleViolationProblem(exception);
    const duplicate = uniqueViolation(exception);
    if (duplicate) {
      // Usually two requests racing past a check; if not, a bug: it must show in the logs.
      this.logger.warn(`unique violation answered 409: ${(exception as Error).message}`);
      return duplicate;
    }
    if (driverCode(exception) === NUMERIC_OUT_OF_RANGE) {
      // A body schema let through a number its column cannot hold: still the client's 400,
      // but the schema wants a bound (contracts' Count, Version), hence the warning.
      this.logger.warn(`out-of-range value answered 400: ${(exception as Error).message}`);
      return {
        type: 'urn:duban:problem:validation',
        title: TITLES[400],
        status: 400,
        detail: 'a number is too large or too small to be stored',
      };
    }
    if (isUnavailable(exception)) {
      return {
        type: 'urn:duban:problem:unavailable',
        title: TITLES[503],
        status: 503,
        detail: 'a dependency is down; retry later',
      };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { type: 'about:blank', title: 'Internal server error', status: 500 };
  }
}

function fromHttpException(e: HttpException): Problem {
  const status = e.getStatus();
  const body = e.getResponse();
  if (typeof body === 'object' && body !== null && 'type' in body) return { ...(body as Problem) };
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  // Nest's body parser errors (malformed JSON) arrive as plain 400s.
  const detail = Array.isArray(message)
    ? message.join('; ')
    : typeof message === 'string'
      ? message
      : e.message;
  return { type: 'about:blank', title: TITLES[status] ?? e.name, status, detail };
}

const RULE_STATUS = { conflict: 409, invalid: 400, 'not-found': 404, forbidden: 403 } as const;

/**
 * A refused business rule: 409 for a state conflict, 400 for bad values, 404 for a missing
 * record, 403 for a caller who may not do this.
 */
export function ruleViolationProblem(e: RuleViolation): Problem {
  const status = RULE_STATUS[e.kind];
  return {
    ...e.details,
    type: `urn:duban:problem:${e.kind}`,
    title: TITLES[status],
    status,
    detail: e.message,
  };
}

/**
 * Two requests racing past a service's own "already exists" check meet at the unique index:
 * the loser is told it conflicts (409), as it would have been a moment later, not a 500.
 */
function uniqueViolation(e: unknown): Problem | null {
  const driverError = (e as { driverError?: { code?: string; detail?: string } })?.driverError;
  if (driverCode(e) !== UNIQUE_VIOLATION) return null;
  // PostgreSQL's detail names the columns and values: "Key (region_code, name)=(…) already exists."
  const key = /^Key \((.+)\)=\((.*)\) already exists\.$/.exec(driverError?.detail ?? '');
  return {
    type: 'urn:duban:problem:conflict',
    title: TITLES[409],
    status: 409,
    detail: key ? `${key[1]} ${key[2]} is already taken` : 'such a record already exists',
  };
}

const UNIQUE_VIOLATION = '23505';
const NUMERIC_OUT_OF_RANGE = '22003';

/** The SQLSTATE of a failed query, if that is what `e` is. */
function driverCode(e: unknown): string | undefined {
  if (!(e instanceof QueryFailedError)) return undefined;
  return (e as { driverError?: { code?: string } }).driverError?.code;
}

/** The same rule the consumer retries by: a dependency down or busy is the client's 503. */
function isUnavailable(e: unknown): boolean {
  return classifyFailure(e).class === 'transient';
}
