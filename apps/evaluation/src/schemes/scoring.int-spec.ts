import { Clock } from '@duban/platform';
import { randomUUID } from 'node:crypto';
import {
  EvaluationEventTypes,
  ParksEventTypes,
  RankingPublishedData,
  ScoreChangedData,
  Topics,
} from '@duban/contracts';
import {
  EvaluationHarness,
  api,
  eventOf,
  eventually,
  startEvaluationApp,
  testRegion,
  tokens,
  unique,
} from '../testing/http';
import {
  alert,
  alertRaised,
  enterpriseLifecycle,
  milestone,
  milestoneCompleted,
  milestoneScheduled,
  progressReport,
  sectionOpened,
} from '../testing/events';

let h: EvaluationHarness;
const supervisor = () => api(() => h.server(), tokens.supervisor('mubiaoban'));

beforeAll(async () => {
  h = await startEvaluationApp();
});

afterEach(() => jest.restoreAllMocks());

afterAll(async () => {
  await h?.close();
});

/** Three units on investment (events, 万元), milestone punctuality, expressway km, alert deductions. */
function schemeBody(region: string) {
  return {
    code: `S-${unique()}`,
    name: '2026年度目标绩效考评',
    regionCode: region,
    period: '2026',
    subjectKind: 'unit',
    subjects: [
      { code: 'AGRI', name: '农业农村局' },
      { code: 'ENV', name: '生态环境局' },
      { code: 'WATER', name: '水务局' },
    ],
    indicators: [
      {
        code: 'INVESTMENT',
        name: '完成投资',
        unitOfMeasure: '万元',
        target: '10000.00',
        weight: 50,
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
        code: 'KM',
        name: '高速公路通车里程',
        unitOfMeasure: 'km',
        target: 10,
        weight: 20,
        direction: 'higher-is-better',
        rule: { kind: 'threshold' },
        source: { kind: 'event', measure: 'expressway-km-opened' },
      },
    ],
    deductions: [
      {
        code: 'MAJOR-ALERTS',
        name: '重大督办提醒扣分',
        measure: 'open-major-alerts',
        pointsEach: 5,
        capPoints: 10,
      },
    ],
  };
}

async function createScheme(body: object): Promise<string> {
  const res = await supervisor().post('/api/v1/schemes', body).expect(201);
  return res.body.id;
}

const totals = async (schemeId: string): Promise<Record<string, number>> => {
  const res = await supervisor().get(`/api/v1/schemes/${schemeId}/scores`).expect(200);
  return Object.fromEntries(
    res.body.items.map((s: { subject: string; total: number }) => [s.subject, s.total]),
  );
};

async function waitForTotals(schemeId: string, expected: Record<string, number>): Promise<void> {
  let last: Record<string, number> = {};
  await eventually(
    async () => {
      last = await totals(schemeId);
      return JSON.stringify(last) === JSON.stringify({ ...last, ...expected });
    },
    20000,
    `totals ${JSON.stringify(expected)}`,
  ).catch((err) => {
    throw new Error(`${(err as Error).message}; last seen ${JSON.stringify(last)}`);
  });
}

