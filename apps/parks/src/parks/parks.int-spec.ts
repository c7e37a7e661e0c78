import { randomUUID } from 'node:crypto';
import { DomainHarness } from '@duban/testing';
import { ParkEventTypes, ParksEventTypes } from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import {
  REGION,
  api,
  enterpriseBody,
  parkBody,
  startParksApp,
  tokens,
  unique,
} from '../testing/http';

let h: DomainHarness;
const admin = () => api(() => h.server(), tokens.admin());
const textile = () => api(() => h.server(), tokens.department('PARK-TEXTILE'));
const food = () => api(() => h.server(), tokens.department('PARK-FOOD'));
const supervisor = () => api(() => h.server(), tokens.supervisor());
const anonymous = () => api(() => h.server());

const PARKS = '/api/v1/parks';
type Park = Record<string, unknown> & { id: string; version: number };

async function register(body: Record<string, unknown> = parkBody(), as = textile()) {
  const res = await as.post(PARKS, body);
  expect(res.status).toBe(201);
  return res.body as Park;
}

beforeAll(async () => {
  h = await startParksApp();
});

afterAll(async () => {
  await h?.close();
});

describe('registering a park', () => {
  it('answers 201 with version 1 and publishes one registered event carrying the park', async () => {
    const designation = {
      title: '省级重点特色园区',
      earnedOn: '2023-06-30',
      issuer: '省经济和信息化厅',
    };
    const body = parkBody({ designations: [designation] });
    const park = await register(body);
    expect(park).toMatchObject({ ...body, id: expect.any(String), version: 1 });
    const fetched = await supervisor().get(`${PARKS}/${park.id}`).expect(200);
    expect(fetched.body).toMatchObject({ ...body, plannedAreaMu: 5000, developedAreaMu: 3860.5 });

    await h.delivered();
    const events = h.events(ParkEventTypes.registered, park.id);
    expect(events).toHaveLength(1);
    expect(events[0].key).toBe(park.id);
    expect(events[0].event).toMatchObject({ source: '/duban/parks', region: REGION });
    expect(events[0].event.data).toEqual({
      parkId: park.id,
      name: body.name,
      regionCode: REGION,
      managingUnit: 'PARK-TEXTILE',
      leadIndustry: 'textile-shoes-apparel',
      plannedAreaMu: 5000,
      developedAreaMu: 3860.5,
      designations: [designation],
      version: 1,
    });
  });

  it.each([
    ['more developed than planned land', { developedAreaMu: 5000.01 }, 'developedAreaMu'],
    ['an unknown lead industry', { leadIndustry: 'steel' }, 'leadIndustry'],
    ['a zero planned area', { plannedAreaMu: 0, developedAreaMu: 0 }, 'plannedAreaMu'],
    ['an area with three decimals', { developedAreaMu: 10.125 }, 'developedAreaMu'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['a bad region', { regionCode: '5111' }, 'regionCode'],
    [
      'a designation earned in the future',
      { designations: [{ title: 't', earnedOn: '2999-01-01', issuer: 'i' }] },
      'designations.0.earnedOn',
    ],
    [
      'a designation without its issuer',
      { designations: [{ title: 't', earnedOn: '2024-01-01' }] },
      'designations.0.issuer',
    ],
  ])('refuses %s as a 400 naming the field', async (_what, override, field) => {
    const res = await admin().post(PARKS, parkBody(override)).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('refuses a second park of the same name in the region as 409', async () => {
    const body = parkBody();
    const first = await register(body);
    const again = await textile().post(PARKS, body).expect(409);
    expect(again.body).toMatchObject({ status: 409, parkId: first.id });
  });

  it('lists parks in pages, filtered by industry and unit', async () => {
    const unit = `PARK-${unique()}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await register(parkBody({ managingUnit: unit, leadIndustry: 'health-food' }), admin())).id,
      );
    }
    const first = await supervisor().get(`${PARKS}?unit=${unit}&limit=2`).expect(200);
    expect(first.body.items.map((p: Park) => p.id)).toEqual(ids.slice(0, 2));
    expect(first.body.nextCursor).toBe(ids[1]);
    const second = await supervisor()
      .get(`${PARKS}?unit=${unit}&limit=2&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ id: ids[2] })],
      nextCursor: null,
    });
    const none = await supervisor().get(`${PARKS}?unit=${unit}&leadIndustry=other`).expect(200);
    expect(none.body.items).toEqual([]);
    await supervisor().get(`${PARKS}?colour=red`).expect(400);
  });
});

