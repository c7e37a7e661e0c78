import { randomUUID } from 'node:crypto';
import { EvaluationEventTypes, PeriodClosedData, Topics } from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { progressReport } from '../testing/events';
import {
  EvaluationHarness,
  api,
  eventually,
  startEvaluationApp,
  testRegion,
  tokens,
  unique,
} from '../testing/http';

let h: EvaluationHarness;
const supervisor = () => api(() => h.server(), tokens.supervisor('mubiaoban'));
/** Each scheme's region: a department token is bound to one, so it acts in its scheme's. */
const regionOf = new Map<string, string>();
const stats = (schemeId?: string) =>
  api(() => h.server(), tokens.department('STATS', schemeId && regionOf.get(schemeId)));
const agri = (schemeId?: string) =>
  api(() => h.server(), tokens.department('AGRI', schemeId && regionOf.get(schemeId)));
/** A token bound to one county: unit codes (STATS, AGRI …) repeat in every county. */
const boundTo = (region: string, role: 'supervisor' | 'department', unit?: string) =>
  api(
    () => h.server(),
    signToken(
      { subject: `${role}-${region}`, role, region, ...(unit ? { unit } : {}) },
      authSecretFrom(),
    ),
  );

beforeAll(async () => {
  h = await startEvaluationApp();
});

afterAll(async () => {
  await h?.close();
});

const gdp = {
  code: 'GDP',
  name: '地区生产总值',
  unitOfMeasure: '万元',
  target: '15000000.00',
  weight: 60,
  direction: 'higher-is-better',
  rule: { kind: 'linear', capPct: 110 },
  source: { kind: 'manual', ownerUnit: 'STATS' },
};
const growth = {
  ...gdp,
  code: 'GDP-GROWTH',
  name: '地区生产总值增速',
  unitOfMeasure: '%',
  target: 6,
  weight: 10,
  rule: { kind: 'rank', pointsPct: [100, 50] },
};
const investment = {
  code: 'INVESTMENT',
  name: '完成投资',
  unitOfMeasure: '万元',
  target: '10000.00',
  weight: 30,
  direction: 'higher-is-better',
  rule: { kind: 'linear', capPct: 120 },
  source: { kind: 'event', measure: 'investment-completed' },
};

function schemeBody(region: string, over: Record<string, unknown> = {}) {
  return {
    code: `S-${unique()}`,
    name: '2026年度目标绩效考评',
    regionCode: region,
    period: '2026',
    subjectKind: 'unit',
    subjects: [
      { code: 'DRC', name: '发改局' },
      { code: 'AGRI', name: '农业农村局' },
    ],
    indicators: [gdp, growth, investment],
    ...over,
  };
}

async function createScheme(body: {
  regionCode: string;
  [field: string]: unknown;
}): Promise<string> {
  const { id } = (await supervisor().post('/api/v1/schemes', body).expect(201)).body;
  regionOf.set(id, body.regionCode);
  return id;
}

const values = (...v: { indicator: string; subject: string; value: unknown }[]) => ({
  values: v,
});

