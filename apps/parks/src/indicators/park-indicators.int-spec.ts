import request from 'supertest';
import { ParksEventTypes } from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { DomainHarness } from '@duban/testing';
import { REGION, api, chinaMonthFrom, parkBody, startParksApp, tokens } from '../testing/http';

let h: DomainHarness;
const admin = () => api(() => h.server(), tokens.admin());
const supervisor = () => api(() => h.server(), tokens.supervisor());

/** The shared client has no PUT; same bearer token, plain supertest. */
const put = (url: string, body: object, token = tokens.department('PARK-TEXTILE')) =>
  request(h.server()).put(url).auth(token, { type: 'bearer' }).send(body);

const figures = (overrides: Record<string, unknown> = {}) => ({
  outputValueWan: '86500.00',
  industrialValueAddedWan: '21300.00',
  taxWan: '1930.25',
  fixedInvestmentWan: '12000.00',
  employees: 6400,
  ...overrides,
});

async function newPark(): Promise<string> {
  // 3860.5 of 5000 mu developed: occupancy 77.21 %; 1930.25 万元 tax → 0.50 万元 per mu.
  return (await admin().post('/api/v1/parks', parkBody()).expect(201)).body.id;
}

beforeAll(async () => {
  h = await startParksApp();
});

afterAll(async () => {
  await h?.close();
});

