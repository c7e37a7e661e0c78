import { ChangeRequestEventTypes, MilestoneEventTypes } from '@duban/contracts';
import {
  ProjectsHarness,
  REGION,
  api,
  chinaDay,
  projectBody,
  startProjectsApp,
  tokens,
} from '../../apps/projects/src/testing/http';

/**
 * Attacks on change requests (issue 12, "Changes need approval") as the supervised side, another
 * county, an integrator or a careless client would make them: regression guards for what held.
 */
let h: ProjectsHarness;
const as = (token: string) => api(() => h.server(), token);
const lead = (unit = 'AGRI', region = REGION) => as(tokens.department(unit, region));
const supervisor = () => as(tokens.as('supervisor', 'duchashi', undefined, REGION));
const otherSupervisor = () => as(tokens.as('supervisor', 'qu-duchashi', undefined, '511102'));
const integrator = () => as(tokens.as('integrator', 'feed', undefined, REGION));
const admin = () => as(tokens.admin());
const CR = '/api/v1/change-requests';

async function countyMilestone(leadUnit = 'AGRI', level = 'county') {
  const project = await lead(leadUnit)
    .post('/api/v1/projects', projectBody({ level, leadUnit }))
    .expect(201);
  const url = `/api/v1/projects/${project.body.id}/milestones`;
  const m = await lead(leadUnit)
    .post(url, { name: '主体工程封顶', ownerUnit: 'WATER', plannedDate: chinaDay(-5) })
    .expect(201);
  return {
    projectId: project.body.id as string,
    projectUrl: `/api/v1/projects/${project.body.id}`,
    id: m.body.id as string,
    url: `${url}/${m.body.id}`,
    list: url,
  };
}

async function stored(m: { list: string; id: string }) {
  const res = await admin().get(m.list).expect(200);
  return (res.body as { id: string; currentPlannedDate: string; status: string }[]).find(
    (x) => x.id === m.id,
  )!;
}

async function typesOf(milestoneId: string): Promise<string[]> {
  await h.delivered();
  return h.reader.messages
    .filter((msg) => msg.key === milestoneId)
    .map((msg) => msg.json<{ type: string }>().type);
}

const ask = (m: { url: string }, days = 60) =>
  lead().post(`${m.url}/reschedule`, { plannedDate: chinaDay(days), reason: '用地报批延后' });

beforeAll(async () => {
  h = await startProjectsApp();
});

afterAll(async () => {
  await h?.close();
});

describe('who may decide', () => {
  it('refuses deciders who are not a supervisor of the region, without leaking the request', async () => {
    const m = await countyMilestone();
    const req = await ask(m).expect(202);
    const id = req.body.id as string;
    const log: Record<string, number> = {};
    const probe = async (name: string, p: PromiseLike<{ status: number }>) => {
      log[name] = (await p).status;
    };
    await probe('lead approves', lead().post(`${CR}/${id}/approve`, {}));
    await probe('owner unit approves', lead('WATER').post(`${CR}/${id}/approve`, {}));
    await probe('integrator approves', integrator().post(`${CR}/${id}/approve`, {}));
    await probe('integrator rejects', integrator().post(`${CR}/${id}/reject`, { note: 'x' }));
    await probe('integrator withdraws', integrator().post(`${CR}/${id}/withdraw`, {}));
    await probe(
      'other county supervisor approves',
      otherSupervisor().post(`${CR}/${id}/approve`, {}),
    );
    await probe('other county supervisor reads', otherSupervisor().get(`${CR}/${id}`));
    await probe(
      'same unit, other county, withdraws',
      lead('AGRI', '511102').post(`${CR}/${id}/withdraw`, {}),
    );
    await probe('same unit, other county, reads', lead('AGRI', '511102').get(`${CR}/${id}`));
    await probe('other unit withdraws', lead('WATER').post(`${CR}/${id}/withdraw`, {}));
    await probe('other unit reads', lead('WATER').get(`${CR}/${id}`));
    await probe('supervisor withdraws', supervisor().post(`${CR}/${id}/withdraw`, {}));
    await probe(
      'unknown id approved',
      supervisor().post(`${CR}/0192f7a0-0000-7000-8000-000000000000/approve`, {}),
    );
    await probe('no token', api(() => h.server()).post(`${CR}/${id}/approve`, {}));
    expect(log).toEqual({
      'lead approves': 403,
      'owner unit approves': 403,
      'integrator approves': 403,
      'integrator rejects': 403,
      'integrator withdraws': 403,
      'other county supervisor approves': 404,
      'other county supervisor reads': 404,
      'same unit, other county, withdraws': 404,
      'same unit, other county, reads': 404,
      'other unit withdraws': 404,
      'other unit reads': 404,
      'supervisor withdraws': 403,
      'unknown id approved': 404,
      'no token': 401,
    });
    expect((await admin().get(`${CR}/${id}`).expect(200)).body.state).toBe('requested');
    expect((await stored(m)).currentPlannedDate).toBe(chinaDay(-5));
  });
});

