import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Admin } from 'kafkajs';
import { authSecretFrom, signToken } from '@duban/auth';
import {
  ChangeRequestEventTypes,
  MilestoneEventTypes,
  Topics,
  chinaDate,
  dlqTopic,
} from '@duban/contracts';
import { fullSchema } from '@duban/platform';
import {
  TestDatabase,
  TestTopics,
  ReadMessage,
  TopicReader,
  TsProcess,
  createTestDatabase,
  createTestTopics,
  eventually,
  startTsProcess,
  unique,
} from '@duban/testing';
import { projectsSchema } from '../../apps/projects/src/schema';
import { schedulerSchema } from '../../apps/scheduler/src/schema';

/**
 * The closed loop (督办闭环, issue 12) across services: the projects service and the scheduler
 * run as their own processes. A lead unit cannot clear its own overdue alert by rescheduling: the
 * reschedule is a change request, the alert stays open until a supervisor of the region approves,
 * and a rejected request changes neither the milestone nor the alert.
 */
let PROJECTS = '';
let SCHEDULER = '';
const REGION = '511112';
const secret = authSecretFrom();
const supervisor = signToken({ subject: 'duchashi', role: 'supervisor', region: REGION }, secret);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON answers
type Json = Record<string, any>;

let topics: TestTopics;
let dbs: TestDatabase[] = [];
let services: TsProcess[] = [];
let projectsTopic: TopicReader;
let admin: Admin;

async function call(
  url: string,
  token: string,
  body?: object,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}

const day = (offset: number) => chinaDate(new Date(Date.now() + offset * 86_400_000));

/** A port nobody listens on now: fixed ports clash with other suites' stacks. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  const [projectsPort, schedulerPort] = [await freePort(), await freePort()];
  PROJECTS = `http://127.0.0.1:${projectsPort}`;
  SCHEDULER = `http://127.0.0.1:${schedulerPort}`;
  topics = await createTestTopics('closed-loop');
  dbs = await Promise.all([
    createTestDatabase('cl_projects', fullSchema(projectsSchema)),
    createTestDatabase('cl_scheduler', fullSchema(schedulerSchema)),
  ]);
  const common = {
    DUBAN_TOPIC_PREFIX: topics.config.topicPrefix,
    DUBAN_REDIS_PREFIX: `cl-${randomUUID()}`,
    DUBAN_LOG_LEVEL: 'info',
  };
  services = [
    startTsProcess('apps/projects/src/main.ts', {
      ...common,
      DUBAN_PROJECTS_PORT: String(projectsPort),
      DUBAN_PROJECTS_DB: dbs[0].config.database,
    }),
    startTsProcess('apps/scheduler/src/main.ts', {
      ...common,
      DUBAN_SCHEDULER_PORT: String(schedulerPort),
      DUBAN_SCHEDULER_DB: dbs[1].config.database,
    }),
  ];
  await Promise.all(
    services.map((s) => s.waitForLine(/Nest application successfully started/, 90000)),
  );
  projectsTopic = await new TopicReader(topics.kafka, [topics.name(Topics.projects)]).start();
  admin = topics.kafka.admin();
  await admin.connect();
}, 120000);

afterAll(async () => {
  await admin?.disconnect();
  await projectsTopic?.stop();
  await Promise.all(services.map((s) => s.kill('SIGTERM')));
  for (const db of dbs) await db.drop();
  await topics?.drop();
});

/** A county key project of its own lead unit, with one milestone three days overdue. */
async function overdueMilestone(unit: string) {
  const token = signToken(
    { subject: `${unit}-system`, role: 'department', unit, region: REGION },
    secret,
  );
  const project = await call(`${PROJECTS}/api/v1/projects`, token, {
    code: `CL-${unique()}`,
    name: `县级重点项目 ${unique()}`,
    category: 'industry',
    level: 'county',
    leadUnit: unit,
    responsibleLeader: '王副县长',
    township: '青富镇',
    regionCode: REGION,
    totalPlannedInvestmentWan: '8000.00',
    annualPlannedInvestmentWan: '2000.00',
    plannedStartDate: '2026-01-01',
    plannedEndDate: '2027-12-31',
  });
  expect(project.status).toBe(201);
  const url = `${PROJECTS}/api/v1/projects/${project.body.id}/milestones`;
  const m = await call(url, token, { name: '主体完工', ownerUnit: unit, plannedDate: day(-3) });
  expect(m.status).toBe(201);
  return { token, id: m.body.id as string, url: `${url}/${m.body.id}`, list: url };
}

