import {
  ChangeRequestEventTypes,
  MilestoneChangeRequestData,
  MilestoneEventTypes,
} from '@duban/contracts';
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

// A county key project (县级重点项目): AGRI leads it, WATER owns its milestones.
let h: ProjectsHarness;
const as = (token: string) => api(() => h.server(), token);
const lead = (unit = 'AGRI') => as(tokens.department(unit));
const supervisor = () => as(tokens.as('supervisor', 'duchashi', undefined, REGION));
const otherSupervisor = () => as(tokens.as('supervisor', 'qu-duchashi', undefined, '511102'));
const admin = () => as(tokens.admin());
const CR = '/api/v1/change-requests';

interface Request {
  id: string;
  state: string;
  kind: string;
  proposedDate: string | null;
  reason: string;
  milestoneId: string;
  subjectId: string;
  requestingUnit: string | null;
  decidedBy: string | null;
  decisionNote: string | null;
}

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
    id: m.body.id as string,
    url: `${url}/${m.body.id}`,
    list: url,
  };
}

async function stored(m: { list: string; id: string }) {
  const res = await admin().get(m.list).expect(200);
  return (
    res.body as {
      id: string;
      currentPlannedDate: string;
      status: string;
      version: number;
      overdue: boolean;
    }[]
  ).find((x) => x.id === m.id)!;
}

/** The event types published about a milestone, in order, after all were delivered. */
async function typesOf(milestoneId: string): Promise<string[]> {
  await h.delivered();
  return h.reader.messages
    .filter((msg) => msg.key === milestoneId)
    .map((msg) => msg.json<{ type: string }>().type);
}

beforeAll(async () => {
  h = await startProjectsApp();
});

afterAll(async () => {
  await h?.close();
});

