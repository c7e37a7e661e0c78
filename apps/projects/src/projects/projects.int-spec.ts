import { randomUUID } from 'node:crypto';
import { ProjectEventTypes } from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import {
  ProjectsHarness,
  REGION,
  api,
  chinaDay,
  projectBody,
  startProjectsApp,
  tokens,
  unique,
} from '../testing/http';

let h: ProjectsHarness;
const admin = () => api(() => h.server(), tokens.admin());
const agri = () => api(() => h.server(), tokens.department('AGRI'));
const water = () => api(() => h.server(), tokens.department('WATER'));
const supervisor = () => api(() => h.server(), tokens.supervisor());
const anonymous = () => api(() => h.server());

const PROJECTS = '/api/v1/projects';

async function register(body: Record<string, unknown>, as = admin()) {
  const res = await as.post(PROJECTS, body);
  expect(res.status).toBe(201);
  return res.body as Record<string, unknown> & { id: string; version: number };
}

async function listAll(query: string): Promise<string[]> {
  const res = await admin().get(`${PROJECTS}?limit=200&${query}`).expect(200);
  expect(res.body.nextCursor).toBeNull();
  return (res.body.items as { id: string }[]).map((p) => p.id);
}

async function projectsWithCode(code: string): Promise<number> {
  const [{ n }] = await h.service.db.dataSource.query(
    'SELECT count(*)::int AS n FROM projects WHERE code = $1',
    [code],
  );
  return n;
}

beforeAll(async () => {
  h = await startProjectsApp();
});

afterAll(async () => {
  await h?.close();
});

describe('registering a key project', () => {
  it('answers 201 with the body, an id, status reserve and version 1, and publishes one registered event keyed by the id', async () => {
    const body = projectBody();
    const created = await register(body, agri());
    expect(created).toMatchObject({
      ...body,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'reserve',
      suspendedFrom: null,
      parkId: null,
      version: 1,
    });

    const fetched = await agri().get(`${PROJECTS}/${created.id}`).expect(200);
    expect(fetched.body).toMatchObject({ ...body, id: created.id, status: 'reserve', version: 1 });

    await h.delivered();
    const events = h.events(ProjectEventTypes.registered, created.id);
    expect(events).toHaveLength(1);
    const [{ key, event }] = events;
    expect(key).toBe(created.id);
    expect(event).toMatchObject({ source: '/duban/projects', region: REGION });
    expect(event.data).toEqual({
      projectId: created.id,
      code: body.code,
      name: body.name,
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
      parkId: null,
      tags: ['3+2 agriculture'],
      status: 'reserve',
      suspendedFrom: null,
      version: 1,
    });
  });

  it('refuses a second project with the same code in the region as 409', async () => {
    const body = projectBody();
    const first = await register(body);
    const again = await admin()
      .post(PROJECTS, { ...body, name: 'another name' })
      .expect(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({
      type: 'urn:duban:problem:conflict',
      status: 409,
      detail: expect.stringContaining(body.code),
      projectId: first.id,
    });
    expect(await projectsWithCode(body.code)).toBe(1);
  });

  it('refuses a park the directory does not know as 400 naming parkId', async () => {
    const body = projectBody({ parkId: randomUUID() });
    const res = await admin().post(PROJECTS, body).expect(400);
    expect(res.body.errors).toEqual([{ field: 'parkId', message: expect.any(String) }]);
    expect(await projectsWithCode(body.code)).toBe(0);
  });

  it.each([
    ['a wrong type', { level: 5 }, 'level'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['an impossible date', { plannedStartDate: '2026-02-30' }, 'plannedStartDate'],
    [
      'an end before the start',
      { plannedStartDate: '2026-06-01', plannedEndDate: '2026-05-31' },
      'plannedEndDate',
    ],
    ['negative money', { totalPlannedInvestmentWan: '-1.00' }, 'totalPlannedInvestmentWan'],
    ['money as a number', { totalPlannedInvestmentWan: 1200 }, 'totalPlannedInvestmentWan'],
    [
      'money without two decimals',
      { annualPlannedInvestmentWan: '1200' },
      'annualPlannedInvestmentWan',
    ],
  ])('refuses %s as a 400 problem naming the field', async (_what, override, field) => {
    const body = projectBody(override);
    const res = await admin().post(PROJECTS, body).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:duban:problem:validation', status: 400 });
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
    expect(await projectsWithCode(body.code)).toBe(0);
  });

  it('names the exact problem for unknown fields, impossible dates and negative money', async () => {
    const res = await admin()
      .post(
        PROJECTS,
        projectBody({
          colour: 'red',
          plannedStartDate: '2026-02-30',
          totalPlannedInvestmentWan: '-1.00',
        }),
      )
      .expect(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'colour', message: 'unknown field: colour' },
        { field: 'plannedStartDate', message: 'is not a real calendar date' },
        { field: 'totalPlannedInvestmentWan', message: 'must not be negative' },
      ]),
    );
  });
});

