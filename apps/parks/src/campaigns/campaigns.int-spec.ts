import { randomUUID } from 'node:crypto';
import { MilestoneEventTypes } from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { DomainHarness } from '@duban/testing';
import { REGION, api, chinaDay, parkBody, startParksApp, tokens, unique } from '../testing/http';

let h: DomainHarness;
let campaignId: string;
const admin = () => api(() => h.server(), tokens.admin());
const econ = () => api(() => h.server(), tokens.department('ECON'));
const textile = () => api(() => h.server(), tokens.department('PARK-TEXTILE'));
const food = () => api(() => h.server(), tokens.department('PARK-FOOD'));
const supervisor = () => api(() => h.server(), tokens.supervisor());

const CAMPAIGNS = '/api/v1/campaigns';
const tasksOf = (id = campaignId) => `${CAMPAIGNS}/${id}/tasks`;
type Task = Record<string, unknown> & { id: string };

const taskBody = (overrides: Record<string, unknown> = {}) => ({
  name: `标准厂房二期竣工 ${unique()}`,
  ownerUnit: 'PARK-TEXTILE',
  plannedDate: chinaDay(30),
  ...overrides,
});

async function addTask(body = taskBody(), as = econ()): Promise<Task> {
  const res = await as.post(tasksOf(), body);
  expect(res.status).toBe(201);
  return res.body as Task;
}

beforeAll(async () => {
  h = await startParksApp();
  const res = await econ()
    .post(CAMPAIGNS, { name: `园区提质 ${unique()}`, regionCode: REGION, leadUnit: 'ECON' })
    .expect(201);
  campaignId = res.body.id;
});

afterAll(async () => {
  await h?.close();
});

describe('campaigns', () => {
  it('creates, reads and lists campaigns; a duplicate name is 409, a bad body 400', async () => {
    const name = `企业满园 ${unique()}`;
    const created = await econ()
      .post(CAMPAIGNS, { name, regionCode: REGION, leadUnit: 'ECON', description: '七大攻坚行动' })
      .expect(201);
    expect(created.body).toMatchObject({ name, leadUnit: 'ECON', description: '七大攻坚行动' });
    await supervisor().get(`${CAMPAIGNS}/${created.body.id}`).expect(200);
    const list = await supervisor().get(`${CAMPAIGNS}?regionCode=${REGION}&limit=200`).expect(200);
    expect(list.body.items.map((c: Task) => c.id)).toEqual(
      expect.arrayContaining([campaignId, created.body.id]),
    );
    const twice = await econ()
      .post(CAMPAIGNS, { name, regionCode: REGION, leadUnit: 'ECON' })
      .expect(409);
    expect(twice.body).toMatchObject({ campaignId: created.body.id });
    const bad = await econ()
      .post(CAMPAIGNS, { name: ' ', regionCode: REGION, leadUnit: 'ECON' })
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'name', message: 'must not be empty' }]);
    await food().post(CAMPAIGNS, { name: 'x', regionCode: REGION, leadUnit: 'ECON' }).expect(403);
  });
});

describe('reading campaigns with a region-bound token', () => {
  it("answers 404 for another region's campaign and its tasks, 403 for a list of that region", async () => {
    const there = await admin()
      .post(CAMPAIGNS, { name: `企业满园 ${unique()}`, regionCode: '511113', leadUnit: 'ECON' })
      .expect(201);
    const thereTask = await admin().post(tasksOf(there.body.id), taskBody()).expect(201);
    const hereTask = await addTask();
    const county = api(
      () => h.server(),
      signToken(
        { subject: 'duchashi-511113', role: 'supervisor', region: '511113' },
        authSecretFrom(),
      ),
    );
    await county.get(`${CAMPAIGNS}/${campaignId}`).expect(404);
    await county.get(tasksOf()).expect(404);
    await county.get(`${tasksOf()}/${hereTask.id}`).expect(404);
    await county.get(`${CAMPAIGNS}/${there.body.id}`).expect(200);
    await county.get(`${tasksOf(there.body.id)}/${thereTask.body.id}`).expect(200);
    const own = await county.get(tasksOf(there.body.id)).expect(200);
    expect(own.body.map((t: Task) => t.id)).toEqual([thereTask.body.id]);
    const listed = await county.get(`${CAMPAIGNS}?limit=200`).expect(200);
    const ids = (listed.body.items as { id: string }[]).map((c) => c.id);
    expect(ids).toContain(there.body.id);
    expect(ids).not.toContain(campaignId);
    const refused = await county.get(`${CAMPAIGNS}?regionCode=${REGION}`).expect(403);
    expect(refused.body.detail).toBe(`a token for region 511113 may not read region ${REGION}`);
  });
});