describe('rescheduling a county key project milestone', () => {
  it('answers 202 with the request, leaves the milestone as it was and publishes change-requested', async () => {
    const m = await countyMilestone();
    const res = await lead()
      .post(`${m.url}/reschedule`, { plannedDate: chinaDay(60), reason: '用地报批延后' })
      .expect(202);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      state: 'requested',
      kind: 'reschedule',
      proposedDate: chinaDay(60),
      reason: '用地报批延后',
      milestoneId: m.id,
      subjectId: m.projectId,
      subjectType: 'project',
      regionCode: REGION,
      requestedBy: 'AGRI',
      requestingUnit: 'AGRI',
      decidedBy: null,
    });
    expect(await stored(m)).toMatchObject({
      currentPlannedDate: chinaDay(-5),
      version: 1,
      overdue: true,
    });

    expect(await typesOf(m.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
    ]);
    const [requested] = h.events<MilestoneChangeRequestData>(
      ChangeRequestEventTypes.requested,
      m.id,
    );
    expect(requested.key).toBe(m.id);
    expect(requested.event.region).toBe(REGION);
    expect(requested.event.data).toMatchObject({
      subjectType: 'project',
      subjectId: m.projectId,
      milestoneId: m.id,
      currentPlannedDate: chinaDay(-5),
      requestId: res.body.id,
      kind: 'reschedule',
      state: 'requested',
      proposedDate: chinaDay(60),
      requestedBy: 'AGRI',
      decidedBy: null,
    });
    await as(tokens.supervisor()).get(`${CR}/${res.body.id}`).expect(200);
  });

  it('allows one open request per milestone: a second is a 409 naming the first', async () => {
    const m = await countyMilestone();
    const first = await lead()
      .post(`${m.url}/reschedule`, { plannedDate: chinaDay(60), reason: '用地报批延后' })
      .expect(202);
    const second = await lead().post(`${m.url}/cancel`, { reason: '项目调整' }).expect(409);
    expect(second.body.detail).toBe(
      `milestone ${m.id} already has an open change request ${first.body.id}`,
    );
    expect(second.body.changeRequestId).toBe(first.body.id);
  });

  it('refuses up front what could never be applied: the same date is 400, and the owner unit 403', async () => {
    const m = await countyMilestone();
    const blank = await lead()
      .post(`${m.url}/reschedule`, { plannedDate: chinaDay(-5), reason: '原日期' })
      .expect(400);
    expect(blank.body.errors.map((e: { field: string }) => e.field)).toEqual(['plannedDate']);
    await lead('WATER')
      .post(`${m.url}/reschedule`, { plannedDate: chinaDay(60), reason: '自行延期' })
      .expect(403);
    expect(await typesOf(m.id)).toEqual([MilestoneEventTypes.scheduled]);
  });

  it('on approval by a supervisor applies the change as asked: change-approved, then rescheduled', async () => {
    const m = await countyMilestone();
    const req = await lead()
      .post(`${m.url}/reschedule`, { plannedDate: chinaDay(60), reason: '用地报批延后' })
      .expect(202);
    // The supervised never approve their own request, nor does another region's supervisor see it.
    await lead().post(`${CR}/${req.body.id}/approve`, {}).expect(403);
    await otherSupervisor().post(`${CR}/${req.body.id}/approve`, {}).expect(404);
    expect(await stored(m)).toMatchObject({ currentPlannedDate: chinaDay(-5), version: 1 });

    const approved = await supervisor()
      .post(`${CR}/${req.body.id}/approve`, { note: '同意' })
      .expect(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      decidedBy: 'duchashi',
      decisionNote: '同意',
    });
    expect(await stored(m)).toMatchObject({
      currentPlannedDate: chinaDay(60),
      version: 2,
      overdue: false,
    });
    const history = (await admin().get(m.list).expect(200)).body[0].history;
    expect(history.at(-1)).toMatchObject({
      kind: 'rescheduled',
      by: 'AGRI',
      reason: '用地报批延后',
      to: chinaDay(60),
    });

    // Idempotent: the same answer again, nothing applied or published twice.
    const again = await admin().post(`${CR}/${req.body.id}/approve`, {}).expect(200);
    expect(again.body).toEqual(approved.body);
    const late = await supervisor()
      .post(`${CR}/${req.body.id}/reject`, { note: '不同意' })
      .expect(409);
    expect(late.body.detail).toContain('is already approved');
    await lead().post(`${CR}/${req.body.id}/withdraw`, {}).expect(409);

    expect(await typesOf(m.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.approved,
      MilestoneEventTypes.rescheduled,
    ]);
    const [event] = h.events<MilestoneChangeRequestData>(ChangeRequestEventTypes.approved, m.id);
    expect(event.event.data).toMatchObject({
      requestId: req.body.id,
      state: 'approved',
      decidedBy: 'duchashi',
      decisionNote: '同意',
      currentPlannedDate: chinaDay(-5),
    });
    const [moved] = h.events<{ currentPlannedDate: string }>(MilestoneEventTypes.rescheduled, m.id);
    expect(moved.event.data.currentPlannedDate).toBe(chinaDay(60));
  });

  it('on rejection changes nothing but the request: the note is required, and it is final', async () => {
    const m = await countyMilestone();
    const req = await lead()
      .post(`${m.url}/reschedule`, { plannedDate: chinaDay(60), reason: '用地报批延后' })
      .expect(202);
    const noNote = await supervisor().post(`${CR}/${req.body.id}/reject`, {}).expect(400);
    expect(noNote.body.errors).toEqual([{ field: 'note', message: 'must not be blank' }]);
    const tooLong = await supervisor()
      .post(`${CR}/${req.body.id}/reject`, { note: 'x'.repeat(1001) })
      .expect(400);
    expect(tooLong.body.errors[0].field).toBe('note');

    const rejected = await supervisor()
      .post(`${CR}/${req.body.id}/reject`, { note: '理由不充分' })
      .expect(200);
    expect(rejected.body).toMatchObject({ state: 'rejected', decisionNote: '理由不充分' });
    await supervisor().post(`${CR}/${req.body.id}/approve`, {}).expect(409);
    expect(await stored(m)).toMatchObject({
      currentPlannedDate: chinaDay(-5),
      version: 1,
      overdue: true,
    });
    expect(await typesOf(m.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.rejected,
    ]);
  });

  it('lets the requesting unit withdraw (not another unit, not a supervisor), then ask again', async () => {
    const m = await countyMilestone();
    const req = await lead().post(`${m.url}/cancel`, { reason: '项目调整' }).expect(202);
    expect(req.body).toMatchObject({ kind: 'cancel', proposedDate: null });
    await lead('EDU').post(`${CR}/${req.body.id}/withdraw`, {}).expect(404);
    await supervisor().post(`${CR}/${req.body.id}/withdraw`, {}).expect(403);
    const withdrawn = await lead().post(`${CR}/${req.body.id}/withdraw`, {}).expect(200);
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', decidedBy: 'AGRI' });
    await supervisor().post(`${CR}/${req.body.id}/approve`, {}).expect(409);

    const again = await lead().post(`${m.url}/cancel`, { reason: '项目调整' }).expect(202);
    await admin().post(`${CR}/${again.body.id}/approve`, {}).expect(200);
    expect(await stored(m)).toMatchObject({ status: 'cancelled' });
    expect(await typesOf(m.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.withdrawn,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.approved,
      MilestoneEventTypes.cancelled,
    ]);
  });

  it('applies an admin’s own reschedule at once, and a national project’s lead unit approves itself (200)', async () => {
    const county = await countyMilestone();
    const res = await admin()
      .post(`${county.url}/reschedule`, { plannedDate: chinaDay(30), reason: '县政府常务会议决定' })
      .expect(200);
    expect(res.body).toMatchObject({ currentPlannedDate: chinaDay(30), version: 2 });

    const national = await countyMilestone('AGRI', 'national');
    const self = await lead()
      .post(`${national.url}/reschedule`, {
        plannedDate: chinaDay(30),
        reason: '按省发改委批复调整',
      })
      .expect(200);
    expect(self.body).toMatchObject({ currentPlannedDate: chinaDay(30) });
    expect(await typesOf(national.id)).toEqual([
      MilestoneEventTypes.scheduled,
      MilestoneEventTypes.rescheduled,
    ]);
  });
});

