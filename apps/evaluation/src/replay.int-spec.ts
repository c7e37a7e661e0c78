/**
 * Replay determinism: scores depend only on the events and the manual values. Feed events
 * into one app, read its scores; then a fresh app, database and consumer group over the same
 * topics (the group deleted, so it starts from the beginning) must reach identical results,
 * although there the schemes are created while the history is being replayed.
 */
import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DubanEvent, Topics } from '@duban/contracts';
import { fullSchema } from '@duban/platform';
import {
  TestDatabase,
  createTestDatabase,
  eventually,
  startTestApp,
  tokens,
  unique,
} from '@duban/testing';
import { AppModule } from './app.module';
import { evaluationSchema } from './schema';
import {
  alert,
  alertRaised,
  alertResolved,
  enterpriseLifecycle,
  milestone,
  milestoneCompleted,
  milestoneScheduled,
  progressReport,
  sectionOpened,
} from './testing/events';
import { EvaluationHarness, startEvaluationApp, testRegion } from './testing/http';

const supervisor = tokens.supervisor('mubiaoban');
const region = testRegion();
const stats = tokens.department('STATS', region);
const neighbour = testRegion();
const suffix = unique();

const unitScheme = {
  code: `UNITS-${suffix}`,
  name: '县级部门考评',
  regionCode: region,
  period: '2026',
  subjectKind: 'unit',
  subjects: ['AGRI', 'ENV', 'WATER', 'DRC'].map((code) => ({ code, name: code })),
  indicators: [
    {
      code: 'INVESTMENT',
      name: '完成投资',
      unitOfMeasure: '万元',
      target: '10000.00',
      weight: 40,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 120 },
      source: { kind: 'event', measure: 'investment-completed' },
    },
    {
      code: 'ON-TIME',
      name: '节点按期完成率',
      unitOfMeasure: '%',
      target: 100,
      weight: 30,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 100 },
      source: { kind: 'event', measure: 'milestones-on-time' },
    },
    {
      code: 'GROWTH',
      name: '增速',
      unitOfMeasure: '%',
      target: 6,
      weight: 30,
      direction: 'higher-is-better',
      rule: { kind: 'rank', pointsPct: [100, 80, 60, 40] },
      source: { kind: 'manual', ownerUnit: 'STATS' },
    },
  ],
  deductions: [
    { code: 'ALERTS', name: '扣分', measure: 'open-major-alerts', pointsEach: 5, capPoints: 10 },
  ],
};

const regionScheme = {
  code: `REGIONS-${suffix}`,
  name: '全市县域考评',
  regionCode: '511100',
  period: '2026',
  subjectKind: 'region',
  subjects: [region, neighbour].map((code) => ({ code, name: code })),
  indicators: [
    {
      code: 'KM',
      name: '高速公路通车里程',
      unitOfMeasure: 'km',
      target: 10,
      weight: 100,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 120 },
      source: { kind: 'event', measure: 'expressway-km-opened' },
    },
    {
      code: 'ENTERPRISES',
      name: '投产企业数',
      unitOfMeasure: '家',
      target: 2,
      weight: 50,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 100 },
      source: { kind: 'event', measure: 'enterprises-in-production' },
    },
  ],
  deductions: [],
};

const growth = {
  values: [
    ['AGRI', 5.5],
    ['ENV', 6.1],
    ['WATER', 5.5],
    ['DRC', 3],
  ].map(([subject, value]) => ({ indicator: 'GROWTH', subject, value })),
};

const p1 = randomUUID();
const [m1, m2, a1] = [randomUUID(), randomUUID(), randomUUID()];
const duplicated = progressReport(region, { leadUnit: 'WATER', month: '2026-08', wan: '3000.00' });

/** Before the schemes exist in the first app. */
const early: [string, DubanEvent][] = [
  [
    Topics.projects,
    progressReport(region, { projectId: p1, leadUnit: 'AGRI', month: '2026-03', wan: '4000.00' }),
  ],
  [Topics.projects, progressReport(region, { leadUnit: 'ENV', month: '2026-04', wan: '12000.00' })],
  [
    Topics.projects,
    milestone(region, milestoneScheduled, {
      milestoneId: m1,
      ownerUnit: 'ENV',
      currentPlannedDate: '2026-05-31',
    }),
  ],
  [Topics.transport, sectionOpened(region, { leadUnit: 'DRC', lengthKm: 8 })],
];
const late: [string, DubanEvent][] = [
  [
    Topics.projects,
    progressReport(region, {
      projectId: p1,
      leadUnit: 'AGRI',
      month: '2026-03',
      wan: '4500.00',
      version: 2,
    }),
  ],
  // Stale: an older version after the correction changes nothing.
  [
    Topics.projects,
    progressReport(region, { projectId: p1, leadUnit: 'AGRI', month: '2026-03', wan: '1.00' }),
  ],
  [
    Topics.projects,
    milestone(region, milestoneCompleted, {
      milestoneId: m1,
      ownerUnit: 'ENV',
      currentPlannedDate: '2026-05-31',
      status: 'met',
      actualDate: '2026-05-30',
    }),
  ],
  [
    Topics.projects,
    milestone(region, milestoneScheduled, {
      milestoneId: m2,
      ownerUnit: 'WATER',
      currentPlannedDate: '2026-08-31',
    }),
  ],
  [
    Topics.projects,
    milestone(region, milestoneCompleted, {
      milestoneId: m2,
      ownerUnit: 'WATER',
      currentPlannedDate: '2026-08-31',
      status: 'met',
      actualDate: '2026-09-03',
    }),
  ],
  [Topics.transport, sectionOpened(neighbour, { leadUnit: 'DRC', lengthKm: 15 })],
  [
    Topics.alerts,
    alert(region, alertRaised, {
      alertId: a1,
      ownerUnit: 'AGRI',
      severity: 'major',
      state: 'open',
    }),
  ],
  [
    Topics.alerts,
    alert(region, alertRaised, { ownerUnit: 'ENV', severity: 'critical', state: 'open' }),
  ],
  [
    Topics.alerts,
    alert(region, alertResolved, {
      alertId: a1,
      ownerUnit: 'AGRI',
      severity: 'major',
      state: 'resolved',
    }),
  ],
  [Topics.projects, duplicated],
  [Topics.projects, duplicated],
  ...enterpriseLifecycle(region, 'in-production').map(
    (e) => [Topics.parks, e] as [string, DubanEvent],
  ),
  ...enterpriseLifecycle(neighbour, 'under-construction').map(
    (e) => [Topics.parks, e] as [string, DubanEvent],
  ),
];
const distinctEvents = new Set([...early, ...late].map(([, e]) => e.id)).size;

