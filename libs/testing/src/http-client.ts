/** HTTP helpers for integration tests: tokens per role, bearer requests, unique names, dates. */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { chinaDate, chinaMonth } from '@duban/contracts';
import { Role, authSecretFrom, signToken } from '@duban/auth';

const secret = authSecretFrom();

/** The county most tests write in; a department token must name its region. */
export const TEST_REGION = '511112';

export const tokens = {
  department: (unit: string, region = TEST_REGION): string =>
    signToken({ subject: `dept-${unit.toLowerCase()}`, role: 'department', unit, region }, secret),
  supervisor: (subject = 'duchashi'): string => signToken({ subject, role: 'supervisor' }, secret),
  admin: (): string => signToken({ subject: 'admin', role: 'admin' }, secret),
  as: (role: Role, subject: string, unit?: string, region?: string): string =>
    signToken(
      { subject, role, unit, region: region ?? (role === 'department' ? TEST_REGION : undefined) },
      secret,
    ),
};

/** Requests carrying a bearer token (or none, for the 401 cases). */
export function api(server: () => Server, token?: string) {
  const auth = (t: request.Test): request.Test => (token ? t.auth(token, { type: 'bearer' }) : t);
  return {
    get: (url: string) => auth(request(server()).get(url)),
    post: (url: string, body: object = {}) => auth(request(server()).post(url)).send(body),
    patch: (url: string, body: object = {}) => auth(request(server()).patch(url)).send(body),
  };
}

/** A short random suffix, so each test's codes, names and units are its own. */
export const unique = (): string => randomBytes(3).toString('hex').toUpperCase();

/** China's calendar date `days` from today (negative: in the past). */
export function chinaDay(days: number): string {
  const today = Date.parse(`${chinaDate(new Date())}T00:00:00Z`);
  return new Date(today + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** China's month `months` from this one, as YYYY-MM. */
export function chinaMonthFrom(months: number): string {
  const [y, m] = chinaMonth(new Date()).split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return d.toISOString().slice(0, 7);
}