describe('changing a park', () => {
  it('updates with the current version, refuses a stale one, and checks areas against the stored ones', async () => {
    const park = await register();
    const res = await textile()
      .patch(`${PARKS}/${park.id}`, { version: 1, developedAreaMu: 4100 })
      .expect(200);
    expect(res.body).toMatchObject({ developedAreaMu: 4100, plannedAreaMu: 5000, version: 2 });
    const stale = await textile()
      .patch(`${PARKS}/${park.id}`, { version: 1, name: 'x' })
      .expect(409);
    expect(stale.body).toMatchObject({ currentVersion: 2 });
    const tooMuch = await textile()
      .patch(`${PARKS}/${park.id}`, { version: 2, plannedAreaMu: 4000 })
      .expect(400);
    expect(tooMuch.body.errors).toEqual([
      { field: 'developedAreaMu', message: 'must not exceed plannedAreaMu (4000 mu)' },
    ]);

    await h.delivered();
    const updated = h.events(ParkEventTypes.updated, park.id);
    expect(updated).toHaveLength(1);
    expect(updated[0].event.data).toMatchObject({ developedAreaMu: 4100, version: 2 });
  });

  it('records a designation once and publishes designation-earned', async () => {
    const park = await register();
    const designation = {
      title: '全市首批特色（专业）园区',
      earnedOn: '2024-03-15',
      issuer: '市人民政府',
    };
    const res = await textile().post(`${PARKS}/${park.id}/designations`, designation).expect(201);
    expect(res.body).toMatchObject({ designations: [designation], version: 2 });
    const twice = await textile().post(`${PARKS}/${park.id}/designations`, designation).expect(409);
    expect(twice.body.detail).toContain('全市首批特色（专业）园区');
    const future = await textile()
      .post(`${PARKS}/${park.id}/designations`, {
        ...designation,
        title: 'x',
        earnedOn: '2999-01-01',
      })
      .expect(400);
    expect(future.body.errors).toEqual([
      { field: 'earnedOn', message: expect.stringContaining('today') },
    ]);
    const missing = await textile()
      .post(`${PARKS}/${park.id}/designations`, { title: 'x', earnedOn: '2024-01-01' })
      .expect(400);
    expect(missing.body.errors).toEqual([{ field: 'issuer', message: expect.any(String) }]);

    await h.delivered();
    const earned = h.events(ParksEventTypes.designationEarned, park.id);
    expect(earned).toHaveLength(1);
    expect(earned[0].key).toBe(park.id);
    expect(earned[0].event.data).toMatchObject({ parkId: park.id, designation, version: 2 });
  });
});

describe('who may do what with parks', () => {
  it('answers 401 without a token and 404 for an unknown park', async () => {
    await anonymous().get(PARKS).expect(401);
    await admin().get(`${PARKS}/${randomUUID()}`).expect(404);
    const bad = await admin().get(`${PARKS}/not-a-uuid`).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
  });

  it("refuses another unit's writes (403) and a supervisor's, and changes nothing", async () => {
    await food().post(PARKS, parkBody()).expect(403);
    await supervisor().post(PARKS, parkBody()).expect(403);
    const park = await register();
    await food().patch(`${PARKS}/${park.id}`, { version: 1, name: 'taken' }).expect(403);
    await textile()
      .patch(`${PARKS}/${park.id}`, { version: 1, managingUnit: 'PARK-FOOD' })
      .expect(403);
    await food()
      .post(`${PARKS}/${park.id}/designations`, { title: 't', earnedOn: '2024-01-01', issuer: 'i' })
      .expect(403);
    const unchanged = await supervisor().get(`${PARKS}/${park.id}`).expect(200);
    expect(unchanged.body).toMatchObject({
      version: 1,
      managingUnit: 'PARK-TEXTILE',
      designations: [],
    });
  });
});