describe('monthly park indicators', () => {
  it('stores a month with occupancy and tax per mu derived, and publishes it once', async () => {
    const parkId = await newPark();
    const month = chinaMonthFrom(-1);
    const url = `/api/v1/parks/${parkId}/indicators/${month}`;
    const res = await put(url, figures()).expect(200);
    expect(res.body).toMatchObject({
      ...figures(),
      parkId,
      month,
      plannedAreaMu: 5000,
      developedAreaMu: 3860.5,
      occupancyPct: 77.21,
      taxPerMuWan: '0.50',
      reportedBy: 'PARK-TEXTILE',
      version: 1,
    });
    // The same PUT again (a retry) changes nothing and publishes nothing.
    const again = await put(url, figures()).expect(200);
    expect(again.body.version).toBe(1);
    const read = await supervisor().get(url).expect(200);
    expect(read.body).toMatchObject({ taxPerMuWan: '0.50', version: 1 });

    await h.delivered();
    const events = h.events(ParksEventTypes.indicatorsReported, parkId);
    expect(events).toHaveLength(1);
    expect(events[0].key).toBe(parkId);
    expect(events[0].event.region).toBe(REGION);
    expect(events[0].event.data).toEqual({
      parkId,
      regionCode: REGION,
      managingUnit: 'PARK-TEXTILE',
      month,
      ...figures(),
      occupancyPct: 77.21,
      taxPerMuWan: '0.50',
      version: 1,
    });
  });

  it('takes a correction as a new version and publishes the corrected month', async () => {
    const parkId = await newPark();
    const month = chinaMonthFrom(-2);
    const url = `/api/v1/parks/${parkId}/indicators/${month}`;
    await put(url, figures()).expect(200);
    const corrected = await put(url, figures({ taxWan: '3860.50', version: 1 })).expect(200);
    expect(corrected.body).toMatchObject({ taxWan: '3860.50', taxPerMuWan: '1.00', version: 2 });
    const stale = await put(url, figures({ taxWan: '1.00', version: 1 })).expect(409);
    expect(stale.body).toMatchObject({ currentVersion: 2 });
    const list = await supervisor().get(`/api/v1/parks/${parkId}/indicators`).expect(200);
    expect(list.body.map((i: { month: string; version: number }) => [i.month, i.version])).toEqual([
      [month, 2],
    ]);

    await h.delivered();
    const events = h.events<{ taxPerMuWan: string; version: number }>(
      ParksEventTypes.indicatorsReported,
      parkId,
    );
    expect(events.map((e) => [e.event.data.taxPerMuWan, e.event.data.version])).toEqual([
      ['0.50', 1],
      ['1.00', 2],
    ]);
  });

  it.each([
    ['money as a number', { taxWan: 1930.25 }, 'taxWan'],
    ['negative output', { outputValueWan: '-1.00' }, 'outputValueWan'],
    [
      'value added above output',
      { industrialValueAddedWan: '90000.00' },
      'industrialValueAddedWan',
    ],
    ['a missing figure', { employees: undefined }, 'employees'],
    ['an unknown field', { profitWan: '1.00' }, 'profitWan'],
  ])('refuses %s as a 400 naming the field', async (_what, override, field) => {
    const parkId = await newPark();
    const res = await put(
      `/api/v1/parks/${parkId}/indicators/${chinaMonthFrom(-1)}`,
      figures(override),
    ).expect(400);
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('refuses a month that has not begun, or is not a month, naming month', async () => {
    const parkId = await newPark();
    const future = await put(
      `/api/v1/parks/${parkId}/indicators/${chinaMonthFrom(1)}`,
      figures(),
    ).expect(400);
    expect(future.body.errors).toEqual([
      { field: 'month', message: expect.stringContaining('current month') },
    ]);
    const bad = await put(`/api/v1/parks/${parkId}/indicators/2026-13`, figures()).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'month', message: 'must be a month as YYYY-MM' }]);
  });

  it("refuses another unit's report (403) and a supervisor's, and stores nothing", async () => {
    const parkId = await newPark();
    const url = `/api/v1/parks/${parkId}/indicators/${chinaMonthFrom(-1)}`;
    await put(url, figures(), tokens.department('PARK-FOOD')).expect(403);
    await put(url, figures(), tokens.supervisor()).expect(403);
    await supervisor().get(url).expect(404);
    // Nothing was published either: neither a row in the outbox nor a message on the topic.
    const [{ n }] = await h.service.db.dataSource.query(
      'SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = $1 AND event_type = $2',
      [parkId, ParksEventTypes.indicatorsReported],
    );
    expect(n).toBe(0);
    await h.delivered();
    expect(h.events(ParksEventTypes.indicatorsReported, parkId)).toHaveLength(0);
    await put(url, figures(), tokens.admin()).expect(200);
  });

  it('refuses a tax per mu beyond what the column holds as a 400 on taxWan, and stores nothing', async () => {
    const parkId = (
      await admin()
        .post('/api/v1/parks', parkBody({ plannedAreaMu: 1, developedAreaMu: 0.01 }))
        .expect(201)
    ).body.id;
    const url = `/api/v1/parks/${parkId}/indicators/${chinaMonthFrom(-1)}`;
    const huge = figures({
      outputValueWan: '9999999999999.99',
      taxWan: '9999999999999.99',
    });
    const res = await put(url, huge).expect(400);
    expect(res.body.errors).toEqual([
      {
        field: 'taxWan',
        message:
          "is too large for the park's developed area of 0.01 mu: tax per mu would exceed 9999999999999.99 万元",
      },
    ]);
    await admin().get(url).expect(404);
  });
});

describe('reading indicators with a region-bound token', () => {
  it("answers 404 for a park of another region, months and all, and shows its own region's", async () => {
    const here = await newPark();
    const there = (
      await admin()
        .post('/api/v1/parks', parkBody({ regionCode: '511113' }))
        .expect(201)
    ).body.id;
    const month = chinaMonthFrom(-1);
    await put(`/api/v1/parks/${here}/indicators/${month}`, figures(), tokens.admin()).expect(200);
    await put(`/api/v1/parks/${there}/indicators/${month}`, figures(), tokens.admin()).expect(200);
    const county = api(
      () => h.server(),
      signToken(
        { subject: 'duchashi-511113', role: 'supervisor', region: '511113' },
        authSecretFrom(),
      ),
    );
    await county.get(`/api/v1/parks/${here}/indicators`).expect(404);
    await county.get(`/api/v1/parks/${here}/indicators/${month}`).expect(404);
    const own = await county.get(`/api/v1/parks/${there}/indicators`).expect(200);
    expect(own.body.map((r: { month: string }) => r.month)).toEqual([month]);
    await county.get(`/api/v1/parks/${there}/indicators/${month}`).expect(200);
  });
});
