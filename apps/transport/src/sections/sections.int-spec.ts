import { randomInt, randomUUID } from 'node:crypto';
import { authSecretFrom, signToken } from '@duban/auth';
import { MileageChangedData, SectionData, TransportEventTypes } from '@duban/contracts';
import { DomainHarness } from '@duban/testing';
import {
  REGION,
  WORKS,
  allGates,
  api,
  chinaDay,
  startTransportApp,
  tokens,
  unique,
  workBody,
} from '../testing/http';

let h: DomainHarness;
const lead = () => api(() => h.server(), tokens.department('TRANSPORT'));
const water = () => api(() => h.server(), tokens.department('WATER'));
const supervisor = () => api(() => h.server(), tokens.supervisor());
const admin = () => api(() => h.server(), tokens.admin());

/** A token of the lead unit bound to `region`: it reads and writes there only. */
const boundTo = (region: string, role: 'department' | 'supervisor' = 'department') =>
  api(
    () => h.server(),
    signToken(
      {
        subject: `${role}-${region}`,
        role,
        region,
        ...(role === 'department' ? { unit: 'TRANSPORT' } : {}),
      },
      authSecretFrom(),
    ),
  );

/** A region of this test's own, so its mileage sums see only its own sections. */
const freshRegion = () => String(randomInt(100000, 999999));
const sections = (workId: string) => `${WORKS}/${workId}/sections`;

/** Each work's region: its lead unit's token is bound to it (unit codes repeat per county). */
const regionOf = new Map<string, string>();
const leadFor = (workId: string) => boundTo(regionOf.get(workId) ?? REGION);

async function workIn(
  phase: 'planning' | 'construction',
  overrides: { regionCode?: string; [field: string]: unknown } = {},
) {
  const owner = boundTo(overrides.regionCode ?? REGION);
  const res = await owner
    .post(WORKS, workBody({ kind: 'expressway', gates: allGates(chinaDay(-30)), ...overrides }))
    .expect(201);
  const id: string = res.body.id;
  regionOf.set(id, overrides.regionCode ?? REGION);
  if (phase === 'planning') return id;
  for (const g of allGates('')) {
    await owner
      .post(`${WORKS}/${id}/gates/${g.gate}/complete`, { actualDate: chinaDay(-2) })
      .expect(200);
  }
  for (const next of ['pre-work', 'tender', 'construction']) {
    await owner.post(`${WORKS}/${id}/phase`, { phase: next }).expect(200);
  }
  return id;
}

async function addSection(workId: string, lengthKm: number, name = `TJ-${unique()} 标段`) {
  const res = await leadFor(workId).post(sections(workId), { name, lengthKm }).expect(201);
  return res.body as { id: string; lengthKm: number; progressPct: number; openedOn: string | null };
}

const openOn = (workId: string, sectionId: string, openedOn = chinaDay(0)) =>
  leadFor(workId).post(`${sections(workId)}/${sectionId}/open`, { openedOn });

async function mileageOf(region: string, kind: string) {
  const res = await supervisor().get(`/api/v1/mileage?regionCode=${region}`).expect(200);
  return res.body.items.find((i: { kind: string }) => i.kind === kind);
}

const mileageEvents = (region: string, kind: string) =>
  h.events<MileageChangedData>(TransportEventTypes.mileageChanged, `${region}:${kind}`);

beforeAll(async () => {
  h = await startTransportApp();
});

afterAll(async () => {
  await h?.close();
});