describe('region-bound tokens', () => {
  it('refuses writes by a token bound to another county on parks and enterprises, never confirming what it cannot see', async () => {
    const elsewhere = api(
      () => h.server(),
      signToken(
        { subject: 'park-511113', role: 'department', unit: 'PARK-TEXTILE', region: '511113' },
        authSecretFrom(),
      ),
    );
    await elsewhere.post(PARKS, parkBody()).expect(403);
    const park = await register();
    await elsewhere.patch(`${PARKS}/${park.id}`, { version: 1, name: '改名' }).expect(404);
    const enterprise = await elsewhere
      .post('/api/v1/enterprises', enterpriseBody(park.id))
      .expect(400);
    expect(enterprise.body.errors).toEqual([
      { field: 'parkId', message: `unknown park ${park.id}` },
    ]);
    const unchanged = await supervisor().get(`${PARKS}/${park.id}`).expect(200);
    expect(unchanged.body).toMatchObject({ version: 1, name: park.name });
  });

  it("shows a region-bound token its own region only: other regions' parks and enterprises are 404 and a list of them 403", async () => {
    const here = await register();
    const there = await register(parkBody({ regionCode: '511113' }), admin());
    const ENTERPRISES = '/api/v1/enterprises';
    const hereCo = (await textile().post(ENTERPRISES, enterpriseBody(here.id)).expect(201)).body;
    const thereCo = (await admin().post(ENTERPRISES, enterpriseBody(there.id)).expect(201)).body;
    const county = api(
      () => h.server(),
      signToken(
        { subject: 'duchashi-511113', role: 'supervisor', region: '511113' },
        authSecretFrom(),
      ),
    );
    const ids = async (url: string) =>
      ((await county.get(url).expect(200)).body.items as { id: string }[]).map((x) => x.id);

    await county.get(`${PARKS}/${there.id}`).expect(200);
    await county.get(`${PARKS}/${here.id}`).expect(404);
    expect(await ids(`${PARKS}?limit=200`)).toContain(there.id);
    expect(await ids(`${PARKS}?limit=200`)).not.toContain(here.id);
    expect(await ids(`${PARKS}?regionCode=511113&limit=200`)).toContain(there.id);
    const refused = await county.get(`${PARKS}?regionCode=${REGION}`).expect(403);
    expect(refused.body.detail).toBe(`a token for region 511113 may not read region ${REGION}`);

    await county.get(`${ENTERPRISES}/${thereCo.id}`).expect(200);
    await county.get(`${ENTERPRISES}/${hereCo.id}`).expect(404);
    expect(await ids(`${ENTERPRISES}?limit=200`)).toContain(thereCo.id);
    expect(await ids(`${ENTERPRISES}?limit=200`)).not.toContain(hereCo.id);
    // Naming the other region's park does not get round the filter.
    expect(await ids(`${ENTERPRISES}?parkId=${here.id}`)).toEqual([]);
    await county.get(`${ENTERPRISES}?regionCode=${REGION}`).expect(403);

    // An unbound supervisor still sees every region, and may narrow to one.
    const all = (await supervisor().get(`${PARKS}?regionCode=${REGION}&limit=200`).expect(200)).body
      .items as { id: string }[];
    expect(all.map((p) => p.id)).toContain(here.id);
    expect(all.map((p) => p.id)).not.toContain(there.id);
    await supervisor().get(`${ENTERPRISES}/${hereCo.id}`).expect(200);
  });
});

describe('Idempotency-Key', () => {
  it('answers a retried registration with the first 201 and registers once', async () => {
    const key = randomUUID();
    const body = parkBody();
    const first = await textile().post(PARKS, body).set('Idempotency-Key', key).expect(201);
    const again = await textile().post(PARKS, body).set('Idempotency-Key', key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await textile().post(PARKS, parkBody()).set('Idempotency-Key', key).expect(422);
    expect(other.body.type).toBe('urn:duban:problem:idempotency-key-reused');
    await h.delivered();
    expect(h.events(ParkEventTypes.registered, first.body.id)).toHaveLength(1);
    const [{ n }] = await h.service.db.dataSource.query(
      'SELECT count(*)::int AS n FROM parks WHERE name = $1',
      [body.name],
    );
    expect(n).toBe(1);
  });
});

describe('OpenAPI', () => {
  it('documents every parks endpoint with the request bodies the zod schemas validate', async () => {
    const docs = await anonymous().get('/docs-json').expect(200);
    const paths = docs.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/parks',
        '/api/v1/parks/{id}',
        '/api/v1/parks/{id}/designations',
        '/api/v1/parks/{parkId}/indicators',
        '/api/v1/parks/{parkId}/indicators/{month}',
        '/api/v1/enterprises',
        '/api/v1/enterprises/{id}',
        '/api/v1/enterprises/{id}/status',
        '/api/v1/campaigns',
        '/api/v1/campaigns/{campaignId}',
        '/api/v1/campaigns/{campaignId}/tasks',
        '/api/v1/campaigns/{campaignId}/tasks/{taskId}',
        '/api/v1/campaigns/{campaignId}/tasks/{taskId}/complete',
        '/api/v1/campaigns/{campaignId}/tasks/{taskId}/reschedule',
        '/api/v1/campaigns/{campaignId}/tasks/{taskId}/cancel',
      ]),
    );
    const body = (path: string, method: string) =>
      (paths[path][method] as { requestBody: { content: Record<string, { schema: unknown }> } })
        .requestBody.content['application/json'].schema;
    expect(body('/api/v1/enterprises', 'post')).toMatchObject({
      required: expect.arrayContaining(['uscc', 'parkId']),
      example: expect.objectContaining({ uscc: '91511112MA6CUT000B' }),
    });
    expect(body('/api/v1/parks/{parkId}/indicators/{month}', 'put')).toMatchObject({
      properties: expect.objectContaining({ taxWan: expect.any(Object) }),
    });
  });
});
