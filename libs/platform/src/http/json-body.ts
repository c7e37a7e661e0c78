import { HttpException } from '@nestjs/common';
import { json } from 'express';
import type { RequestHandler } from 'express';
import { Problem } from './problem';

/**
 * Far deeper than any Duban body (three or four levels), far shallower than what overflows
 * the stack of a recursive walk (JSON.stringify, a hash of the body): 10,000 nested arrays
 * parse fine and then turn the first such walk into a 500.
 */
export const MAX_JSON_DEPTH = 32;

const [OPEN_ARRAY, OPEN_OBJECT, CLOSE_ARRAY, CLOSE_OBJECT, QUOTE, BACKSLASH] = [
  0x5b, 0x7b, 0x5d, 0x7d, 0x22, 0x5c,
];

/** body-parser's errors carry a `type`; ours too, so one mapping answers them all. */
interface BodyError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

/**
 * express's JSON parser with a size limit and a nesting limit, whose refusals are problem
 * details (413 too large, 400 not JSON or too deep) instead of framework errors or a 500.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = json({ limit: limitBytes, verify: (_req, _res, buf) => refuseDeepNesting(buf) });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) =>
      next(error ? bodyProblem(error as BodyError, limitBytes) : undefined),
    );
}

/** One pass over the raw bytes, before JSON.parse builds anything. */
export function refuseDeepNesting(buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const byte = buf[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > MAX_JSON_DEPTH) throw tooDeep();
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) depth--;
  }
}

function tooDeep(): BodyError {
  return Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), {
    type: 'entity.too.deep',
    status: 400,
  });
}

function bodyProblem(error: BodyError, limitBytes: number): unknown {
  const problem = problemFor(error, limitBytes);
  return problem ? new HttpException(problem, problem.status) : error;
}

function problemFor(error: BodyError, limitBytes: number): Problem | null {
  switch (error.type) {
    case 'entity.too.large':
      return {
        type: 'urn:duban:problem:body-too-large',
        title: 'Content too large',
        status: 413,
        detail: `the request body is larger than the limit of ${limitBytes / 1024} kB`,
        limitBytes,
      };
    case 'entity.parse.failed':
      return malformed(`the body is not valid JSON: ${error.message}`);
    case 'entity.too.deep':
      return malformed(error.message);
    default:
      // Other client faults body-parser names (unsupported charset, aborted request).
      if (error.expose && error.status && error.status < 500) {
        const title = error.status === 415 ? 'Unsupported media type' : 'Invalid request';
        return { type: 'about:blank', title, status: error.status, detail: error.message };
      }
      return null;
  }
}

const malformed = (detail: string): Problem => ({
  type: 'urn:duban:problem:malformed-body',
  title: 'Invalid request',
  status: 400,
  detail,
});