describe('sections (标段)', () => {
  it('adds one with its length in km and progress 0, publishing one added event keyed by the section', async () => {
    const workId = await workIn('planning');
    const section = await addSection(workId, 12.345, '茂犍高速 TJ1 标段');
    expect(section).toMatchObject({
      workId,
      name: '茂犍高速 TJ1 标段',
      lengthKm: 12.345,
      progressPct: 0,
      openedOn: null,
      version: 1,
    });
    expect((await supervisor().get(sections(workId)).expect(200)).body).toEqual([section]);

    await h.delivered();
    const added = h.events<SectionData>(TransportEventTypes.sectionAdded, section.id);
    expect(added).toHaveLength(1);
    expect(added[0].key).toBe(section.id);
    expect(added[0].event.data).toEqual({
      workId,
      sectionId: section.id,
      kind: 'expressway',
      regionCode: REGION,
      leadUnit: 'TRANSPORT',
      name: '茂犍高速 TJ1 标段',
      lengthKm: 12.345,
      progressPct: 0,
      openedOn: null,
      version: 1,
    });
  });

  it.each([
    ['zero', 0, 'must be positive'],
    ['a negative length', -1, 'must be positive'],
    ['a fourth decimal', 1.0005, 'must have at most three decimals'],
    ['a string', '12', expect.any(String)],
  ])('refuses %s as lengthKm with a 400 naming it', async (_w, lengthKm, message) => {
    const workId = await workIn('planning');
    const res = await lead().post(sections(workId), { name: 'x', lengthKm }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'lengthKm', message }]);
    expect((await lead().get(sections(workId)).expect(200)).body).toEqual([]);
  });

  it('records progress (one event), refusing more than 100, another unit and an unknown section', async () => {
    const workId = await workIn('planning');
    const section = await addSection(workId, 5);
    const path = `${sections(workId)}/${section.id}/progress`;
    const res = await lead().post(path, { progressPct: 62.5 }).expect(200);
    expect(res.body).toMatchObject({ progressPct: 62.5, version: 2 });
    const over = await lead().post(path, { progressPct: 101 }).expect(400);
    expect(over.body.errors).toEqual([{ field: 'progressPct', message: 'must be at most 100' }]);
    await lead().post(path, { progressPct: 62.5 }).expect(409);
    await water().post(path, { progressPct: 70 }).expect(403);
    await lead()
      .post(`${sections(workId)}/${randomUUID()}/progress`, { progressPct: 70 })
      .expect(404);
    await h.delivered();
    expect(h.events(TransportEventTypes.sectionProgressChanged, section.id)).toHaveLength(1);
  });

  it('refuses to open a section before its work is in construction, leaving the mileage alone', async () => {
    const region = freshRegion();
    const workId = await workIn('planning', { regionCode: region });
    const section = await addSection(workId, 3);
    const res = await openOn(workId, section.id).expect(409);
    expect(res.body.detail).toBe(
      'a section cannot open while its work is in planning; only in construction, handover, opened',
    );
    expect(await mileageOf(region, 'expressway')).toEqual({
      kind: 'expressway',
      operatingKm: 0,
      baselineKm: 0,
      openedKm: 0,
    });
    await h.delivered();
    expect(h.events(TransportEventTypes.sectionOpened, section.id)).toHaveLength(0);
    expect(mileageEvents(region, 'expressway')).toHaveLength(0);
  });

  it('opens a section in construction: one opened event and one mileage-changed event, once only', async () => {
    const region = freshRegion();
    const workId = await workIn('construction', { regionCode: region });
    const section = await addSection(workId, 7.655);
    const future = await openOn(workId, section.id, chinaDay(1)).expect(400);
    expect(future.body.errors).toEqual([{ field: 'openedOn', message: 'cannot be in the future' }]);
    await api(() => h.server(), tokens.department('WATER', region))
      .post(`${sections(workId)}/${section.id}/open`, { openedOn: chinaDay(0) })
      .expect(403);

    const opened = await openOn(workId, section.id, chinaDay(-1)).expect(200);
    expect(opened.body).toMatchObject({
      openedOn: chinaDay(-1),
      progressPct: 100,
      lengthKm: 7.655,
    });
    const again = await openOn(workId, section.id).expect(409);
    expect(again.body.detail).toBe(`cannot open a section that opened on ${chinaDay(-1)}`);
    await leadFor(workId)
      .post(`${sections(workId)}/${section.id}/progress`, { progressPct: 50 })
      .expect(409);

    await h.delivered();
    const events = h.events(TransportEventTypes.sectionOpened, section.id);
    expect(events).toHaveLength(1);
    expect(events[0].key).toBe(section.id);
    expect(events[0].event.data).toEqual({
      workId,
      sectionId: section.id,
      kind: 'expressway',
      regionCode: region,
      leadUnit: 'TRANSPORT',
      name: expect.any(String),
      lengthKm: 7.655,
      openedOn: chinaDay(-1),
    });
    const mileage = mileageEvents(region, 'expressway');
    expect(mileage.map((e) => [e.key, e.event.region, e.event.data])).toEqual([
      [
        `${region}:expressway`,
        region,
        { regionCode: region, kind: 'expressway', operatingKm: 7.655, changeKm: 7.655 },
      ],
    ]);
  });

  it('counts a retried opening (same Idempotency-Key) once', async () => {
    const region = freshRegion();
    const workId = await workIn('construction', { regionCode: region });
    const section = await addSection(workId, 2.5);
    const key = `open-${unique()}`;
    const send = () =>
      leadFor(workId)
        .post(`${sections(workId)}/${section.id}/open`, { openedOn: chinaDay(0) })
        .set('Idempotency-Key', key);
    await send().expect(200);
    const retry = await send().expect(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await mileageOf(region, 'expressway')).operatingKm).toBe(2.5);
    await h.delivered();
    expect(h.events(TransportEventTypes.sectionOpened, section.id)).toHaveLength(1);
    expect(mileageEvents(region, 'expressway')).toHaveLength(1);
  });
});

