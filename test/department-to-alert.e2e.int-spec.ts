import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { authSecretFrom, signToken } from '@duban/auth';
import { ProjectEventTypes, Topics, chinaDate, createEvent } from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { fullSchema } from '@duban/platform';
import {
  TestDatabase,
  TestTopics,
  TsProcess,
  createTestDatabase,
  createTestTopics,
  eventually,
  signedIngestMessage,
  startTsProcess,
} from '@duban/testing';
import { evaluationSchema } from '../apps/evaluation/src/schema';
import { projectsSchema } from '../apps/projects/src/schema';
import { schedulerSchema } from '../apps/scheduler/src/schema';

/**
 * End to end, as people use it: the projects, scheduler and evaluation services run as their
 * own processes; a department system publishes an update on the ingest topic; a supervisor
 * then finds the alert over HTTP, and the unit's evaluation score has taken the deduction the
 * scheme declares for an open major alert.
 */
const PROJECTS = 'http://127.0.0.1:14001';
const EVALUATION = 'http://127.0.0.1:14004';
const SCHEDULER = 'http://127.0.0.1:14005';
const secret = authSecretFrom();
const agri = signToken(
  { subject: 'agri-system', role: 'department', unit: 'AGRI', region: '511112' },
  secret,
);
const supervisor = signToken({ subject: 'duchashi', role: 'supervisor' }, secret);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON answers
type Json = Record<string, any>;

let topics: TestTopics;
let dbs: TestDatabase[] = [];
let services: TsProcess[] = [];
let producer: Producer;

async function call(
  url: string,
  token: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    ...init,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(init.headers ?? {}),
    },
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}

beforeAll(async () => {
  topics = await createTestTopics('e2e');
  dbs = await Promise.all([
    createTestDatabase('e2e_projects', fullSchema(projectsSchema)),
    createTestDatabase('e2e_scheduler', fullSchema(schedulerSchema)),
    createTestDatabase('e2e_evaluation', fullSchema(evaluationSchema)),
  ]);
  const common = {
    DUBAN_TOPIC_PREFIX: topics.config.topicPrefix,
    DUBAN_REDIS_PREFIX: `e2e-${randomUUID()}`,
    DUBAN_LOG_LEVEL: 'info',
  };
  services = [
    startTsProcess('apps/projects/src/main.ts', {
      ...common,
      DUBAN_PROJECTS_PORT: '14001',
      DUBAN_PROJECTS_DB: dbs[0].config.database,
    }),
    startTsProcess('apps/scheduler/src/main.ts', {
      ...common,
      DUBAN_SCHEDULER_PORT: '14005',
      DUBAN_SCHEDULER_DB: dbs[1].config.database,
    }),
    startTsProcess('apps/evaluation/src/main.ts', {
      ...common,
      DUBAN_EVALUATION_PORT: '14004',
      DUBAN_EVALUATION_DB: dbs[2].config.database,
    }),
  ];
  await Promise.all(
    services.map((s) => s.waitForLine(/Nest application successfully started/, 90000)),
  );
  producer = createIdempotentProducer(topics.kafka);
  await producer.connect();
}, 120000);

afterAll(async () => {
  await producer?.disconnect();
  await Promise.all(services.map((s) => s.kill('SIGTERM')));
  for (const db of dbs) await db.drop();
  await topics?.drop();
});

/** This year's unit scheme: punctuality, minus 2 points per open major alert (at most 10). */
async function createScheme(): Promise<string> {
  const scheme = await call(`${EVALUATION}/api/v1/schemes`, supervisor, {
    method: 'POST',
    body: JSON.stringify({
      code: 'E2E-2026',
      name: '年度目标绩效考评',
      regionCode: '511112',
      period: chinaDate(new Date()).slice(0, 4),
      subjectKind: 'unit',
      subjects: [
        { code: 'AGRI', name: '农业农村局' },
        { code: 'WATER', name: '水利局' },
      ],
      indicators: [
        {
          code: 'ON-TIME',
          name: '重点工作按期完成率',
          unitOfMeasure: '%',
          target: 100,
          weight: 100,
          direction: 'higher-is-better',
          rule: { kind: 'linear', capPct: 100 },
          source: { kind: 'event', measure: 'milestones-on-time' },
        },
      ],
      deductions: [
        {
          code: 'MAJOR-ALERTS',
          name: '重大督办提醒扣分',
          measure: 'open-major-alerts',
          pointsEach: 2,
          capPoints: 10,
        },
      ],
    }),
  });
  expect(scheme.status).toBe(201);
  return scheme.body.id as string;
}

