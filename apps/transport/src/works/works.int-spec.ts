import { randomUUID } from 'node:crypto';
import { authSecretFrom, signToken } from '@duban/auth';
import { MilestoneEventData, MilestoneEventTypes, TransportEventTypes } from '@duban/contracts';
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

// Works are TRANSPORT's (lead unit); NATRES owns the land gate; WATER has no part in them.
let h: DomainHarness;
const lead = () => api(() => h.server(), tokens.department('TRANSPORT'));
const natres = () => api(() => h.server(), tokens.department('NATRES'));
const water = () => api(() => h.server(), tokens.department('WATER'));
const supervisor = () => api(() => h.server(), tokens.supervisor());
const admin = () => api(() => h.server(), tokens.admin());
/** Tokens bound to the neighbouring county: they read and write region 511113 only. */
const OTHER_REGION = '511113';
const countySupervisor = () =>
  api(
    () => h.server(),
    signToken(
      { subject: `duchashi-${OTHER_REGION}`, role: 'supervisor', region: OTHER_REGION },
      authSecretFrom(),
    ),
  );
const countyLead = () =>
  api(
    () => h.server(),
    signToken(
      {
        subject: `transport-${OTHER_REGION}`,
        role: 'department',
        unit: 'TRANSPORT',
        region: OTHER_REGION,
      },
      authSecretFrom(),
    ),
  );

interface Work {
  id: string;
  phase: string;
  version: number;
  gates: { id: string; gate: string; status: string }[];
}

async function register(body: Record<string, unknown> = workBody()): Promise<Work> {
  // The lead unit of the work's own county: a department token is bound to one.
  const res = await (body.regionCode === OTHER_REGION ? countyLead() : lead()).post(WORKS, body);
  expect(res.status).toBe(201);
  return res.body;
}

const advance = (id: string, phase: string) => lead().post(`${WORKS}/${id}/phase`, { phase });
const gatePath = (id: string, gate: string) => `${WORKS}/${id}/gates/${gate}`;
const meet = (id: string, gate: string) =>
  lead()
    .post(`${gatePath(id, gate)}/complete`, { actualDate: chinaDay(-1) })
    .expect(200);

async function worksNamed(name: string): Promise<number> {
  const [{ n }] = await h.service.db.dataSource.query(
    'SELECT count(*)::int AS n FROM transport_works WHERE name = $1',
    [name],
  );
  return n;
}

beforeAll(async () => {
  h = await startTransportApp();
});

afterAll(async () => {
  await h?.close();
});