describe('scores and rankings from the other services’ events', () => {
  it('moves actuals, scores and ranks as events arrive, publishing exactly what changed', async () => {
    const region = testRegion();
    const schemeId = await createScheme(schemeBody(region));
    const projectId = randomUUID();

    await h.publish(
      Topics.projects,
      progressReport(region, { projectId, leadUnit: 'AGRI', month: '2026-07', wan: '6000.00' }),
    );
    await waitForTotals(schemeId, { AGRI: 30, ENV: 0, WATER: 0 });

    // A correction replaces its month: 8000, not 14000.
    await h.publish(
      Topics.projects,
      progressReport(region, {
        projectId,
        leadUnit: 'AGRI',
        month: '2026-07',
        wan: '8000.00',
        version: 2,
      }),
    );
    await waitForTotals(schemeId, { AGRI: 40 });

    const m1 = randomUUID();
    await h.publish(
      Topics.projects,
      milestone(region, milestoneScheduled, { milestoneId: m1, ownerUnit: 'ENV' }),
    );
    await eventually(async () => {
      const res = await supervisor().get(`/api/v1/schemes/${schemeId}/scores`).expect(200);
      const env = res.body.items.find((s: { subject: string }) => s.subject === 'ENV');
      return env.results[1].actual === 0;
    });
    await h.publish(
      Topics.projects,
      milestone(region, milestoneCompleted, {
        milestoneId: m1,
        ownerUnit: 'ENV',
        status: 'met',
        actualDate: '2026-06-28',
      }),
    );
    await waitForTotals(schemeId, { ENV: 30 });

    await h.publish(Topics.transport, sectionOpened(region, { leadUnit: 'WATER', lengthKm: 12.5 }));
    await h.publish(
      Topics.transport,
      sectionOpened(region, { leadUnit: 'AGRI', lengthKm: 30, kind: 'railway' }),
    );
    await waitForTotals(schemeId, { WATER: 20 });

    await h.publish(
      Topics.alerts,
      alert(region, alertRaised, { ownerUnit: 'AGRI', severity: 'major', state: 'open' }),
    );
    await waitForTotals(schemeId, { AGRI: 35 });
    await h.publish(
      Topics.alerts,
      alert(region, alertRaised, { ownerUnit: 'AGRI', severity: 'critical', state: 'open' }),
    );
    await waitForTotals(schemeId, { AGRI: 30, ENV: 30, WATER: 20 });

    const scores = await supervisor().get(`/api/v1/schemes/${schemeId}/scores`).expect(200);
    expect(scores.body).toMatchObject({ schemeId, status: 'open', lateEventCount: 0 });
    expect(scores.body.items[0]).toMatchObject({
      rank: 1,
      subject: 'AGRI',
      name: '农业农村局',
      total: 30,
      indicatorPoints: 40,
      deductionPoints: 10,
      results: [
        { code: 'INVESTMENT', actual: '8000.00', completionPct: 80, score: 40 },
        { code: 'ON-TIME', actual: null, completionPct: null, score: 0 },
        // The railway section is outside the expressway filter.
        { code: 'KM', actual: 0, completionPct: 0, score: 0 },
      ],
      deductions: [{ code: 'MAJOR-ALERTS', count: 2, points: 10 }],
    });
    const rankings = await api(() => h.server(), tokens.department('WATER', region))
      .get(`/api/v1/schemes/${schemeId}/rankings`)
      .expect(200);
    expect(rankings.body.ranking).toEqual([
      { rank: 1, subject: 'AGRI', name: '农业农村局', total: 30 },
      { rank: 1, subject: 'ENV', name: '生态环境局', total: 30 },
      { rank: 3, subject: 'WATER', name: '水务局', total: 20 },
    ]);

    await h.delivered();
    const changed = (subject: string) =>
      h
        .events<ScoreChangedData>(EvaluationEventTypes.scoreChanged, schemeId)
        .map((e) => e.event.data)
        .filter((d) => d.subject === subject)
        .map((d) => d.total);
    expect(changed('AGRI')).toEqual([0, 30, 40, 35, 30]);
    expect(changed('ENV')).toEqual([0, 0, 30]);
    expect(changed('WATER')).toEqual([0, 20]);
    const published = h.events<RankingPublishedData>(
      EvaluationEventTypes.rankingPublished,
      schemeId,
    );
    for (const { key, event } of published) {
      expect(key).toBe(schemeId);
      expect(event.region).toBe(region);
    }
    expect(published.map((e) => e.event.data.ranking.map((r) => `${r.rank}:${r.subject}`))).toEqual(
      [
        ['1:AGRI', '1:ENV', '1:WATER'],
        ['1:AGRI', '2:ENV', '2:WATER'],
        ['1:AGRI', '2:ENV', '3:WATER'],
        ['1:AGRI', '1:ENV', '3:WATER'],
      ],
    );
  });

  it('starts a new scheme from the facts already known', async () => {
    const region = testRegion();
    const before = await h.applied();
    await h.publish(
      Topics.projects,
      progressReport(region, { leadUnit: 'ENV', month: '2026-03', wan: '2500.00' }),
    );
    await h.publish(
      Topics.projects,
      progressReport(region, { leadUnit: 'ENV', month: '2025-12', wan: '9999.00' }),
    );
    await h.publish(
      Topics.projects,
      progressReport(region, { leadUnit: 'ENV', month: '2026-04', wan: '500.00' }),
    );
    // All three applied before the scheme exists: it must start from their facts.
    await eventually(async () => (await h.applied()) >= before + 3);

    const schemeId = await createScheme(schemeBody(region));
    expect(await totals(schemeId)).toEqual({ ENV: 15, AGRI: 0, WATER: 0 });
  });

  it('applies a redelivered event once (inbox)', async () => {
    const region = testRegion();
    const schemeId = await createScheme(schemeBody(region));
    const event = progressReport(region, { leadUnit: 'AGRI', month: '2026-05', wan: '1000.00' });
    await h.publish(Topics.projects, event);
    await h.publish(Topics.projects, event);
    await h.publish(
      Topics.projects,
      progressReport(region, { leadUnit: 'AGRI', month: '2026-06', wan: '500.00' }),
    );
    await waitForTotals(schemeId, { AGRI: 7.5 });

    const [{ n }] = await h.service.db.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM inbox WHERE event_id = $1',
      [event.id],
    );
    expect(n).toBe(1);
    await h.delivered();
    const agri = h
      .events<ScoreChangedData>(EvaluationEventTypes.scoreChanged, schemeId)
      .filter((e) => e.event.data.subject === 'AGRI');
    expect(agri.map((e) => e.event.data.total)).toEqual([0, 5, 7.5]);
  });

  it('counts a stock at the period end: an update in a later year moves no date', async () => {
    const region = testRegion();
    const city = `${region.slice(0, 4)}00`;
    const [registered, inProduction] = enterpriseLifecycle(region, 'in-production');
    const data = inProduction.data as Record<string, unknown>;
    const later = (version: number, over: object, time: string) =>
      eventOf(
        ParksEventTypes.enterpriseUpdated,
        'parks',
        registered.subject,
        region,
        { ...data, version, ...over, previousStatus: undefined, changedOn: undefined },
        new Date(time),
      );
    // The service lives in March 2027, so the 2027 update is not refused as dated in the future.
    jest.spyOn(h.service.app.get(Clock), 'now').mockReturnValue(new Date('2027-03-02T00:00:00Z'));
    const before = await h.applied();
    await h.publish(Topics.parks, registered);
    await h.publish(Topics.parks, inProduction); // in production from 2026-06-01
    await h.publish(Topics.parks, later(3, { employees: 300 }, '2027-03-01T02:00:00Z'));
    await eventually(async () => (await h.applied()) >= before + 3);

    const cityScheme = (period: string) => ({
      code: `S-${unique()}`,
      name: '投产企业',
      regionCode: city,
      period,
      subjectKind: 'region',
      subjects: [{ code: region, name: '本县' }],
      indicators: [
        {
          code: 'ENTERPRISES',
          name: '投产企业数',
          unitOfMeasure: '家',
          target: 1,
          weight: 10,
          direction: 'higher-is-better',
          rule: { kind: 'threshold' },
          source: { kind: 'event', measure: 'enterprises-in-production' },
        },
      ],
    });
    // Started from the stored facts: in production at the end of 2026, not of 2026-Q1.
    const year = await createScheme(cityScheme('2026'));
    const q1 = await createScheme(cityScheme('2026-Q1'));
    const q4 = await createScheme(cityScheme('2026-Q4'));
    expect(await totals(year)).toEqual({ [region]: 10 });
    expect(await totals(q1)).toEqual({ [region]: 0 });

    // It exits on 2026-11-15: the year (ending after) drops it, Q3 … is not touched.
    const exited = eventOf(
      ParksEventTypes.enterpriseStatusChanged,
      'parks',
      registered.subject,
      region,
      {
        ...data,
        status: 'exited',
        previousStatus: 'in-production',
        changedOn: '2026-11-15',
        version: 4,
      },
    );
    await h.publish(Topics.parks, exited);
    await waitForTotals(year, { [region]: 0 });
    expect(await totals(q4)).toEqual({ [region]: 0 });
    const q3 = await createScheme(cityScheme('2026-Q3'));
    expect(await totals(q3)).toEqual({ [region]: 10 });
  });
});