const scoreOf = async (schemeId: string, unit: string): Promise<Json | undefined> =>
  (
    (await call(`${EVALUATION}/api/v1/schemes/${schemeId}/scores`, supervisor)).body?.items as
      Json[] | undefined
  )?.find((s) => s.subject === unit);

it('a forecast a department publishes on Kafka becomes a forecast-slip alert a supervisor can read, and a deduction on its unit score', async () => {
  const schemeId = await createScheme();
  const project = await call(`${PROJECTS}/api/v1/projects`, agri, {
    method: 'POST',
    body: JSON.stringify({
      code: 'E2E-1',
      name: 'XX遂内铁路配套产业园',
      category: 'industry',
      level: 'provincial',
      leadUnit: 'AGRI',
      responsibleLeader: '王副县长',
      township: '青富镇',
      regionCode: '511112',
      totalPlannedInvestmentWan: '80000.00',
      annualPlannedInvestmentWan: '20000.00',
      plannedStartDate: '2026-01-01',
      plannedEndDate: '2027-12-31',
    }),
  });
  expect(project.status).toBe(201);
  const planned = chinaDate(new Date(Date.now() + 20 * 86_400_000));
  const milestone = await call(`${PROJECTS}/api/v1/projects/${project.body.id}/milestones`, agri, {
    method: 'POST',
    body: JSON.stringify({ name: '完成工可批复', ownerUnit: 'AGRI', plannedDate: planned }),
  });
  expect(milestone.status).toBe(201);

  // The department's own system, not our HTTP API: a signed CloudEvent on the ingest topic.
  const forecast = chinaDate(new Date(Date.now() + 60 * 86_400_000));
  const update = createEvent({
    type: ProjectEventTypes.ingestForecastReported,
    service: 'agri-system',
    subject: milestone.body.id,
    region: '511112',
    data: { projectId: project.body.id, milestoneId: milestone.body.id, forecastDate: forecast },
  });
  await producer.send({
    topic: topics.name(Topics.projectsIngest),
    messages: [signedIngestMessage(update, { unit: 'AGRI', region: '511112' })],
  });

  let alerts: Json[] = [];
  await eventually(
    async () => {
      alerts =
        (await call(`${SCHEDULER}/api/v1/alerts?state=open&rule=forecast-slip`, supervisor)).body
          ?.items ?? [];
      return alerts.some((a) => a.milestoneId === milestone.body.id);
    },
    30000,
    'forecast-slip alert at the scheduler',
  );
  expect(alerts.find((a) => a.milestoneId === milestone.body.id)).toMatchObject({
    rule: 'forecast-slip',
    severity: 'major',
    ownerUnit: 'AGRI',
    subjectId: project.body.id,
    forecastDate: forecast,
    currentPlannedDate: planned,
  });

  // The alert reached the evaluation service through duban.alerts.v1: AGRI lost 2 points.
  let agriScore: Json | undefined;
  await eventually(
    async () => {
      agriScore = await scoreOf(schemeId, 'AGRI');
      return agriScore?.deductionPoints === 2;
    },
    30000,
    'the open major alert deducted from AGRI',
  );
  expect(agriScore).toMatchObject({
    total: -2,
    indicatorPoints: 0,
    deductions: [{ code: 'MAJOR-ALERTS', count: 1, points: 2 }],
  });
  expect(await scoreOf(schemeId, 'WATER')).toMatchObject({ total: 0, deductionPoints: 0 });
});