describe('schemes', () => {
  it('lets supervisors create and everyone read; a department may not create (403)', async () => {
    const body = schemeBody(testRegion());
    await agri().post('/api/v1/schemes', body).expect(403);
    const created = await supervisor().post('/api/v1/schemes', body).expect(201);
    regionOf.set(created.body.id, body.regionCode);
    expect(created.body).toMatchObject({
      code: body.code,
      period: '2026',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      status: 'open',
      measures: ['investment-completed'],
      ranking: [
        { rank: 1, subject: 'AGRI', name: '农业农村局', total: 0 },
        { rank: 1, subject: 'DRC', name: '发改局', total: 0 },
      ],
    });
    const read = await agri(created.body.id).get(`/api/v1/schemes/${created.body.id}`).expect(200);
    expect(read.body.indicators.map((i: { code: string }) => i.code)).toEqual([
      'GDP',
      'GDP-GROWTH',
      'INVESTMENT',
    ]);
    const list = await agri(created.body.id)
      .get(`/api/v1/schemes?regionCode=${body.regionCode}`)
      .expect(200);
    expect(list.body).toEqual({
      items: [expect.objectContaining({ code: body.code })],
      nextCursor: null,
    });
    await supervisor().post('/api/v1/schemes', body).expect(409);
  });

  it.each([
    ['a weight of zero', { indicators: [{ ...gdp, weight: 0 }] }, 'indicators.0.weight'],
    [
      'duplicate subjects',
      {
        subjects: [
          { code: 'DRC', name: 'a' },
          { code: 'DRC', name: 'b' },
        ],
      },
      'subjects.1.code',
    ],
    ['duplicate indicator codes', { indicators: [gdp, gdp] }, 'indicators.1.code'],
    [
      'rule parameters of another kind',
      { indicators: [{ ...gdp, rule: { kind: 'rank', capPct: 120 } }] },
      'indicators.0.rule.pointsPct',
    ],
    [
      'a money measure in percent',
      { indicators: [{ ...investment, unitOfMeasure: '%', target: 100 }] },
      'indicators.0.unitOfMeasure',
    ],
    [
      'a linear target of zero when lower is better',
      {
        indicators: [
          {
            ...growth,
            unitOfMeasure: '次',
            target: 0,
            direction: 'lower-is-better',
            rule: { kind: 'linear', capPct: 120 },
          },
        ],
      },
      'indicators.0.target',
    ],
    [
      'a measure without units in a unit scheme',
      {
        indicators: [
          {
            ...investment,
            unitOfMeasure: '家',
            target: 5,
            source: { kind: 'event', measure: 'enterprises-in-production' },
          },
        ],
      },
      'indicators.0.source.measure',
    ],
    [
      'a deduction on a measure that counts nothing',
      {
        deductions: [
          { code: 'D', name: '扣分', measure: 'investment-completed', pointsEach: 1, capPoints: 5 },
        ],
      },
      'deductions.0.measure',
    ],
  ])('refuses %s as 400 naming the field', async (_what, over, field) => {
    const res = await supervisor()
      .post('/api/v1/schemes', schemeBody(testRegion(), over))
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toContainEqual({ field, message: expect.any(String) });
  });
});

describe('regions (unit codes repeat in every county)', () => {
  it('keeps a county-bound token to its county: create elsewhere is 403, values and close of a scheme it cannot see 404', async () => {
    const here = testRegion();
    const there = testRegion();
    const schemeId = await createScheme(schemeBody(here, { period: '2025' }));
    const statsThere = boundTo(there, 'department', 'STATS');
    const body = values({ indicator: 'GDP', subject: 'DRC', value: '1.00' });
    await statsThere.post(`/api/v1/schemes/${schemeId}/values`, body).expect(404);
    await boundTo(there, 'supervisor').post(`/api/v1/schemes/${schemeId}/close`).expect(404);
    await boundTo(there, 'supervisor').post('/api/v1/schemes', schemeBody(here)).expect(403);
    const scores = await supervisor().get(`/api/v1/schemes/${schemeId}/scores`).expect(200);
    expect(scores.body).toMatchObject({ status: 'open' });
    expect(scores.body.items.every((s: { total: number }) => s.total === 0)).toBe(true);

    // The county's own STATS and supervisor may.
    await boundTo(here, 'department', 'STATS')
      .post(`/api/v1/schemes/${schemeId}/values`, body)
      .expect(200);
    await boundTo(there, 'supervisor').post('/api/v1/schemes', schemeBody(there)).expect(201);
    await boundTo(here, 'supervisor').post(`/api/v1/schemes/${schemeId}/close`).expect(200);
  });

  it('answers 404 for another county’s scheme, and lists only the token’s own (403 for another)', async () => {
    const here = testRegion();
    const there = testRegion();
    const schemeId = await createScheme(schemeBody(here));
    const own = await createScheme(schemeBody(there));
    const county = boundTo(there, 'department', 'AGRI');
    for (const path of ['', '/scores', '/rankings', '/late-events']) {
      await county.get(`/api/v1/schemes/${schemeId}${path}`).expect(404);
    }
    await county.get(`/api/v1/schemes/${own}`).expect(200);
    const listed = await county.get('/api/v1/schemes?limit=200&period=2026').expect(200);
    const ids = (listed.body.items as { id: string }[]).map((x) => x.id);
    expect(ids).toContain(own);
    expect(ids).not.toContain(schemeId);
    await county.get(`/api/v1/schemes?regionCode=${here}`).expect(403);
  });

  it('lets a county read, not write, the city scheme ranking it', async () => {
    const county = testRegion();
    const city = `${county.slice(0, 4)}00`;
    const cityScheme = await createScheme({
      ...schemeBody(city),
      subjectKind: 'region',
      subjects: [
        { code: county, name: '本县' },
        { code: `${county.slice(0, 4)}99`, name: '邻县' },
      ],
      indicators: [gdp],
    });
    const bound = boundTo(county, 'supervisor');
    await bound.get(`/api/v1/schemes/${cityScheme}`).expect(200);
    await bound.get(`/api/v1/schemes/${cityScheme}/rankings`).expect(200);
    const listed = await bound.get('/api/v1/schemes').expect(200);
    expect((listed.body.items as { id: string }[]).map((x) => x.id)).toContain(cityScheme);
    await boundTo(county, 'department', 'STATS')
      .post(
        `/api/v1/schemes/${cityScheme}/values`,
        values({ indicator: 'GDP', subject: county, value: '1.00' }),
      )
      .expect(403);
    // A county the city scheme does not rank sees nothing of it.
    await boundTo(`${county.slice(0, 4)}98`, 'supervisor')
      .get(`/api/v1/schemes/${cityScheme}`)
      .expect(404);
  });
});