describe('escaping approval', () => {
  it('a lead unit cannot re-level its county project to approve its own reschedule', async () => {
    const m = await countyMilestone();
    const relevel = await lead().patch(m.projectUrl, { level: 'national', version: 1 }).expect(403);
    expect(relevel.body.detail).toMatch(/only an admin may change the level/);
    await ask(m).expect(202);
    expect((await stored(m)).currentPlannedDate).toBe(chinaDay(-5));
    // The same unit may still edit what does not decide approval.
    await lead().patch(m.projectUrl, { level: 'county', version: 1 }).expect(200);
  });
});

describe('races', () => {
  it('creates one request of two concurrent reschedules (the other 409)', async () => {
    const m = await countyMilestone();
    const res = await Promise.all([ask(m, 60), ask(m, 61), ask(m, 62)]);
    expect(res.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    const list = await admin().get(`${CR}?state=requested&limit=200`).expect(200);
    expect(
      list.body.items.filter((r: { milestoneId: string }) => r.milestoneId === m.id),
    ).toHaveLength(1);
  });

  it('orders approve and reject racing: one wins, the other is a 409', async () => {
    const m = await countyMilestone();
    const id = (await ask(m).expect(202)).body.id as string;
    const [a, r] = await Promise.all([
      supervisor().post(`${CR}/${id}/approve`, { note: '同意' }),
      admin().post(`${CR}/${id}/reject`, { note: '不同意' }),
    ]);
    expect([a.status, r.status].sort()).toEqual([200, 409]);
    const decided = (await admin().get(`${CR}/${id}`).expect(200)).body.state;
    expect((await stored(m)).currentPlannedDate).toBe(
      decided === 'approved' ? chinaDay(60) : chinaDay(-5),
    );
  });

  it('applies two racing approvals once: both 200, one change-approved, one rescheduled', async () => {
    const m = await countyMilestone();
    const id = (await ask(m).expect(202)).body.id as string;
    const res = await Promise.all([
      supervisor().post(`${CR}/${id}/approve`, { note: 'a' }),
      supervisor().post(`${CR}/${id}/approve`, { note: 'b' }),
      admin().post(`${CR}/${id}/approve`, { note: 'c' }),
    ]);
    expect(res.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await typesOf(m.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.approved,
      MilestoneEventTypes.rescheduled,
    ]);
  });
});

describe('the milestone moves meanwhile', () => {
  it('completion while a reschedule waits withdraws the request: nothing is left to decide', async () => {
    const m = await countyMilestone();
    const id = (await ask(m).expect(202)).body.id as string;
    await lead('WATER')
      .post(`${m.url}/complete`, { actualDate: chinaDay(-1) })
      .expect(200);
    const request = await supervisor().get(`${CR}/${id}`).expect(200);
    expect([request.body.state, request.body.decidedBy]).toEqual(['withdrawn', 'WATER']);
    expect(request.body.decisionNote).toMatch(/milestone is met/);
    const approve = await supervisor().post(`${CR}/${id}/approve`, { note: '同意' });
    expect(approve.status).toBe(409);
    expect((await stored(m)).status).toBe('met');
    expect(await typesOf(m.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      MilestoneEventTypes.completed,
      ChangeRequestEventTypes.withdrawn,
    ]);
  });

  it('refuses a request to move a deadline to a day already gone (400 naming plannedDate)', async () => {
    const m = await countyMilestone();
    const res = await ask(m, -30).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'plannedDate', message: expect.stringMatching(/must not be before today/) },
    ]);
    await ask(m, 0).expect(202);
  });

  it('an admin cannot move the milestone under an open request (409 naming it)', async () => {
    const m = await countyMilestone();
    const id = (await ask(m).expect(202)).body.id as string;
    const res = await admin().post(`${m.url}/reschedule`, {
      plannedDate: chinaDay(30),
      reason: 'x',
    });
    expect(res.status).toBe(409);
    expect(res.body.changeRequestId).toBe(id);
  });
});