describe('registering a transport work', () => {
  it('answers 201 in planning with its gates, and publishes one registered event and one scheduled milestone per gate', async () => {
    const body = workBody({
      gates: [
        { gate: 'feasibility-study', plannedDate: chinaDay(-3) },
        { gate: 'land-and-environment', plannedDate: chinaDay(60), ownerUnit: 'NATRES' },
      ],
    });
    const work = await register(body);
    expect(work).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kind: 'railway',
      name: body.name,
      regionCode: REGION,
      leadUnit: 'TRANSPORT',
      plannedInvestmentWan: '1850000.00',
      phase: 'planning',
      version: 1,
    });
    expect(work.gates).toEqual([
      expect.objectContaining({
        gate: 'feasibility-study',
        term: '工可',
        name: `${body.name} 工可`,
        ownerUnit: 'TRANSPORT',
        plannedDate: chinaDay(-3),
        status: 'pending',
        overdue: true,
        daysLate: 3,
      }),
      expect.objectContaining({
        gate: 'land-and-environment',
        ownerUnit: 'NATRES',
        overdue: false,
      }),
    ]);

    await h.delivered();
    const registered = h.events(TransportEventTypes.workRegistered, work.id);
    expect(registered).toHaveLength(1);
    expect(registered[0].key).toBe(work.id);
    expect(registered[0].event).toMatchObject({ source: '/duban/transport', region: REGION });
    expect(registered[0].event.data).toEqual({
      workId: work.id,
      kind: 'railway',
      name: body.name,
      regionCode: REGION,
      leadUnit: 'TRANSPORT',
      plannedInvestmentWan: '1850000.00',
      phase: 'planning',
      version: 1,
    });
    for (const gate of work.gates) {
      const scheduled = h.events<MilestoneEventData>(MilestoneEventTypes.scheduled, gate.id);
      expect(scheduled).toHaveLength(1);
      expect(scheduled[0].key).toBe(gate.id);
      expect(scheduled[0].event.data).toMatchObject({
        subjectType: 'transport-work',
        subjectId: work.id,
        milestoneId: gate.id,
        status: 'pending',
        forecastDate: null,
        actualDate: null,
      });
    }
  });

  it.each([
    ['an unknown kind', { kind: 'canal' }, 'kind'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['money as a number', { plannedInvestmentWan: 1200 }, 'plannedInvestmentWan'],
    ['negative money', { plannedInvestmentWan: '-1.00' }, 'plannedInvestmentWan'],
    ['a bad region', { regionCode: '5111' }, 'regionCode'],
    [
      'an unknown gate',
      { gates: [{ gate: 'blessing', plannedDate: '2026-12-31' }] },
      'gates.0.gate',
    ],
    [
      'an impossible gate date',
      { gates: [{ gate: 'approval', plannedDate: '2026-02-30' }] },
      'gates.0.plannedDate',
    ],
    ['a repeated gate', { gates: [allGates('2026-12-31')[0], allGates('2027-01-31')[0]] }, 'gates'],
  ])(
    'refuses %s as a 400 problem naming the field, storing nothing',
    async (_w, override, field) => {
      const body = workBody(override);
      const res = await lead().post(WORKS, body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:duban:problem:validation', status: 400 });
      expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
      expect(await worksNamed(String(body.name))).toBe(0);
    },
  );

  it('refuses a second work of the same name in the region as 409', async () => {
    const body = workBody();
    const first = await register(body);
    const again = await lead().post(WORKS, body).expect(409);
    expect(again.body).toMatchObject({ status: 409, workId: first.id });
    expect(await worksNamed(body.name)).toBe(1);
  });

  it('lets only the lead unit or an admin register: 403 for another unit and a supervisor, 401 without a token', async () => {
    const body = workBody();
    const other = await water().post(WORKS, body).expect(403);
    expect(other.body.detail).toBe('unit WATER may not act for unit TRANSPORT');
    await supervisor().post(WORKS, body).expect(403);
    await api(() => h.server())
      .post(WORKS, body)
      .expect(401);
    expect(await worksNamed(body.name)).toBe(0);
    await admin().post(WORKS, body).expect(201);
  });

  it('answers a retry with the same Idempotency-Key with the first response, and registers once', async () => {
    const body = workBody({ gates: allGates(chinaDay(30)).slice(0, 2) });
    const key = `reg-${unique()}`;
    const first = await lead().post(WORKS, body).set('Idempotency-Key', key).expect(201);
    const again = await lead().post(WORKS, body).set('Idempotency-Key', key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const other = await lead()
      .post(WORKS, { ...body, name: `${body.name}-2` })
      .set('Idempotency-Key', key)
      .expect(422);
    expect(other.body.detail).toContain(key);
    expect(await worksNamed(body.name)).toBe(1);
    await h.delivered();
    expect(h.events(TransportEventTypes.workRegistered, first.body.id)).toHaveLength(1);
  });
});

describe('reading and changing works', () => {
  it('lets anyone signed in read a work with its gates; 404 for an unknown one, 400 for a bad id', async () => {
    const work = await register(workBody({ gates: allGates(chinaDay(10)) }));
    const res = await supervisor().get(`${WORKS}/${work.id}`).expect(200);
    expect(res.body).toMatchObject({ id: work.id, phase: 'planning' });
    expect(res.body.gates).toHaveLength(5);
    const missing = await supervisor().get(`${WORKS}/${randomUUID()}`).expect(404);
    expect(missing.body.type).toBe('urn:duban:problem:not-found');
    const bad = await supervisor().get(`${WORKS}/nope`).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    await supervisor().get(`${WORKS}/${work.id}/gates`).expect(200);
  });

  it('lists by kind, phase and unit, paging with nextCursor', async () => {
    const unit = `TR-${unique()}`;
    const asUnit = () => api(() => h.server(), tokens.department(unit));
    const ids: string[] = [];
    for (const kind of ['airport', 'airport', 'expressway']) {
      ids.push(
        (
          await asUnit()
            .post(WORKS, workBody({ kind, leadUnit: unit }))
            .expect(201)
        ).body.id,
      );
    }
    await asUnit().post(`${WORKS}/${ids[2]}/phase`, { phase: 'pre-work' }).expect(200);
    const ofUnit = async (q: string) =>
      (await supervisor().get(`${WORKS}?unit=${unit}&${q}`).expect(200)).body.items.map(
        (w: { id: string }) => w.id,
      );
    expect(await ofUnit('kind=airport')).toEqual(ids.slice(0, 2));
    expect(await ofUnit('phase=pre-work')).toEqual([ids[2]]);
    const page1 = await supervisor().get(`${WORKS}?unit=${unit}&limit=2`).expect(200);
    expect(page1.body.items.map((w: { id: string }) => w.id)).toEqual(ids.slice(0, 2));
    const page2 = await supervisor()
      .get(`${WORKS}?unit=${unit}&limit=2&cursor=${page1.body.nextCursor}`)
      .expect(200);
    expect(page2.body).toEqual({
      items: [expect.objectContaining({ id: ids[2] })],
      nextCursor: null,
    });
    const unknown = await supervisor().get(`${WORKS}?colour=red`).expect(400);
    expect(unknown.body.errors).toEqual([
      { field: 'query.colour', message: 'unknown field: colour' },
    ]);
  });

  it('updates details with the current version (one updated event) and refuses a stale one as 409', async () => {
    const work = await register();
    const res = await lead()
      .patch(`${WORKS}/${work.id}`, { plannedInvestmentWan: '2000000.00', version: 1 })
      .expect(200);
    expect(res.body).toMatchObject({ plannedInvestmentWan: '2000000.00', version: 2 });
    const stale = await lead()
      .patch(`${WORKS}/${work.id}`, { plannedInvestmentWan: '1.00', version: 1 })
      .expect(409);
    expect(stale.body.detail).toContain('version 1 is stale');
    await water().patch(`${WORKS}/${work.id}`, { name: 'x', version: 2 }).expect(403);
    await h.delivered();
    expect(h.events(TransportEventTypes.workUpdated, work.id)).toHaveLength(1);
  });

  it("refuses renaming a work to another work's name in the same region as 409 naming it, changing nothing", async () => {
    const taken = await register();
    const takenName = `XX遂内铁路 改名 ${unique()}`;
    await lead().patch(`${WORKS}/${taken.id}`, { name: takenName, version: 1 }).expect(200);
    const work = await register();
    const res = await lead()
      .patch(`${WORKS}/${work.id}`, { name: takenName, version: 1 })
      .expect(409);
    expect(res.body).toMatchObject({
      type: 'urn:duban:problem:conflict',
      detail: `a transport work named ${takenName} already exists in region ${REGION}`,
      workId: taken.id,
    });
    const unchanged = await lead().get(`${WORKS}/${work.id}`).expect(200);
    expect(unchanged.body).toMatchObject({ version: 1 });
    expect(unchanged.body.name).not.toBe(takenName);
    expect(await worksNamed(takenName)).toBe(1);
    // The same name in another region is no clash, and keeping one's own name is no clash.
    const there = await register(workBody({ regionCode: OTHER_REGION }));
    await countyLead().patch(`${WORKS}/${there.id}`, { name: takenName, version: 1 }).expect(200);
    await lead().patch(`${WORKS}/${taken.id}`, { name: takenName, version: 2 }).expect(200);
    await h.delivered();
    expect(h.events(TransportEventTypes.workUpdated, work.id)).toHaveLength(0);
  });

  it("shows a region-bound token its own region only: other regions' works, gates and sections are 404 and a list of them 403", async () => {
    const here = await register(workBody({ gates: allGates(chinaDay(10)) }));
    const there = await register(workBody({ regionCode: OTHER_REGION }));
    const county = countySupervisor();
    await county.get(`${WORKS}/${there.id}`).expect(200);
    const hidden = await county.get(`${WORKS}/${here.id}`).expect(404);
    expect(hidden.body.detail).toBe(`no transport work ${here.id}`);
    await county.get(`${WORKS}/${here.id}/gates`).expect(404);
    await county.get(`${WORKS}/${here.id}/sections`).expect(404);
    await county.get(`${WORKS}/${there.id}/gates`).expect(200);
    await county.get(`${WORKS}/${there.id}/sections`).expect(200);

    const listAll = async (who: ReturnType<typeof api>, q = '') => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const after: string = cursor ? `&cursor=${cursor}` : '';
        const res = await who.get(`${WORKS}?limit=200${q}${after}`).expect(200);
        ids.push(...res.body.items.map((w: { id: string }) => w.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return ids;
    };
    const listed = await listAll(county);
    expect(listed).toContain(there.id);
    expect(listed).not.toContain(here.id);
    expect(await listAll(county, `&regionCode=${OTHER_REGION}`)).toContain(there.id);
    const refused = await county.get(`${WORKS}?regionCode=${REGION}`).expect(403);
    expect(refused.body.detail).toBe(
      `a token for region ${OTHER_REGION} may not read region ${REGION}`,
    );

    // An unbound supervisor still sees every region, and may narrow to one.
    const everywhere = await listAll(supervisor());
    expect(everywhere).toEqual(expect.arrayContaining([here.id, there.id]));
    const narrowed = await listAll(supervisor(), `&regionCode=${REGION}`);
    expect(narrowed).toContain(here.id);
    expect(narrowed).not.toContain(there.id);
  });
});

describe('phases and their gates', () => {
  it('walks to construction only as the gates are met or waived, with a 409 naming each blocking gate', async () => {
    const work = await register(workBody({ gates: allGates(chinaDay(30)) }));
    await advance(work.id, 'pre-work').expect(200);

    const blocked = await advance(work.id, 'tender').expect(409);
    expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(blocked.body).toMatchObject({
      type: 'urn:duban:problem:conflict',
      from: 'pre-work',
      to: 'tender',
      unmetGates: ['pre-feasibility', 'feasibility-study', 'approval', 'preliminary-design'],
    });
    expect(blocked.body.detail).toContain('feasibility-study (工可) is not met');

    for (const gate of ['pre-feasibility', 'approval', 'preliminary-design'])
      await meet(work.id, gate);
    const oneLeft = await advance(work.id, 'tender').expect(409);
    expect(oneLeft.body.detail).toBe(
      'a transport work cannot move from pre-work to tender: feasibility-study (工可) is not met',
    );
    await meet(work.id, 'feasibility-study');
    const tender = await advance(work.id, 'tender').expect(200);
    expect(tender.body).toMatchObject({ phase: 'tender', version: 3 });

    const land = await advance(work.id, 'construction').expect(409);
    expect(land.body.detail).toContain('land-and-environment (用地/环评) is not met');
    await admin()
      .post(`${gatePath(work.id, 'land-and-environment')}/cancel`, { reason: '既有用地, 无需新增' })
      .expect(200);
    await advance(work.id, 'construction').expect(200);

    await h.delivered();
    const moves = h.events(TransportEventTypes.phaseChanged, work.id);
    expect(moves.map((e) => [e.key, e.event.data.previousPhase, e.event.data.phase])).toEqual([
      [work.id, 'planning', 'pre-work'],
      [work.id, 'pre-work', 'tender'],
      [work.id, 'tender', 'construction'],
    ]);
  });

  it('counts a gate that was never set as not met', async () => {
    const work = await register(workBody({ gates: allGates(chinaDay(30)).slice(0, 3) }));
    await advance(work.id, 'pre-work').expect(200);
    for (const gate of ['pre-feasibility', 'feasibility-study', 'approval'])
      await meet(work.id, gate);
    const res = await advance(work.id, 'tender').expect(409);
    expect(res.body.detail).toContain('preliminary-design (初步设计) is not met: it was never set');
    expect(res.body.unmetGates).toEqual(['preliminary-design']);
  });

  it('refuses skips and going back as 409 naming from and to, and changes nothing', async () => {
    const work = await register();
    const skip = await advance(work.id, 'tender').expect(409);
    expect(skip.body.detail).toContain('from planning to tender');
    expect(skip.body.allowed).toEqual(['pre-work']);
    await advance(work.id, 'pre-work').expect(200);
    const back = await advance(work.id, 'planning').expect(409);
    expect(back.body).toMatchObject({ from: 'pre-work', to: 'planning', allowed: ['tender'] });
    const now = await lead().get(`${WORKS}/${work.id}`).expect(200);
    expect(now.body).toMatchObject({ phase: 'pre-work', version: 2 });
    await water().post(`${WORKS}/${work.id}/phase`, { phase: 'tender' }).expect(403);
    const badPhase = await advance(work.id, 'dreaming').expect(400);
    expect(badPhase.body.errors[0].field).toBe('phase');
    await h.delivered();
    expect(h.events(TransportEventTypes.phaseChanged, work.id)).toHaveLength(1);
  });
});

describe('gates as milestones', () => {
  it('adds a gate later, and refuses a second of the same kind', async () => {
    const work = await register();
    const added = await lead()
      .post(`${WORKS}/${work.id}/gates`, {
        gate: 'approval',
        plannedDate: chinaDay(20),
        ownerUnit: 'DRC',
      })
      .expect(201);
    expect(added.body).toMatchObject({ gate: 'approval', term: '立项/核准', ownerUnit: 'DRC' });
    const again = await lead()
      .post(`${WORKS}/${work.id}/gates`, { gate: 'approval', plannedDate: chinaDay(40) })
      .expect(409);
    expect(again.body.gateId).toBe(added.body.id);
    await water()
      .post(`${WORKS}/${work.id}/gates`, { gate: 'pre-feasibility', plannedDate: chinaDay(40) })
      .expect(403);
    await h.delivered();
    expect(h.events(MilestoneEventTypes.scheduled, added.body.id)).toHaveLength(1);
  });

  it('takes a forecast from the owner unit, a reschedule from the lead keeping the baseline, and the actual date; each one event', async () => {
    const baseline = chinaDay(15);
    const work = await register(
      workBody({
        gates: [{ gate: 'land-and-environment', plannedDate: baseline, ownerUnit: 'NATRES' }],
      }),
    );
    const gateId = work.gates[0].id;
    const path = gatePath(work.id, 'land-and-environment');

    const forecast = await natres()
      .patch(path, { forecastDate: chinaDay(45) })
      .expect(200);
    expect(forecast.body).toMatchObject({ forecastDate: chinaDay(45), version: 2 });
    await water()
      .patch(path, { forecastDate: chinaDay(50) })
      .expect(403);
    // Only the lead unit reschedules.
    await natres()
      .post(`${path}/reschedule`, { plannedDate: chinaDay(60), reason: 'x' })
      .expect(403);
    // The lead unit's reschedule is a change request until a supervisor approves it.
    const asked = await lead()
      .post(`${path}/reschedule`, { plannedDate: chinaDay(60), reason: '环评报告补充论证' })
      .expect(202);
    expect(asked.body).toMatchObject({ state: 'requested', proposedDate: chinaDay(60) });
    await supervisor().post(`/api/v1/change-requests/${asked.body.id}/approve`).expect(200);
    const moved = await lead().get(`${WORKS}/${work.id}`).expect(200);
    expect(moved.body.gates[0]).toMatchObject({
      plannedDate: baseline,
      currentPlannedDate: chinaDay(60),
    });

    const future = await natres()
      .post(`${path}/complete`, { actualDate: chinaDay(1) })
      .expect(400);
    expect(future.body.errors).toEqual([
      { field: 'actualDate', message: 'cannot be in the future' },
    ]);
    const met = await natres()
      .post(`${path}/complete`, { actualDate: chinaDay(0) })
      .expect(200);
    expect(met.body).toMatchObject({ status: 'met', actualDate: chinaDay(0), overdue: false });
    const twice = await admin().post(`${path}/cancel`, { reason: 'late' }).expect(409);
    expect(twice.body.detail).toContain('met milestone');
    await lead()
      .post(`${gatePath(work.id, 'approval')}/complete`, { actualDate: chinaDay(0) })
      .expect(404);
    await lead()
      .post(`${WORKS}/${work.id}/gates/blessing/complete`, { actualDate: chinaDay(0) })
      .expect(400);

    await h.delivered();
    for (const type of [
      MilestoneEventTypes.scheduled,
      MilestoneEventTypes.forecastChanged,
      MilestoneEventTypes.rescheduled,
      MilestoneEventTypes.completed,
    ]) {
      const events = h.events<MilestoneEventData>(type, gateId);
      expect(events).toHaveLength(1);
      expect(events[0].key).toBe(gateId);
      expect(events[0].event.data).toMatchObject({
        subjectType: 'transport-work',
        subjectId: work.id,
        plannedDate: baseline,
        ownerUnit: 'NATRES',
      });
    }
    expect(
      h.events<MilestoneEventData>(MilestoneEventTypes.completed, gateId)[0].event.data,
    ).toMatchObject({
      status: 'met',
      actualDate: chinaDay(0),
      currentPlannedDate: chinaDay(60),
    });
    expect(h.events(MilestoneEventTypes.cancelled, gateId)).toHaveLength(0);
  });
});

describe('gates across regions and waivers', () => {
  it('answers every gate change from a token of the same unit bound to another region with 404, changing nothing', async () => {
    const work = await register(
      workBody({
        gates: [
          { gate: 'land-and-environment', plannedDate: chinaDay(15), ownerUnit: 'TRANSPORT' },
        ],
      }),
    );
    const path = gatePath(work.id, 'land-and-environment');
    const elsewhere = countyLead();
    const forecast = await elsewhere.patch(path, { forecastDate: chinaDay(45) }).expect(404);
    expect(forecast.body.detail).toBe(`no transport work ${work.id}`);
    await elsewhere.post(`${path}/complete`, { actualDate: chinaDay(0) }).expect(404);
    await elsewhere
      .post(`${path}/reschedule`, { plannedDate: chinaDay(60), reason: '跨区' })
      .expect(404);
    await elsewhere
      .post(`${WORKS}/${work.id}/gates`, { gate: 'approval', plannedDate: chinaDay(40) })
      .expect(404);

    const now = await admin().get(`${WORKS}/${work.id}`).expect(200);
    expect(now.body.gates).toEqual([
      expect.objectContaining({
        gate: 'land-and-environment',
        status: 'pending',
        forecastDate: null,
        actualDate: null,
        currentPlannedDate: chinaDay(15),
        version: 1,
      }),
    ]);
    await h.delivered();
    const gateId = work.gates[0].id;
    for (const type of [
      MilestoneEventTypes.forecastChanged,
      MilestoneEventTypes.completed,
      MilestoneEventTypes.rescheduled,
    ]) {
      expect(h.events(type, gateId)).toHaveLength(0);
    }
  });

  it('lets only an admin waive a gate: 403 naming the rule for the lead unit, and the waived gate lets the phase advance', async () => {
    const work = await register(workBody({ gates: allGates(chinaDay(30)) }));
    await advance(work.id, 'pre-work').expect(200);
    for (const gate of ['feasibility-study', 'approval', 'preliminary-design'])
      await meet(work.id, gate);
    const path = `${gatePath(work.id, 'pre-feasibility')}/cancel`;

    const refused = await lead().post(path, { reason: '农村公路无需预可研' }).expect(403);
    expect(refused.body.detail).toBe(
      'only an admin may cancel gate pre-feasibility (预可研): ' +
        'a waived gate no longer blocks the phase it guards',
    );
    await natres().post(path, { reason: 'x' }).expect(403);
    await supervisor().post(path, { reason: 'x' }).expect(403);
    const blocked = await advance(work.id, 'tender').expect(409);
    expect(blocked.body.unmetGates).toEqual(['pre-feasibility']);

    const waived = await admin().post(path, { reason: '农村公路无需预可研' }).expect(200);
    expect(waived.body).toMatchObject({ gate: 'pre-feasibility', status: 'cancelled' });
    const moved = await advance(work.id, 'tender').expect(200);
    expect(moved.body).toMatchObject({ phase: 'tender' });

    await h.delivered();
    const gateId = work.gates.find((g) => g.gate === 'pre-feasibility')!.id;
    expect(h.events(MilestoneEventTypes.cancelled, gateId)).toHaveLength(1);
  });
});

describe('OpenAPI', () => {
  it('documents every transport endpoint with its zod body and example', async () => {
    const docs = await api(() => h.server())
      .get('/docs-json')
      .expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/transport-works',
        '/api/v1/transport-works/{id}',
        '/api/v1/transport-works/{id}/phase',
        '/api/v1/transport-works/{workId}/gates',
        '/api/v1/transport-works/{workId}/gates/{gate}/complete',
        '/api/v1/transport-works/{workId}/sections',
        '/api/v1/transport-works/{workId}/sections/{sectionId}/open',
        '/api/v1/mileage',
        '/api/v1/mileage/baselines',
      ]),
    );
    const register = docs.body.paths['/api/v1/transport-works'].post.requestBody.content;
    const schema = register['application/json'].schema;
    expect(schema.properties.kind.enum).toContain('general-aviation-airport');
    expect(schema.example.name).toBe('XX遂内铁路');
  });
});