describe('listing change requests', () => {
  it('filters by state, unit, region and subject type; a department sees its own unit’s only', async () => {
    const unitA = `A-${unique()}`;
    const unitB = `B-${unique()}`;
    const a = await countyMilestone(unitA);
    const b = await countyMilestone(unitB);
    const ra = await lead(unitA)
      .post(`${a.url}/reschedule`, { plannedDate: chinaDay(60), reason: '延后' })
      .expect(202);
    const rb = await lead(unitB).post(`${b.url}/cancel`, { reason: '调整' }).expect(202);
    await supervisor().post(`${CR}/${rb.body.id}/reject`, { note: '不同意' }).expect(200);

    const ids = (res: { body: { items: Request[] } }) => res.body.items.map((r) => r.id);
    expect(ids(await supervisor().get(`${CR}?unit=${unitA}`).expect(200))).toEqual([ra.body.id]);
    expect(ids(await supervisor().get(`${CR}?unit=${unitB}&state=rejected`).expect(200))).toEqual([
      rb.body.id,
    ]);
    expect(ids(await supervisor().get(`${CR}?unit=${unitB}&state=requested`).expect(200))).toEqual(
      [],
    );
    expect(
      ids(
        await admin().get(`${CR}?unit=${unitA}&region=${REGION}&subjectType=project`).expect(200),
      ),
    ).toEqual([ra.body.id]);
    expect(ids(await admin().get(`${CR}?unit=${unitA}&region=511102`).expect(200))).toEqual([]);
    expect(
      ids(await admin().get(`${CR}?unit=${unitA}&subjectType=campaign-task`).expect(200)),
    ).toEqual([]);

    expect(ids(await lead(unitA).get(CR).expect(200))).toEqual([ra.body.id]);
    await lead(unitA).get(`${CR}?unit=${unitB}`).expect(403);
    await lead(unitA).get(`${CR}/${rb.body.id}`).expect(404);
    await otherSupervisor().get(`${CR}?region=${REGION}`).expect(403);
    const bad = await supervisor().get(`${CR}?state=pending`).expect(400);
    expect(bad.body.errors[0].field).toBe('query.state');

    const page = await supervisor().get(`${CR}?limit=1`).expect(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toBe(page.body.items[0].id);
  });
});