describe('careless clients', () => {
  it('answers 400 naming the field, never 500', async () => {
    const m = await countyMilestone();
    const id = (await ask(m).expect(202)).body.id as string;
    const out: Record<string, [number, unknown]> = {};
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON answers
    const probe = async (name: string, p: PromiseLike<{ status: number; body: any }>) => {
      const r = await p;
      out[name] = [
        r.status,
        r.body?.errors?.map((e: { field: string }) => e.field) ?? r.body?.detail,
      ];
    };
    await probe('reject blank note', supervisor().post(`${CR}/${id}/reject`, { note: '   ' }));
    await probe('reject note number', supervisor().post(`${CR}/${id}/reject`, { note: 42 }));
    await probe('reject note null', supervisor().post(`${CR}/${id}/reject`, { note: null }));
    await probe(
      'approve unknown field',
      supervisor().post(`${CR}/${id}/approve`, { note: 'x', state: 'approved' }),
    );
    await probe(
      'approve array body',
      supervisor().post(`${CR}/${id}/approve`, [] as unknown as object),
    );
    await probe('bad uuid', supervisor().post(`${CR}/not-a-uuid/approve`, {}));
    await probe('bad uuid get', supervisor().get(`${CR}/1234`));
    await probe('list bad state', supervisor().get(`${CR}?state=open`));
    await probe('list two states', supervisor().get(`${CR}?state=requested&state=approved`));
    await probe('list limit 0', supervisor().get(`${CR}?limit=0`));
    await probe('list limit abc', supervisor().get(`${CR}?limit=abc`));
    await probe('list limit 1e9', supervisor().get(`${CR}?limit=1000000000`));
    await probe('list cursor junk', supervisor().get(`${CR}?cursor=abc`));
    await probe(
      'list cursor sql',
      supervisor().get(`${CR}?cursor=${encodeURIComponent("' OR 1=1 --")}`),
    );
    await probe('list unknown param', supervisor().get(`${CR}?foo=1`));
    await probe('list bad unit', supervisor().get(`${CR}?unit=agri`));
    await probe('list bad region', supervisor().get(`${CR}?region=51`));
    await probe('list bad subjectType', supervisor().get(`${CR}?subjectType=park`));
    await probe('list region object', supervisor().get(`${CR}?region[x]=1`));
    await probe('dept lists other unit', lead().get(`${CR}?unit=WATER`));
    await probe('dept lists other region', lead().get(`${CR}?region=511102`));
    await probe('supervisor lists other region', supervisor().get(`${CR}?region=511102`));
    await probe(
      'reschedule reason blank',
      lead().post(`${m.url}/reschedule`, { plannedDate: chinaDay(9), reason: ' ' }),
    );
    await probe(
      'forecast smuggling a reschedule',
      lead().patch(m.url, {
        forecastDate: chinaDay(9),
        kind: 'reschedule',
        plannedDate: chinaDay(90),
      }),
    );
    await probe(
      'complete smuggling a cancel',
      lead().post(`${m.url}/complete`, { actualDate: chinaDay(-1), kind: 'cancel', reason: 'x' }),
    );
    await probe(
      'reschedule bad date',
      lead().post(`${m.url}/reschedule`, { plannedDate: '2026-02-30', reason: 'x' }),
    );
    for (const [, [status]] of Object.entries(out)) expect(status).toBeLessThan(500);
    expect(out).toMatchObject({
      'reject blank note': [400, ['note']],
      'reject note number': [400, ['note']],
      'reject note null': [400, ['note']],
      'approve unknown field': [400, ['state']],
      'approve array body': [400, ['(body)']],
      'bad uuid': [400, ['requestId']],
      'bad uuid get': [400, ['requestId']],
      'list bad state': [400, ['query.state']],
      'list two states': [400, ['query.state']],
      'list limit 0': [400, ['query.limit']],
      'list limit abc': [400, ['query.limit']],
      'list limit 1e9': [400, ['query.limit']],
      'list cursor junk': [400, ['query.cursor']],
      'list cursor sql': [400, ['query.cursor']],
      'list unknown param': [400, ['query.foo']],
      'list bad unit': [400, ['query.unit']],
      'list bad region': [400, ['query.region']],
      'list region object': [400, ['query.region[x]']],
      'dept lists other unit': [403, 'unit AGRI may not list the change requests of unit WATER'],
      'dept lists other region': [403, 'a token for region 511112 may not read region 511102'],
      'supervisor lists other region': [
        403,
        'a token for region 511112 may not read region 511102',
      ],
      'reschedule reason blank': [400, ['reason']],
      'reschedule bad date': [400, ['plannedDate']],
      'forecast smuggling a reschedule': [400, ['kind', 'plannedDate']],
      'complete smuggling a cancel': [400, ['kind', 'reason']],
    });
    expect((await admin().get(`${CR}/${id}`).expect(200)).body.state).toBe('requested');
  });

  it('a department lists only its own unit’s requests', async () => {
    const m = await countyMilestone('WATER');
    await lead('WATER')
      .post(`${m.url}/reschedule`, { plannedDate: chinaDay(60), reason: 'x' })
      .expect(202);
    const mine = await lead('AGRI').get(`${CR}?limit=200`).expect(200);
    expect(
      mine.body.items.every((r: { requestingUnit: string }) => r.requestingUnit === 'AGRI'),
    ).toBe(true);
    const otherCounty = await lead('WATER', '511102').get(`${CR}?limit=200`).expect(200);
    expect(otherCounty.body.items).toEqual([]);
    const other = await otherSupervisor().get(`${CR}?limit=200`).expect(200);
    expect(other.body.items.every((r: { regionCode: string }) => r.regionCode === '511102')).toBe(
      true,
    );
  });
});