describe('sections and the work opening (通车/通航)', () => {
  const phase = (workId: string, to: string) =>
    leadFor(workId).post(`${WORKS}/${workId}/phase`, { phase: to });

  it('refuses to move a work with unopened sections to opened as 409 naming them, then allows it once all are open', async () => {
    const workId = await workIn('construction', { regionCode: freshRegion() });
    const first = await addSection(workId, 1.5, 'TJ1 标段');
    const second = await addSection(workId, 2.5, 'TJ2 标段');
    await openOn(workId, first.id).expect(200);
    await phase(workId, 'handover').expect(200);

    const refused = await phase(workId, 'opened').expect(409);
    expect(refused.body).toMatchObject({
      type: 'urn:duban:problem:conflict',
      detail:
        'a transport work cannot move to opened while 1 of its sections is not open: TJ2 标段',
      unopenedSections: ['TJ2 标段'],
    });
    expect((await leadFor(workId).get(`${WORKS}/${workId}`).expect(200)).body.phase).toBe(
      'handover',
    );

    await openOn(workId, second.id).expect(200);
    await phase(workId, 'opened').expect(200);
    await h.delivered();
    expect(
      h.events(TransportEventTypes.phaseChanged, workId).map((e) => e.event.data.phase),
    ).toEqual(['pre-work', 'tender', 'construction', 'handover', 'opened']);
  });

  it('lets a work without sections open, and refuses a section added to an opened work as 409', async () => {
    const workId = await workIn('construction');
    await phase(workId, 'handover').expect(200);
    await phase(workId, 'opened').expect(200);
    const res = await lead().post(sections(workId), { name: 'TJ9 标段', lengthKm: 1 }).expect(409);
    expect(res.body.detail).toBe(
      'a section cannot be added to a transport work that has opened; ' +
        'sections are added until the work opens',
    );
    expect((await lead().get(sections(workId)).expect(200)).body).toEqual([]);
  });

  it('answers every section write from a token of the lead unit bound to another region with 404', async () => {
    const workId = await workIn('construction');
    const section = await addSection(workId, 3);
    const elsewhere = boundTo('511113');
    await elsewhere.post(sections(workId), { name: 'x', lengthKm: 1 }).expect(404);
    await elsewhere
      .post(`${sections(workId)}/${section.id}/progress`, { progressPct: 10 })
      .expect(404);
    const open = await elsewhere
      .post(`${sections(workId)}/${section.id}/open`, { openedOn: chinaDay(0) })
      .expect(404);
    expect(open.body.detail).toBe(`no transport work ${workId}`);
    expect((await lead().get(sections(workId)).expect(200)).body).toEqual([section]);
  });
});