let first: EvaluationHarness;
let second: INestApplication | null = null;
let secondDb: TestDatabase | null = null;

afterAll(async () => {
  await second?.close();
  await secondDb?.drop();
  await first?.close();
});

type Server = Parameters<typeof request>[0];

async function setUpSchemes(server: Server): Promise<string[]> {
  const ids: string[] = [];
  for (const body of [unitScheme, regionScheme]) {
    const res = await request(server)
      .post('/api/v1/schemes')
      .auth(supervisor, { type: 'bearer' })
      .send(body);
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  await request(server)
    .post(`/api/v1/schemes/${ids[0]}/values`)
    .auth(stats, { type: 'bearer' })
    .send(growth)
    .expect(200);
  return ids;
}

/** Scores and rankings without the ids and times that differ between databases. */
async function results(server: Server, ids: string[]) {
  const out = [];
  for (const id of ids) {
    const scores = await request(server)
      .get(`/api/v1/schemes/${id}/scores`)
      .auth(supervisor, { type: 'bearer' });
    const rankings = await request(server)
      .get(`/api/v1/schemes/${id}/rankings`)
      .auth(supervisor, { type: 'bearer' });
    out.push({
      scores: scores.body.items.map(({ schemeId: _s, ...rest }: { schemeId: string }) => rest),
      ranking: rankings.body.ranking,
    });
  }
  return out;
}

const applied = async (ds: { query: (sql: string) => Promise<{ n: number }[]> }) =>
  (await ds.query('SELECT count(*)::int AS n FROM inbox'))[0].n;

it('reproduces the same scores and ranks from a full replay into an empty database', async () => {
  first = await startEvaluationApp();
  for (const [topic, event] of early) await first.publish(topic, event);
  await eventually(async () => (await first.applied()) >= early.length);
  const firstIds = await setUpSchemes(first.server());
  for (const [topic, event] of late) await first.publish(topic, event);
  await eventually(async () => (await first.applied()) >= distinctEvents);
  const expected = await results(first.server(), firstIds);

  // The story the events tell, so the comparison below is about something: ENV 12000 万元
  // (capped 48) + on time 1/1 (30) + first on growth (30) − an open critical alert (5) = 103;
  // AGRI's corrected 4500 (18) + second on growth (24), its alert resolved; WATER 3000 (12),
  // met late (0), tied second on growth (24); DRC last on growth (12).
  expect(
    expected[0].ranking.map((r: { subject: string; total: number }) => [r.subject, r.total]),
  ).toEqual([
    ['ENV', 103],
    ['AGRI', 42],
    ['WATER', 36],
    ['DRC', 12],
  ]);
  // Region: 8 km of 10 (80) + 1 enterprise in production of 2 (25); the neighbour: 15 km
  // (capped at 120 % of the weight: 120) and none in production yet.
  expect(
    expected[1].ranking.map((r: { subject: string; total: number }) => [r.subject, r.total]),
  ).toEqual([
    [neighbour, 120],
    [region, 105],
  ]);

  // Stop the first app, keep its topics, and let a fresh consumer group start from the beginning.
  const { topics } = first.service;
  await first.service.app.close();
  const admin = topics.kafka.admin();
  await admin.connect();
  await admin.deleteGroups([`${topics.config.topicPrefix}duban-evaluation`]);
  await admin.disconnect();

  secondDb = await createTestDatabase('evaluation', fullSchema(evaluationSchema));
  second = await startTestApp(AppModule, {
    DUBAN_EVALUATION_DB: secondDb.config.database,
    DUBAN_EVALUATION_PORT: '0',
    DUBAN_TOPIC_PREFIX: topics.config.topicPrefix,
  });

  const secondIds = await setUpSchemes(second.getHttpServer());
  await eventually(async () => (await applied(secondDb!.dataSource)) >= distinctEvents, 30000);
  expect(await applied(secondDb.dataSource)).toBe(distinctEvents);
  expect(await results(second.getHttpServer(), secondIds)).toEqual(expected);
});