describe('reading projects', () => {
  it('answers 400 naming id for a path id that is not a UUID', async () => {
    const res = await admin().get(`${PROJECTS}/not-a-uuid`).expect(400);
    expect(res.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });

  it('answers a 404 problem for an unknown project', async () => {
    const id = randomUUID();
    const res = await admin().get(`${PROJECTS}/${id}`).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:duban:problem:not-found',
      status: 404,
      detail: expect.stringContaining(id),
    });
  });

  it('refuses an unknown query parameter as 400 naming it', async () => {
    const res = await admin().get(`${PROJECTS}?colour=red`).expect(400);
    expect(res.body.errors).toEqual([{ field: 'query.colour', message: 'unknown field: colour' }]);
  });

  it('filters by unit, status, level, township, name or code, and overdue milestones', async () => {
    const s = unique();
    const unitA = `UA-${s}`;
    const unitB = `UB-${s}`;
    const a = await register(
      projectBody({ leadUnit: unitA, township: `镇A-${s}`, name: `园区甲 ${s}`, level: 'county' }),
    );
    const b = await register(
      projectBody({ leadUnit: unitB, township: `镇B-${s}`, level: 'provincial' }),
    );
    const c = await register(
      projectBody({ leadUnit: unitB, township: `镇B-${s}`, level: 'provincial' }),
    );
    await admin().post(`${PROJECTS}/${b.id}/status`, { status: 'pre-work' }).expect(200);
    // a: pending milestone 10 days late; b: pending, due later; c: late but already met.
    const ms = (p: { id: string }) => `${PROJECTS}/${p.id}/milestones`;
    await admin()
      .post(ms(a), { name: '开工', ownerUnit: unitA, plannedDate: chinaDay(-10) })
      .expect(201);
    await admin()
      .post(ms(b), { name: '开工', ownerUnit: unitB, plannedDate: chinaDay(30) })
      .expect(201);
    const met = await admin()
      .post(ms(c), { name: '开工', ownerUnit: unitB, plannedDate: chinaDay(-10) })
      .expect(201);
    await admin()
      .post(`${ms(c)}/${met.body.id}/complete`, { actualDate: chinaDay(-5) })
      .expect(200);

    expect(await listAll(`unit=${unitA}`)).toEqual([a.id]);
    expect(await listAll(`unit=${unitB}`)).toEqual([b.id, c.id]);
    expect(await listAll(`township=${encodeURIComponent(`镇B-${s}`)}`)).toEqual([b.id, c.id]);
    expect(await listAll(`q=${encodeURIComponent(`园区甲 ${s}`)}`)).toEqual([a.id]);
    expect(await listAll(`q=${String(c.code).toLowerCase()}`)).toEqual([c.id]);
    expect(await listAll(`unit=${unitB}&status=pre-work`)).toEqual([b.id]);
    expect(await listAll(`unit=${unitB}&status=reserve`)).toEqual([c.id]);

    const preWork = await admin().get(`${PROJECTS}?limit=200&status=pre-work`).expect(200);
    expect(preWork.body.items.map((p: { id: string }) => p.id)).toContain(b.id);
    expect(preWork.body.items.every((p: { status: string }) => p.status === 'pre-work')).toBe(true);

    const county = await listAll('level=county');
    expect(county).toContain(a.id);
    expect(county).not.toContain(b.id);
    expect(await listAll(`unit=${unitA}&level=provincial`)).toEqual([]);

    const overdue = await listAll('overdue=true');
    expect(overdue).toContain(a.id);
    expect(overdue).not.toContain(b.id);
    expect(overdue).not.toContain(c.id);
    expect(await listAll(`unit=${unitB}&overdue=true`)).toEqual([]);
  });

  it('treats % and _ in q literally', async () => {
    const s = unique();
    const p = await register(projectBody({ name: `百分之百_${s}%` }));
    expect(await listAll(`q=${encodeURIComponent(`_${s}%`)}`)).toEqual([p.id]);
    expect(await listAll(`q=${encodeURIComponent(`%${s}_`)}`)).toEqual([]);
  });

  it('pages with limit and nextCursor: every project once, none twice', async () => {
    const unit = `PG-${unique()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await register(projectBody({ leadUnit: unit }))).id);

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await supervisor()
        .get(`${PROJECTS}?unit=${unit}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      const body = res.body as { items: { id: string }[]; nextCursor: string | null };
      const page = body.items.map((p) => p.id);
      pageSizes.push(page.length);
      seen.push(...page);
      cursor = body.nextCursor;
      if (cursor) expect(cursor).toBe(page[page.length - 1]);
    } while (cursor);

    expect(pageSizes).toEqual([2, 2, 1]);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...ids].sort());
  });
});