/** The scheduler's alert on the milestone, once there is one. */
async function alertOf(unit: string, milestoneId: string): Promise<Json | undefined> {
  const res = await call(`${SCHEDULER}/api/v1/alerts?unit=${unit}&rule=overdue`, supervisor);
  expect(res.status).toBe(200);
  return (res.body?.items as Json[] | undefined)?.find((a) => a.milestoneId === milestoneId);
}

async function waitForAlert(unit: string, milestoneId: string, state: string): Promise<Json> {
  let alert: Json | undefined;
  await eventually(
    async () => (alert = await alertOf(unit, milestoneId))?.state === state,
    30000,
    `the overdue alert ${state} at the scheduler`,
  );
  return alert!;
}

/**
 * The barrier: the projects service published `type` about the milestone, and the scheduler's
 * consumer group has committed past it, so whatever it did with it is done.
 */
async function schedulerConsumed(type: string, milestoneId: string): Promise<void> {
  const isIt = (m: ReadMessage) => m.key === milestoneId && m.json<Json>().type === type;
  const event = (await projectsTopic.waitFor((ms) => ms.some(isIt), 20000)).find(isIt)!;
  const groupId = `${topics.config.topicPrefix}duban-scheduler`;
  await eventually(
    async () => {
      const [committed] = await admin.fetchOffsets({
        groupId,
        topics: [topics.name(Topics.projects)],
      });
      const p = committed.partitions.find((x) => x.partition === event.partition);
      return p !== undefined && BigInt(p.offset) > BigInt(event.offset);
    },
    20000,
    `the scheduler consumed ${type}`,
  );
}

/** Nothing the scheduler read from the projects topic was dead-lettered. */
async function deadLetters(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topics.name(dlqTopic(Topics.projects)));
  return offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
}

it('a lead unit’s reschedule leaves the overdue alert open until a supervisor approves it', async () => {
  const unit = `CL-${unique()}`;
  const m = await overdueMilestone(unit);
  const opened = await waitForAlert(unit, m.id, 'open');
  expect(opened).toMatchObject({ currentPlannedDate: day(-3) });

  const asked = await call(`${m.url}/reschedule`, m.token, {
    plannedDate: day(30),
    reason: '用地报批延后',
  });
  expect(asked.status).toBe(202);
  expect(asked.body).toMatchObject({ state: 'requested', proposedDate: day(30) });
  await schedulerConsumed(ChangeRequestEventTypes.requested, m.id);
  expect(await alertOf(unit, m.id)).toMatchObject({
    id: opened.id,
    state: 'open',
    resolution: null,
  });
  expect(await deadLetters()).toBe(0);

  // The lead unit may not approve its own request.
  const own = await call(
    `${PROJECTS}/api/v1/change-requests/${asked.body.id}/approve`,
    m.token,
    {},
  );
  expect(own.status).toBe(403);

  const approved = await call(
    `${PROJECTS}/api/v1/change-requests/${asked.body.id}/approve`,
    supervisor,
    { note: '同意延期' },
  );
  expect(approved.status).toBe(200);
  const resolved = await waitForAlert(unit, m.id, 'resolved');
  expect(resolved).toMatchObject({ id: opened.id, resolution: 'rescheduled' });
  await schedulerConsumed(MilestoneEventTypes.rescheduled, m.id);
  expect(await deadLetters()).toBe(0);
}, 90000);

it('a rejected request changes nothing: the milestone keeps its date and the alert stays open', async () => {
  const unit = `CL-${unique()}`;
  const m = await overdueMilestone(unit);
  const opened = await waitForAlert(unit, m.id, 'open');

  const asked = await call(`${m.url}/reschedule`, m.token, {
    plannedDate: day(30),
    reason: '资金未到位',
  });
  expect(asked.status).toBe(202);
  const rejected = await call(
    `${PROJECTS}/api/v1/change-requests/${asked.body.id}/reject`,
    supervisor,
    { note: '理由不充分，请按原计划推进' },
  );
  expect(rejected.status).toBe(200);
  expect(rejected.body).toMatchObject({ state: 'rejected' });
  await schedulerConsumed(ChangeRequestEventTypes.rejected, m.id);

  const milestones = await call(m.list, m.token);
  expect(milestones.body.find((x: Json) => x.id === m.id)).toMatchObject({
    currentPlannedDate: day(-3),
    overdue: true,
    version: 1,
  });
  expect(await alertOf(unit, m.id)).toMatchObject({
    id: opened.id,
    state: 'open',
    resolution: null,
    currentPlannedDate: day(-3),
  });
  expect(
    projectsTopic.messages.filter((msg) => msg.key === m.id).map((msg) => msg.json<Json>().type),
  ).toEqual([
    MilestoneEventTypes.scheduled,
    ChangeRequestEventTypes.requested,
    ChangeRequestEventTypes.rejected,
  ]);
  expect(await deadLetters()).toBe(0);
}, 90000);