describe('operating mileage (通车里程)', () => {
  it('adds sections to the baseline exactly, per region and kind', async () => {
    const region = freshRegion();
    const baseline = await admin()
      .post('/api/v1/mileage/baselines', {
        regionCode: region,
        kind: 'expressway',
        baselineKm: 141,
      })
      .expect(200);
    expect(baseline.body).toEqual({
      kind: 'expressway',
      operatingKm: 141,
      baselineKm: 141,
      openedKm: 0,
    });

    const workId = await workIn('construction', { regionCode: region });
    for (const km of [0.1, 0.2, 12.345]) {
      const s = await addSection(workId, km);
      await openOn(workId, s.id).expect(200);
    }
    const rural = await workIn('construction', { regionCode: region, kind: 'rural-road' });
    await openOn(rural, (await addSection(rural, 4.4)).id).expect(200);

    const res = await supervisor().get(`/api/v1/mileage?regionCode=${region}`).expect(200);
    expect(res.body.regionCode).toBe(region);
    expect(res.body.items).toEqual([
      { kind: 'expressway', operatingKm: 153.645, baselineKm: 141, openedKm: 12.645 },
      { kind: 'railway', operatingKm: 0, baselineKm: 0, openedKm: 0 },
      { kind: 'airport', operatingKm: 0, baselineKm: 0, openedKm: 0 },
      { kind: 'general-aviation-airport', operatingKm: 0, baselineKm: 0, openedKm: 0 },
      { kind: 'trunk-road', operatingKm: 0, baselineKm: 0, openedKm: 0 },
      { kind: 'rural-road', operatingKm: 4.4, baselineKm: 0, openedKm: 4.4 },
    ]);

    await h.delivered();
    expect(
      mileageEvents(region, 'expressway').map((e) => [
        e.event.data.operatingKm,
        e.event.data.changeKm,
      ]),
    ).toEqual([
      [141, 141],
      [141.1, 0.1],
      [141.3, 0.2],
      [153.645, 12.345],
    ]);
  });

  it('lets only an admin record a baseline; an unchanged one emits nothing, a lower one a negative change', async () => {
    const region = freshRegion();
    const body = { regionCode: region, kind: 'railway', baselineKm: 88.8 };
    const denied = await lead().post('/api/v1/mileage/baselines', body).expect(403);
    expect(denied.body.detail).toContain('requires role admin');
    await supervisor().post('/api/v1/mileage/baselines', body).expect(403);
    await admin().post('/api/v1/mileage/baselines', body).expect(200);
    await admin().post('/api/v1/mileage/baselines', body).expect(200);
    const lower = await admin()
      .post('/api/v1/mileage/baselines', { ...body, baselineKm: 88.3 })
      .expect(200);
    expect(lower.body).toMatchObject({ operatingKm: 88.3, baselineKm: 88.3 });
    await h.delivered();
    expect(mileageEvents(region, 'railway').map((e) => e.event.data.changeKm)).toEqual([
      88.8, -0.5,
    ]);
  });

  it.each([
    ['a negative baseline', { baselineKm: -1 }, 'baselineKm'],
    ['a fourth decimal', { baselineKm: 1.0001 }, 'baselineKm'],
    ['an unknown kind', { kind: 'canal' }, 'kind'],
  ])('refuses %s as a 400 naming the field', async (_w, override, field) => {
    const body = { regionCode: freshRegion(), kind: 'expressway', baselineKm: 1, ...override };
    const res = await admin().post('/api/v1/mileage/baselines', body).expect(400);
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('counts two sections of one region and kind opened at the same time exactly (the mileage row lock)', async () => {
    const region = freshRegion();
    // A baseline first, so the row exists and neither opening waits on creating it.
    await admin()
      .post('/api/v1/mileage/baselines', { regionCode: region, kind: 'expressway', baselineKm: 10 })
      .expect(200);
    // Two works, so the works' own locks do not already queue the two openings.
    const works = await Promise.all([
      workIn('construction', { regionCode: region }),
      workIn('construction', { regionCode: region }),
    ]);
    const opening = await Promise.all(
      works.map(async (workId, i) => ({
        workId,
        section: await addSection(workId, [1.234, 5.678][i]),
      })),
    );

    const results = await Promise.all(
      opening.map(({ workId, section }) => openOn(workId, section.id)),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);

    expect(await mileageOf(region, 'expressway')).toEqual({
      kind: 'expressway',
      operatingKm: 16.912,
      baselineKm: 10,
      openedKm: 6.912,
    });
    await h.delivered();
    const totals = mileageEvents(region, 'expressway')
      .slice(1)
      .map((e) => e.event.data.operatingKm)
      .sort((a, b) => a - b);
    expect([
      [11.234, 16.912],
      [15.678, 16.912],
    ]).toContainEqual(totals);
  });

  it('shows a region-bound token its own region only: another region is a 403', async () => {
    const region = freshRegion();
    const county = boundTo(region, 'supervisor');
    const own = await county.get(`/api/v1/mileage?regionCode=${region}`).expect(200);
    expect(own.body.regionCode).toBe(region);
    const refused = await county.get(`/api/v1/mileage?regionCode=${REGION}`).expect(403);
    expect(refused.body.detail).toBe(`a token for region ${region} may not read region ${REGION}`);
    await boundTo(region).get(`/api/v1/mileage?regionCode=${REGION}`).expect(403);
    await supervisor().get(`/api/v1/mileage?regionCode=${region}`).expect(200);
  });

  it('needs a valid regionCode to read', async () => {
    const res = await supervisor().get('/api/v1/mileage').expect(400);
    expect(res.body.errors).toEqual([{ field: 'query.regionCode', message: expect.any(String) }]);
    await supervisor().get('/api/v1/mileage?regionCode=51').expect(400);
    await api(() => h.server())
      .get(`/api/v1/mileage?regionCode=${REGION}`)
      .expect(401);
  });
});