describe('changing a project', () => {
  it('updates with the current version (200, version + 1, one updated event) and refuses a stale one as 409', async () => {
    const p = await register(projectBody(), agri());
    const updated = await agri()
      .patch(`${PROJECTS}/${p.id}`, {
        version: 1,
        name: '生猪种业产业园（二期）',
        annualPlannedInvestmentWan: '45000.50',
      })
      .expect(200);
    expect(updated.body).toMatchObject({
      id: p.id,
      name: '生猪种业产业园（二期）',
      annualPlannedInvestmentWan: '45000.50',
      totalPlannedInvestmentWan: '120000.00',
      version: 2,
    });

    const stale = await agri()
      .patch(`${PROJECTS}/${p.id}`, { version: 1, name: 'lost update' })
      .expect(409);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.body).toMatchObject({
      type: 'urn:duban:problem:conflict',
      status: 409,
      currentVersion: 2,
    });
    const current = await agri().get(`${PROJECTS}/${p.id}`).expect(200);
    expect(current.body).toMatchObject({ name: '生猪种业产业园（二期）', version: 2 });

    await h.delivered();
    const events = h.events<Record<string, unknown>>(ProjectEventTypes.updated, p.id);
    expect(events).toHaveLength(1);
    expect(events[0].key).toBe(p.id);
    expect(events[0].event.data).toMatchObject({
      projectId: p.id,
      name: '生猪种业产业园（二期）',
      annualPlannedInvestmentWan: '45000.50',
      totalPlannedInvestmentWan: '120000.00',
      version: 2,
    });
  });

  it('refuses an update whose end date falls before the stored start date', async () => {
    const p = await register(projectBody());
    const res = await admin()
      .patch(`${PROJECTS}/${p.id}`, { version: 1, plannedEndDate: '2024-01-01' })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'plannedEndDate', message: expect.any(String) }]);
  });

  it('moves reserve → pre-work → under-construction → suspended → under-construction, one status-changed event each', async () => {
    const p = await register(projectBody(), agri());
    const steps: [string, string, string | null][] = [
      ['pre-work', 'reserve', null],
      ['under-construction', 'pre-work', null],
      ['suspended', 'under-construction', 'under-construction'],
      ['under-construction', 'suspended', null],
    ];
    let version = 1;
    for (const [status, , suspendedFrom] of steps) {
      const res = await agri()
        .post(`${PROJECTS}/${p.id}/status`, { status, version, reason: `to ${status}` })
        .expect(200);
      version += 1;
      expect(res.body).toMatchObject({ id: p.id, status, suspendedFrom, version });
    }

    const illegal = await agri()
      .post(`${PROJECTS}/${p.id}/status`, { status: 'reserve' })
      .expect(409);
    expect(illegal.body).toMatchObject({
      type: 'urn:duban:problem:conflict',
      status: 409,
      from: 'under-construction',
      to: 'reserve',
      allowed: ['completed', 'suspended'],
      detail: expect.stringContaining('completed, suspended'),
    });

    await h.delivered();
    const events = h.events<Record<string, unknown>>(ProjectEventTypes.statusChanged, p.id);
    expect(events.map((e) => e.key)).toEqual([p.id, p.id, p.id, p.id]);
    expect(
      events.map(({ event: { data } }) => [data.status, data.previousStatus, data.suspendedFrom]),
    ).toEqual(steps);
    expect(events.map(({ event }) => event.data.version)).toEqual([2, 3, 4, 5]);
    expect(events.map(({ event }) => event.data.reason)).toEqual(
      steps.map(([status]) => `to ${status}`),
    );
  });
});

describe('who may do what', () => {
  it('answers 401 without a token', async () => {
    const res = await anonymous().get(PROJECTS).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    await anonymous().post(PROJECTS, projectBody()).expect(401);
  });

  it("refuses a department creating or changing another unit's project (403)", async () => {
    const body = projectBody({ leadUnit: 'AGRI' });
    const res = await water().post(PROJECTS, body).expect(403);
    expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(await projectsWithCode(body.code)).toBe(0);

    const p = await register(projectBody(), agri());
    await water().patch(`${PROJECTS}/${p.id}`, { version: 1, name: 'taken over' }).expect(403);
    await water().post(`${PROJECTS}/${p.id}/status`, { status: 'pre-work' }).expect(403);
    // Nor may it hand its own project over to the lead of another unit.
    const own = await register(projectBody({ leadUnit: 'WATER' }), water());
    await water().patch(`${PROJECTS}/${own.id}`, { version: 1, leadUnit: 'AGRI' }).expect(403);

    const unchanged = await agri().get(`${PROJECTS}/${p.id}`).expect(200);
    expect(unchanged.body).toMatchObject({ name: p.name, version: 1, status: 'reserve' });
  });

  it('lets a supervisor read but not write', async () => {
    await supervisor().post(PROJECTS, projectBody()).expect(403);
    const p = await register(projectBody());
    await supervisor().get(`${PROJECTS}/${p.id}`).expect(200);
    const list = await supervisor().get(`${PROJECTS}?q=${p.code}`).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([p.id]);
  });
});

