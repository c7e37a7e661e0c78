/**
 * Shared setup for the projects service's integration tests: the real app on a database and
 * topics of its own, one reader of duban.projects.v1, tokens, and helpers to find the events a
 * change published. Test-only: imported by *.int-spec.ts files, never by the app.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { DubanEvent, Topics, chinaDate, chinaMonth } from '@duban/contracts';
import { Role, authSecretFrom, signToken } from '@duban/auth';
import { TestServiceApp, TopicReader, eventually, startServiceApp } from '@duban/testing';
import { projectsSchema } from '../schema';

export const REGION = '511112';

export interface ReadEvent<T> {
  key: string | null;
  event: DubanEvent<T>;
}

export interface ProjectsHarness {
  service: TestServiceApp;
  reader: TopicReader;
  server(): Server;
  /**
   * Waits until every event the app has written to its outbox so far was published and read,
   * so a test can then assert exact counts (a duplicate or a stray event would show).
   */
  delivered(): Promise<void>;
  /** Events of `type` about `subject` read so far, in the order they were read. */
  events<T = Record<string, unknown>>(type: string, subject: string): ReadEvent<T>[];
  close(): Promise<void>;
}

export async function startProjectsApp(): Promise<ProjectsHarness> {
  const service = await startServiceApp(
    'projects',
    projectsSchema,
    async () => (await import('../app.module')).AppModule,
  );
  const reader = await new TopicReader(service.topics.kafka, [
    service.topics.name(Topics.projects),
  ]).start();
  const ds = service.db.dataSource;
  const count = async (where: string): Promise<number> => {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE ${where}`, [
      Topics.projects,
    ]);
    return n;
  };
  return {
    service,
    reader,
    server: () => service.app.getHttpServer(),
    async delivered() {
      await eventually(
        async () => (await count('topic = $1 AND published_at IS NULL')) === 0,
        20000,
        'outbox drained',
      );
      const published = await count('topic = $1');
      await reader.waitFor((ms) => ms.length >= published, 20000);
    },
    events<T>(type: string, subject: string): ReadEvent<T>[] {
      return reader.messages
        .map((m) => ({ key: m.key, event: m.json<DubanEvent<T>>() }))
        .filter(({ event }) => event.type === type && event.subject === subject);
    },
    async close() {
      await reader.stop();
      await service.close();
    },
  };
}

const secret = authSecretFrom();

export const tokens = {
  department: (unit: string): string =>
    signToken({ subject: `dept-${unit.toLowerCase()}`, role: 'department', unit }, secret),
  supervisor: (subject = 'duchashi'): string => signToken({ subject, role: 'supervisor' }, secret),
  admin: (): string => signToken({ subject: 'admin', role: 'admin' }, secret),
  as: (role: Role, subject: string, unit?: string): string =>
    signToken({ subject, role, ...(unit ? { unit } : {}) }, secret),
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

export function projectBody(overrides: Record<string, unknown> = {}) {
  const suffix = unique();
  return {
    code: `XM-${suffix}`,
    name: `生猪种业产业园 ${suffix}`,
    category: 'agriculture',
    level: 'national',
    leadUnit: 'AGRI',
    responsibleLeader: '张副县长',
    township: '青富镇',
    regionCode: REGION,
    totalPlannedInvestmentWan: '120000.00',
    annualPlannedInvestmentWan: '30000.00',
    plannedStartDate: '2024-03-01',
    plannedEndDate: '2026-12-31',
    tags: ['3+2 agriculture'],
    ...overrides,
  };
}

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