describe('decisions, events and retries', () => {
  it('publishes each decision once, keyed by the milestone, with who decided and why', async () => {
    const m = await countyMilestone();
    const first = (await ask(m).expect(202)).body.id as string;
    const withdrawn = await lead()
      .post(`${CR}/${first}/withdraw`, { note: '不再需要' })
      .expect(200);
    expect(withdrawn.body).toMatchObject({
      state: 'withdrawn',
      decidedBy: 'AGRI',
      decisionNote: '不再需要',
    });
    const second = (await ask(m, 90).expect(202)).body.id as string;
    const rejected = await supervisor()
      .post(`${CR}/${second}/reject`, { note: '  不同意  ' })
      .expect(200);
    expect(rejected.body).toMatchObject({ decidedBy: 'duchashi', decisionNote: '不同意' });
    await h.delivered();
    const events = h.reader.messages
      .filter((msg) => msg.key === m.id)
      .map((msg) => msg.json<{ type: string; data: Record<string, unknown> }>())
      .map((e) => [
        e.type,
        e.data.requestId ?? null,
        e.data.decidedBy ?? null,
        e.data.decisionNote ?? null,
      ]);
    expect(events).toEqual([
      [MilestoneEventTypes.scheduled, null, null, null],
      [ChangeRequestEventTypes.requested, first, null, null],
      [ChangeRequestEventTypes.withdrawn, first, 'AGRI', '不再需要'],
      [ChangeRequestEventTypes.requested, second, null, null],
      [ChangeRequestEventTypes.rejected, second, 'duchashi', '不同意'],
    ]);
    expect((await stored(m)).currentPlannedDate).toBe(chinaDay(-5));
  });

  it('applies an approved cancellation once: change-approved, then cancelled', async () => {
    const m = await countyMilestone();
    const id = (await lead().post(`${m.url}/cancel`, { reason: '项目调整' }).expect(202)).body.id;
    await supervisor().post(`${CR}/${id}/approve`, {}).expect(200);
    expect((await stored(m)).status).toBe('cancelled');
    expect(await typesOf(m.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.approved,
      MilestoneEventTypes.cancelled,
    ]);
  });

  it('replays a retried reschedule or approval with the same Idempotency-Key', async () => {
    const m = await countyMilestone();
    const key = `cr-attack-${m.id}`;
    const body = { plannedDate: chinaDay(60), reason: '用地报批延后' };
    const a = await lead().post(`${m.url}/reschedule`, body).set('Idempotency-Key', key);
    const b = await lead().post(`${m.url}/reschedule`, body).set('Idempotency-Key', key);
    expect([a.status, b.status, b.body.id]).toEqual([202, 202, a.body.id]);
    const other = await lead()
      .post(`${m.url}/reschedule`, { ...body, plannedDate: chinaDay(61) })
      .set('Idempotency-Key', key);
    expect(other.status).toBe(422);
    const k2 = `cr-attack-approve-${m.id}`;
    const x = await supervisor()
      .post(`${CR}/${a.body.id}/approve`, { note: 'ok' })
      .set('Idempotency-Key', k2);
    const y = await supervisor()
      .post(`${CR}/${a.body.id}/approve`, { note: 'ok' })
      .set('Idempotency-Key', k2);
    expect([x.status, y.status, y.body.state]).toEqual([200, 200, 'approved']);
    expect(await typesOf(m.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.approved,
      MilestoneEventTypes.rescheduled,
    ]);
  });
});