describe('manual indicator values', () => {
  it('takes the owner unit’s values and scores them', async () => {
    const schemeId = await createScheme(schemeBody(testRegion()));
    const res = await stats(schemeId)
      .post(
        `/api/v1/schemes/${schemeId}/values`,
        values(
          { indicator: 'GDP', subject: 'DRC', value: '12020900.00' },
          { indicator: 'GDP-GROWTH', subject: 'DRC', value: 4.1 },
          { indicator: 'GDP-GROWTH', subject: 'AGRI', value: 5.2 },
        ),
      )
      .expect(200);
    expect(res.body).toEqual({ schemeId, recorded: 3 });
    const scores = await agri(schemeId).get(`/api/v1/schemes/${schemeId}/scores`).expect(200);
    const drc = scores.body.items.find((s: { subject: string }) => s.subject === 'DRC');
    expect(drc).toMatchObject({
      rank: 1,
      total: 53.08,
      results: [
        { code: 'GDP', actual: '12020900.00', completionPct: 80.14, score: 48.08 },
        { code: 'GDP-GROWTH', actual: 4.1, completionPct: 68.33, score: 5 },
        { code: 'INVESTMENT', actual: '0.00', completionPct: 0, score: 0 },
      ],
    });
    // The rank rule moved AGRI too: first on growth.
    expect(scores.body.items[1]).toMatchObject({ subject: 'AGRI', rank: 2, total: 10 });
  });

  it('answers a retried post with the same Idempotency-Key once, without recording again', async () => {
    const schemeId = await createScheme(schemeBody(testRegion()));
    const url = `/api/v1/schemes/${schemeId}/values`;
    const body = values({ indicator: 'GDP', subject: 'DRC', value: '15000000.00' });
    const key = `values-${unique()}`;
    const first = await stats(schemeId).post(url, body).set('Idempotency-Key', key).expect(200);
    const again = await stats(schemeId).post(url, body).set('Idempotency-Key', key).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = values({ indicator: 'GDP', subject: 'DRC', value: '1.00' });
    await stats(schemeId).post(url, other).set('Idempotency-Key', key).expect(422);

    await h.delivered();
    const drc = h
      .events<{ subject: string; total: number }>(EvaluationEventTypes.scoreChanged, schemeId)
      .filter((e) => e.event.data.subject === 'DRC');
    expect(drc.map((e) => e.event.data.total)).toEqual([0, 60]);
  });

  it('refuses another unit (403) and a supervisor (403)', async () => {
    const schemeId = await createScheme(schemeBody(testRegion()));
    const body = values({ indicator: 'GDP', subject: 'DRC', value: '1.00' });
    await agri(schemeId).post(`/api/v1/schemes/${schemeId}/values`, body).expect(403);
    await supervisor().post(`/api/v1/schemes/${schemeId}/values`, body).expect(403);
    const scores = await agri(schemeId).get(`/api/v1/schemes/${schemeId}/scores`).expect(200);
    expect(scores.body.items.every((s: { total: number }) => s.total === 0)).toBe(true);
  });

  it.each([
    ['an unknown indicator', { indicator: 'GVA', subject: 'DRC', value: 1 }, 'values.0.indicator'],
    [
      'a subject outside the scheme',
      { indicator: 'GDP', subject: 'WATER', value: '1.00' },
      'values.0.subject',
    ],
    [
      'a number for a 万元 indicator',
      { indicator: 'GDP', subject: 'DRC', value: 12020900 },
      'values.0.value',
    ],
    [
      'money for a % indicator',
      { indicator: 'GDP-GROWTH', subject: 'DRC', value: '4.10' },
      'values.0.value',
    ],
    ['a missing value', { indicator: 'GDP', subject: 'DRC' }, 'values.0.value'],
  ])('refuses %s as 400 naming the field', async (_what, value, field) => {
    const schemeId = await createScheme(schemeBody(testRegion()));
    const res = await stats(schemeId)
      .post(`/api/v1/schemes/${schemeId}/values`, { values: [value] })
      .expect(400);
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('refuses a value for an indicator read from events (409)', async () => {
    const schemeId = await createScheme(schemeBody(testRegion()));
    const res = await stats(schemeId)
      .post(
        `/api/v1/schemes/${schemeId}/values`,
        values({ indicator: 'INVESTMENT', subject: 'DRC', value: '1.00' }),
      )
      .expect(409);
    expect(res.body).toMatchObject({
      field: 'values.0.indicator',
      detail: expect.stringContaining('investment-completed'),
    });
  });

  it('answers 404 for a scheme that does not exist', async () => {
    await stats()
      .post(
        `/api/v1/schemes/${randomUUID()}/values`,
        values({ indicator: 'GDP', subject: 'DRC', value: '1.00' }),
      )
      .expect(404);
  });
});

describe('period close', () => {
  it('refuses to close a period that has not ended yet (409)', async () => {
    const year = Number(new Date().toISOString().slice(0, 4)) + 1;
    const schemeId = await createScheme(schemeBody(testRegion(), { period: String(year) }));
    const res = await supervisor().post(`/api/v1/schemes/${schemeId}/close`).expect(409);
    expect(res.body).toMatchObject({ periodEnd: `${year}-12-31` });
    const read = await supervisor().get(`/api/v1/schemes/${schemeId}`).expect(200);
    expect(read.body.status).toBe('open');
  });

  it('freezes results; a late event is recorded and reported, changing nothing', async () => {
    const region = testRegion();
    const schemeId = await createScheme(schemeBody(region, { period: '2025' }));
    const projectId = randomUUID();
    await h.publish(
      Topics.projects,
      progressReport(region, { projectId, leadUnit: 'AGRI', month: '2025-06', wan: '5000.00' }),
    );
    await eventually(async () => {
      const res = await agri(schemeId).get(`/api/v1/schemes/${schemeId}/rankings`).expect(200);
      return res.body.ranking[0].total === 15;
    });

    await agri(schemeId).post(`/api/v1/schemes/${schemeId}/close`).expect(403);
    const closed = await supervisor().post(`/api/v1/schemes/${schemeId}/close`).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    await supervisor().post(`/api/v1/schemes/${schemeId}/close`).expect(409);

    const before = await h.applied();
    const late = progressReport(region, { leadUnit: 'AGRI', month: '2025-11', wan: '5000.00' });
    await h.publish(Topics.projects, late);
    // Dated after the period: not late, just not this scheme's.
    await h.publish(
      Topics.projects,
      progressReport(region, { leadUnit: 'AGRI', month: '2026-01', wan: '1.00' }),
    );
    // A correction moving June to DRC touches two subjects: two rows, one event.
    const moved = progressReport(region, {
      projectId,
      leadUnit: 'DRC',
      month: '2025-06',
      wan: '5000.00',
      version: 2,
    });
    await h.publish(Topics.projects, moved);
    await eventually(async () => (await h.applied()) >= before + 3);

    const lateEvents = await agri(schemeId)
      .get(`/api/v1/schemes/${schemeId}/late-events`)
      .expect(200);
    expect(lateEvents.body).toMatchObject({
      count: 2,
      nextCursor: null,
      items: [
        {
          eventId: late.id,
          eventType: 'duban.progress-report.submitted',
          measure: 'investment-completed',
          itemCode: 'INVESTMENT',
          subject: 'AGRI',
        },
        { eventId: moved.id, subject: expect.any(String) },
        { eventId: moved.id, subject: expect.any(String) },
      ],
    });
    const scores = await agri(schemeId).get(`/api/v1/schemes/${schemeId}/scores`).expect(200);
    expect(scores.body).toMatchObject({ status: 'closed', lateEventCount: 2 });
    expect(scores.body.items[0]).toMatchObject({ subject: 'AGRI', total: 15 });
    await stats(schemeId)
      .post(
        `/api/v1/schemes/${schemeId}/values`,
        values({ indicator: 'GDP', subject: 'DRC', value: '1.00' }),
      )
      .expect(409);

    await h.delivered();
    const [closedEvent] = h.events<PeriodClosedData>(EvaluationEventTypes.periodClosed, schemeId);
    expect(closedEvent.event.data).toMatchObject({
      schemeId,
      period: '2025',
      ranking: [
        { rank: 1, subject: 'AGRI', total: 15 },
        { rank: 2, subject: 'DRC', total: 0 },
      ],
    });
    const afterClose = h
      .events(EvaluationEventTypes.scoreChanged, schemeId)
      .filter((e) => e.event.time > closedEvent.event.time);
    expect(afterClose).toEqual([]);
  });
});