describe('Idempotency-Key on registration', () => {
  it('answers a retry with the same key and body with the first 201 and registers once', async () => {
    const key = randomUUID();
    const body = projectBody();
    const first = await agri().post(PROJECTS, body).set('Idempotency-Key', key).expect(201);
    const again = await agri().post(PROJECTS, body).set('Idempotency-Key', key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await projectsWithCode(body.code)).toBe(1);

    await h.delivered();
    const registered = h.reader.messages
      .map((m) => m.json<{ type: string; data: { code: string } }>())
      .filter((e) => e.type === ProjectEventTypes.registered && e.data.code === body.code);
    expect(registered).toHaveLength(1);
    expect(h.events(ProjectEventTypes.registered, first.body.id)).toHaveLength(1);
  });

  it('refuses the same key with a different body as 422', async () => {
    const key = randomUUID();
    const body = projectBody();
    await agri().post(PROJECTS, body).set('Idempotency-Key', key).expect(201);
    const other = projectBody();
    const res = await agri().post(PROJECTS, other).set('Idempotency-Key', key).expect(422);
    expect(res.body).toMatchObject({
      type: 'urn:duban:problem:idempotency-key-reused',
      status: 422,
    });
    expect(await projectsWithCode(other.code)).toBe(0);
  });

  it('lists projects without overdue milestones for overdue=false', async () => {
    const late = await register(projectBody({ leadUnit: 'AGRI' }));
    const fine = await register(projectBody({ leadUnit: 'AGRI' }));
    await admin()
      .post(`${PROJECTS}/${late.id}/milestones`, {
        name: '逾期节点',
        ownerUnit: 'AGRI',
        plannedDate: chinaDay(-3),
      })
      .expect(201);
    const notOverdue = await listAll('overdue=false');
    expect(notOverdue).toContain(fine.id);
    expect(notOverdue).not.toContain(late.id);
  });

  it('refuses a write from a token bound to another region: 403 for a new project there, 404 for an existing one', async () => {
    const project = await register(projectBody({ leadUnit: 'AGRI' }));
    const elsewhere = api(
      () => h.server(),
      signToken(
        { subject: 'agri-511113', role: 'department', unit: 'AGRI', region: '511113' },
        authSecretFrom(),
      ),
    );
    await elsewhere.post(PROJECTS, projectBody({ leadUnit: 'AGRI' })).expect(403);
    const hidden = await elsewhere
      .patch(`${PROJECTS}/${project.id}`, { name: '改名', version: project.version })
      .expect(404);
    expect(hidden.body.detail).toBe(`no project ${project.id}`);
    await elsewhere.post(`${PROJECTS}/${project.id}/status`, { status: 'pre-work' }).expect(404);
    const unchanged = await admin().get(`${PROJECTS}/${project.id}`).expect(200);
    expect(unchanged.body).toMatchObject({ version: 1, status: 'reserve' });
  });

  it("shows a region-bound token its own region only: other regions' projects are 404 and a list of them 403", async () => {
    const here = await register(projectBody({ leadUnit: 'AGRI' }));
    const there = await register(projectBody({ leadUnit: 'AGRI', regionCode: '511113' }));
    const county = api(
      () => h.server(),
      signToken(
        { subject: 'duchashi-511113', role: 'supervisor', region: '511113' },
        authSecretFrom(),
      ),
    );
    await county.get(`${PROJECTS}/${there.id}`).expect(200);
    await county.get(`${PROJECTS}/${here.id}`).expect(404);
    await county.get(`${PROJECTS}/${here.id}/milestones`).expect(404);
    await county.get(`${PROJECTS}/${here.id}/progress-reports`).expect(404);
    const listed = await county.get(`${PROJECTS}?limit=200`).expect(200);
    const ids = (listed.body.items as { id: string; regionCode: string }[]).map((p) => p.id);
    expect(ids).toContain(there.id);
    expect(ids).not.toContain(here.id);
    const refused = await county.get(`${PROJECTS}?region=${REGION}`).expect(403);
    expect(refused.body.detail).toBe(`a token for region 511113 may not read region ${REGION}`);
    // An unbound supervisor still sees every region, and may narrow to one.
    expect(await listAll(`region=${REGION}`)).toContain(here.id);
    expect(await listAll(`region=${REGION}`)).not.toContain(there.id);
  });
});
