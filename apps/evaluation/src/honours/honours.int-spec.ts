import { HonourData, MilestoneEventData, MilestoneEventTypes } from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { EvaluationHarness, api, startEvaluationApp, testRegion, tokens } from '../testing/http';

let h: EvaluationHarness;
const supervisor = () => api(() => h.server(), tokens.supervisor('mubiaoban'));
// Honours live in regions of each test's own: a department token is bound to one.
const agri = (region: string) => api(() => h.server(), tokens.department('AGRI', region));
const water = (region: string) => api(() => h.server(), tokens.department('WATER', region));

beforeAll(async () => {
  h = await startEvaluationApp();
});

afterAll(async () => {
  await h?.close();
});

function honourBody(region: string) {
  return {
    name: '国家农业现代化示范区',
    ambition: 'strive',
    level: 'national',
    ownerUnit: 'AGRI',
    regionCode: region,
    targetYear: 2026,
    deadlines: [
      { name: '提交创建申报材料', plannedDate: '2026-10-15', stage: 'applied' },
      { name: '通过省级审核推荐', plannedDate: '2026-12-15', stage: 'shortlisted' },
    ],
  };
}

const milestonesOf = (type: string, ids: string[]) =>
  ids.flatMap((id) => h.events<MilestoneEventData>(type, id).map((e) => e.event.data));

describe('honours', () => {
  it('pursues an honour and publishes its deadlines as shared milestone events', async () => {
    const region = testRegion();
    await water(region).post('/api/v1/honours', honourBody(region)).expect(403);
    const res = await supervisor().post('/api/v1/honours', honourBody(region)).expect(201);
    const honour = res.body as HonourData & { id: string };
    expect(honour).toMatchObject({ status: 'targeted', ownerUnit: 'AGRI', version: 1 });
    const ids = honour.deadlines.map((d) => d.milestoneId);

    await h.delivered();
    const scheduled = milestonesOf(MilestoneEventTypes.scheduled, ids);
    expect(scheduled).toEqual([
      expect.objectContaining({
        subjectType: 'honour',
        subjectId: honour.id,
        milestoneId: ids[0],
        ownerUnit: 'AGRI',
        plannedDate: '2026-10-15',
        currentPlannedDate: '2026-10-15',
        status: 'pending',
      }),
      expect.objectContaining({ milestoneId: ids[1], plannedDate: '2026-12-15' }),
    ]);
    expect(h.events('duban.honour.targeted', honour.id)).toHaveLength(1);
    await supervisor().post('/api/v1/honours', honourBody(region)).expect(409);
    const list = await water(region).get(`/api/v1/honours?regionCode=${region}`).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([honour.id]);
  });

  it('moves along targeted → applied, meeting the application deadline; a bad move is 409 naming from and to', async () => {
    const region = testRegion();
    const res = await agri(region).post('/api/v1/honours', honourBody(region)).expect(201);
    const id = res.body.id as string;
    const ids = (res.body.deadlines as { milestoneId: string }[]).map((d) => d.milestoneId);

    const bad = await agri(region)
      .post(`/api/v1/honours/${id}/status`, { status: 'awarded' })
      .expect(409);
    expect(bad.body).toMatchObject({
      from: 'targeted',
      to: 'awarded',
      allowed: ['applied', 'not-awarded'],
    });
    await water(region).post(`/api/v1/honours/${id}/status`, { status: 'applied' }).expect(403);
    const future = await agri(region)
      .post(`/api/v1/honours/${id}/status`, { status: 'applied', on: '2999-01-01' })
      .expect(400);
    expect(future.body.errors).toEqual([{ field: 'on', message: expect.any(String) }]);

    const applied = await agri(region)
      .post(`/api/v1/honours/${id}/status`, { status: 'applied', on: '2026-10-10', note: '已报送' })
      .expect(200);
    expect(applied.body).toMatchObject({
      status: 'applied',
      version: 2,
      history: [{ from: 'targeted', to: 'applied', on: '2026-10-10', by: 'AGRI', note: '已报送' }],
    });
    const notAwarded = await supervisor()
      .post(`/api/v1/honours/${id}/status`, { status: 'not-awarded' })
      .expect(200);
    expect(notAwarded.body.deadlines.map((d: { status: string }) => d.status)).toEqual([
      'met',
      'cancelled',
    ]);

    await h.delivered();
    expect(milestonesOf(MilestoneEventTypes.completed, ids)).toEqual([
      expect.objectContaining({ milestoneId: ids[0], status: 'met', actualDate: '2026-10-10' }),
    ]);
    expect(milestonesOf(MilestoneEventTypes.cancelled, ids)).toEqual([
      expect.objectContaining({ milestoneId: ids[1], status: 'cancelled' }),
    ]);
    const changes = h.events<{ status: string; previousStatus: string }>(
      'duban.honour.status-changed',
      id,
    );
    expect(changes.map((c) => [c.event.data.previousStatus, c.event.data.status])).toEqual([
      ['targeted', 'applied'],
      ['applied', 'not-awarded'],
    ]);
  });

  it('keeps a county-bound token to its county: a new honour elsewhere 403, reads and writes of one there 404, lists its own', async () => {
    const here = testRegion();
    const there = testRegion();
    const agriThere = api(
      () => h.server(),
      signToken(
        { subject: 'agri-there', role: 'department', unit: 'AGRI', region: there },
        authSecretFrom(),
      ),
    );
    await agriThere.post('/api/v1/honours', honourBody(here)).expect(403);
    const created = await supervisor().post('/api/v1/honours', honourBody(here)).expect(201);
    const id = created.body.id as string;
    await agriThere.post(`/api/v1/honours/${id}/status`, { status: 'applied' }).expect(404);
    await agriThere.get(`/api/v1/honours/${id}`).expect(404);
    const own = await agriThere.post('/api/v1/honours', honourBody(there)).expect(201);
    const listed = await agriThere.get('/api/v1/honours?limit=200').expect(200);
    const ids = (listed.body.items as { id: string }[]).map((x) => x.id);
    expect(ids).toContain(own.body.id);
    expect(ids).not.toContain(id);
    await agriThere.get(`/api/v1/honours?regionCode=${here}`).expect(403);
    const unchanged = await supervisor().get(`/api/v1/honours/${id}`).expect(200);
    expect(unchanged.body).toMatchObject({ status: 'targeted', version: 1 });
  });
});