describe('campaign tasks', () => {
  it('sets a task and publishes milestone scheduled with subjectType campaign-task, keyed by the task', async () => {
    const park = await admin().post('/api/v1/parks', parkBody()).expect(201);
    const body = taskBody({ parkId: park.body.id });
    const task = await addTask(body);
    expect(task).toMatchObject({
      ...body,
      campaignId,
      currentPlannedDate: body.plannedDate,
      status: 'pending',
      overdue: false,
      daysLate: 0,
    });
    await h.delivered();
    const events = h.events(MilestoneEventTypes.scheduled, task.id);
    expect(events).toHaveLength(1);
    expect(events[0].key).toBe(task.id);
    expect(events[0].event.region).toBe(REGION);
    expect(events[0].event.data).toEqual({
      subjectType: 'campaign-task',
      subjectId: task.id,
      milestoneId: task.id,
      name: expect.stringContaining(body.name),
      ownerUnit: 'PARK-TEXTILE',
      plannedDate: body.plannedDate,
      currentPlannedDate: body.plannedDate,
      forecastDate: null,
      actualDate: null,
      status: 'pending',
      campaignId,
    });
  });

  it('forecasts, reschedules (baseline kept) and completes, one milestone event each', async () => {
    const task = await addTask(taskBody({ plannedDate: chinaDay(-3) }));
    expect(task).toMatchObject({ overdue: true, daysLate: 3 });
    const url = `${tasksOf()}/${task.id}`;
    await textile()
      .patch(url, { forecastDate: chinaDay(5) })
      .expect(200);
    // The lead unit asks; the task moves once a supervisor approves.
    const asked = await econ()
      .post(`${url}/reschedule`, { plannedDate: chinaDay(10), reason: '用地报批延后' })
      .expect(202);
    expect(asked.body).toMatchObject({ state: 'requested', proposedDate: chinaDay(10) });
    await supervisor().post(`/api/v1/change-requests/${asked.body.id}/approve`).expect(200);
    const moved = await supervisor().get(url).expect(200);
    expect(moved.body).toMatchObject({
      plannedDate: chinaDay(-3),
      currentPlannedDate: chinaDay(10),
      overdue: false,
    });
    const done = await textile()
      .post(`${url}/complete`, { actualDate: chinaDay(0) })
      .expect(200);
    expect(done.body).toMatchObject({ status: 'met', actualDate: chinaDay(0) });
    const again = await econ().post(`${url}/cancel`, { reason: '重复' }).expect(409);
    expect(again.body.detail).toContain('met milestone');

    await h.delivered();
    const one = (type: string) => h.events<Record<string, unknown>>(type, task.id);
    expect(one(MilestoneEventTypes.forecastChanged)).toHaveLength(1);
    expect(one(MilestoneEventTypes.rescheduled)[0].event.data).toMatchObject({
      plannedDate: chinaDay(-3),
      currentPlannedDate: chinaDay(10),
    });
    expect(one(MilestoneEventTypes.completed)).toHaveLength(1);
    expect(one(MilestoneEventTypes.completed)[0].event.data).toMatchObject({ status: 'met' });
    expect(one(MilestoneEventTypes.cancelled)).toHaveLength(0);
    const history = (await supervisor().get(url).expect(200)).body.history as { kind: string }[];
    expect(history.map((c) => c.kind)).toEqual([
      'scheduled',
      'forecast-changed',
      'rescheduled',
      'completed',
    ]);
  });

  it('cancels with a reason and publishes cancelled once approved', async () => {
    const task = await addTask();
    const url = `${tasksOf()}/${task.id}`;
    const blank = await econ().post(`${url}/cancel`, { reason: '' }).expect(400);
    expect(blank.body.errors).toEqual([{ field: 'reason', message: 'must not be empty' }]);
    const asked = await econ().post(`${url}/cancel`, { reason: '并入企业满园行动' }).expect(202);
    await h.delivered();
    expect(h.events(MilestoneEventTypes.cancelled, task.id)).toHaveLength(0);
    await admin().post(`/api/v1/change-requests/${asked.body.id}/approve`).expect(200);
    await h.delivered();
    expect(h.events(MilestoneEventTypes.cancelled, task.id)).toHaveLength(1);
  });

  it.each([
    ['an impossible date', { plannedDate: '2026-02-30' }, 'plannedDate'],
    ['a bad unit code', { ownerUnit: 'econ bureau' }, 'ownerUnit'],
    ['an unknown park', { parkId: randomUUID() }, 'parkId'],
  ])('refuses %s as a 400 naming the field', async (_what, override, field) => {
    const res = await econ().post(tasksOf(), taskBody(override)).expect(400);
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('refuses completion in the future as 400 on actualDate', async () => {
    const task = await addTask();
    const res = await textile()
      .post(`${tasksOf()}/${task.id}/complete`, { actualDate: chinaDay(1) })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'actualDate', message: 'cannot be in the future' }]);
  });

  it("lets the owner unit and the campaign's lead unit write a task, nobody else (403)", async () => {
    // The owner unit may set its own task in a campaign it does not lead.
    const own = await addTask(taskBody({ ownerUnit: 'PARK-FOOD' }), food());
    await food().post(tasksOf(), taskBody()).expect(403);
    const task = await addTask();
    const url = `${tasksOf()}/${task.id}`;
    await food()
      .patch(url, { forecastDate: chinaDay(40) })
      .expect(403);
    await food()
      .post(`${url}/complete`, { actualDate: chinaDay(0) })
      .expect(403);
    await supervisor().post(`${url}/cancel`, { reason: 'x' }).expect(403);
    await econ()
      .patch(`${tasksOf()}/${own.id}`, { forecastDate: chinaDay(40) })
      .expect(200);
    const unchanged = await supervisor().get(url).expect(200);
    expect(unchanged.body).toMatchObject({ status: 'pending', forecastDate: null, version: 1 });
    await supervisor().get(`${tasksOf()}/${randomUUID()}`).expect(404);
    const list = await supervisor().get(tasksOf()).expect(200);
    expect(list.body.map((t: Task) => t.id)).toEqual(expect.arrayContaining([own.id, task.id]));
  });

  it("leaves rescheduling and cancelling to the campaign's lead unit: the owner unit gets 403", async () => {
    const task = await addTask();
    const url = `${tasksOf()}/${task.id}`;
    await textile()
      .post(`${url}/reschedule`, { plannedDate: chinaDay(90), reason: '自行延期' })
      .expect(403);
    await textile().post(`${url}/cancel`, { reason: '不做了' }).expect(403);
    const unchanged = await supervisor().get(url).expect(200);
    expect(unchanged.body).toMatchObject({
      status: 'pending',
      currentPlannedDate: task.currentPlannedDate,
      version: 1,
    });
    await h.delivered();
    expect(h.events(MilestoneEventTypes.rescheduled, task.id)).toHaveLength(0);
    expect(h.events(MilestoneEventTypes.cancelled, task.id)).toHaveLength(0);
    // The lead unit may ask (and withdraw); an admin's own command is applied at once.
    const asked = await econ()
      .post(`${url}/reschedule`, { plannedDate: chinaDay(90), reason: '用地报批延后' })
      .expect(202);
    await econ().post(`/api/v1/change-requests/${asked.body.id}/withdraw`).expect(200);
    await admin().post(`${url}/cancel`, { reason: '并入企业满园行动' }).expect(200);
  });

  it('answers a retried task (same Idempotency-Key) with the first answer and one event', async () => {
    const key = randomUUID();
    const body = taskBody();
    const first = await econ().post(tasksOf(), body).set('Idempotency-Key', key).expect(201);
    const again = await econ().post(tasksOf(), body).set('Idempotency-Key', key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    await h.delivered();
    expect(h.events(MilestoneEventTypes.scheduled, first.body.id)).toHaveLength(1);
    const [{ n }] = await h.service.db.dataSource.query(
      'SELECT count(*)::int AS n FROM campaign_tasks WHERE name = $1',
      [body.name],
    );
    expect(n).toBe(1);
  });
});
