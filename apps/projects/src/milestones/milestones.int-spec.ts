import { randomUUID } from 'node:crypto';
import { MilestoneEventData, MilestoneEventTypes } from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import {
  ProjectsHarness,
  REGION,
  api,
  chinaDay,
  projectBody,
  startProjectsApp,
  tokens,
} from '../testing/http';

// The project is AGRI's (lead unit); its milestones are owned by WATER; EDU has no part in it.
let h: ProjectsHarness;
const lead = () => api(() => h.server(), tokens.department('AGRI'));
const owner = () => api(() => h.server(), tokens.department('WATER'));
const stranger = () => api(() => h.server(), tokens.department('EDU'));

interface MilestoneView {
  id: string;
  projectId: string;
  name: string;
  ownerUnit: string;
  plannedDate: string;
  currentPlannedDate: string;
  forecastDate: string | null;
  actualDate: string | null;
  status: string;
  history: {
    kind: string;
    by: string;
    from: string | null;
    to: string | null;
    reason: string | null;
  }[];
  version: number;
  overdue: boolean;
  daysLate: number;
}

async function newProject(): Promise<string> {
  const res = await lead().post('/api/v1/projects', projectBody()).expect(201);
  return res.body.id;
}

const milestones = (projectId: string) => `/api/v1/projects/${projectId}/milestones`;

async function schedule(projectId: string, plannedDate = chinaDay(90)): Promise<MilestoneView> {
  const res = await lead()
    .post(milestones(projectId), { name: '主体工程封顶', ownerUnit: 'WATER', plannedDate })
    .expect(201);
  return res.body;
}

/** The milestone events of one type about one milestone, checking each is keyed by it. */
async function eventsOf(type: string, milestoneId: string): Promise<MilestoneEventData[]> {
  await h.delivered();
  const found = h.events<MilestoneEventData>(type, milestoneId);
  for (const { key, event } of found) {
    expect(key).toBe(milestoneId);
    expect(event.region).toBe(REGION);
  }
  return found.map((e) => e.event.data);
}

beforeAll(async () => {
  h = await startProjectsApp();
});

afterAll(async () => {
  await h?.close();
});

describe('milestones of a project', () => {
  it('schedules one: 201, pending, baseline = current planned date, one scheduled event in the shared shape', async () => {
    const projectId = await newProject();
    const plannedDate = chinaDay(90);
    const m = await schedule(projectId, plannedDate);
    expect(m).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      projectId,
      name: '主体工程封顶',
      ownerUnit: 'WATER',
      plannedDate,
      currentPlannedDate: plannedDate,
      forecastDate: null,
      actualDate: null,
      status: 'pending',
      version: 1,
      overdue: false,
      daysLate: 0,
    });
    expect(m.history).toEqual([
      expect.objectContaining({ kind: 'scheduled', by: 'AGRI', from: null, to: plannedDate }),
    ]);

    expect(await eventsOf(MilestoneEventTypes.scheduled, m.id)).toEqual([
      {
        subjectType: 'project',
        subjectId: projectId,
        milestoneId: m.id,
        name: '主体工程封顶',
        ownerUnit: 'WATER',
        plannedDate,
        currentPlannedDate: plannedDate,
        forecastDate: null,
        actualDate: null,
        status: 'pending',
      },
    ]);
  });

  it('lists them with overdue and daysLate: a pending milestone 10 days past its date is 10 days late', async () => {
    const projectId = await newProject();
    const later = await schedule(projectId, chinaDay(30));
    const late = await schedule(projectId, chinaDay(-10));
    const dueToday = await schedule(projectId, chinaDay(0));
    expect(late).toMatchObject({ overdue: true, daysLate: 10 });

    const res = await lead().get(milestones(projectId)).expect(200);
    const list = res.body as MilestoneView[];
    expect(list.map((m) => [m.id, m.overdue, m.daysLate])).toEqual([
      [late.id, true, 10],
      [dueToday.id, false, 0],
      [later.id, false, 0],
    ]);
    // Anyone signed in may read them.
    await api(() => h.server(), tokens.supervisor())
      .get(milestones(projectId))
      .expect(200);
    await lead().get(milestones(randomUUID())).expect(404);
  });

  it("changes the owner's forecast (one forecast-changed event) and refuses an unchanged one as 409", async () => {
    const projectId = await newProject();
    const m = await schedule(projectId);
    const forecastDate = chinaDay(120);
    const res = await lead()
      .patch(`${milestones(projectId)}/${m.id}`, { forecastDate })
      .expect(200);
    expect(res.body).toMatchObject({
      forecastDate,
      plannedDate: m.plannedDate,
      currentPlannedDate: m.currentPlannedDate,
      status: 'pending',
      version: 2,
    });
    await lead()
      .patch(`${milestones(projectId)}/${m.id}`, { forecastDate })
      .expect(409);

    const events = await eventsOf(MilestoneEventTypes.forecastChanged, m.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      milestoneId: m.id,
      subjectId: projectId,
      forecastDate,
      plannedDate: m.plannedDate,
      currentPlannedDate: m.currentPlannedDate,
      status: 'pending',
    });
  });

  it('reschedules with a reason: the baseline stays, the current date moves, the history keeps both', async () => {
    const projectId = await newProject();
    const m = await schedule(projectId, chinaDay(60));
    const moved = chinaDay(150);
    const res = await lead()
      .post(`${milestones(projectId)}/${m.id}/reschedule`, {
        plannedDate: moved,
        reason: '用地报批延后',
      })
      .expect(200);
    const body = res.body as MilestoneView;
    expect(body).toMatchObject({ plannedDate: m.plannedDate, currentPlannedDate: moved });
    expect(body.history).toEqual([
      expect.objectContaining({ kind: 'scheduled', from: null, to: m.plannedDate }),
      expect.objectContaining({
        kind: 'rescheduled',
        by: 'AGRI',
        from: m.plannedDate,
        to: moved,
        reason: '用地报批延后',
      }),
    ]);
    const [stored] = (await lead().get(milestones(projectId)).expect(200)).body as MilestoneView[];
    expect(stored).toMatchObject({ plannedDate: m.plannedDate, currentPlannedDate: moved });
    expect(stored.history).toHaveLength(2);

    const events = await eventsOf(MilestoneEventTypes.rescheduled, m.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      plannedDate: m.plannedDate,
      currentPlannedDate: moved,
      status: 'pending',
    });
  });

  it('refuses a reschedule without a reason, or with a blank one, as 400 naming reason', async () => {
    const projectId = await newProject();
    const m = await schedule(projectId);
    const url = `${milestones(projectId)}/${m.id}/reschedule`;
    for (const body of [
      { plannedDate: chinaDay(200) },
      { plannedDate: chinaDay(200), reason: '  ' },
    ]) {
      const res = await lead().post(url, body).expect(400);
      expect(res.body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
    }
    const [stored] = (await lead().get(milestones(projectId)).expect(200)).body as MilestoneView[];
    expect(stored).toMatchObject({ currentPlannedDate: m.currentPlannedDate, version: 1 });
    expect(await eventsOf(MilestoneEventTypes.rescheduled, m.id)).toEqual([]);
  });

  it('completes once (status met, actualDate, one completed event); a second completion is 409', async () => {
    const projectId = await newProject();
    const m = await schedule(projectId, chinaDay(-3));
    const actualDate = chinaDay(-1);
    const url = `${milestones(projectId)}/${m.id}/complete`;
    const res = await lead().post(url, { actualDate }).expect(200);
    expect(res.body).toMatchObject({
      status: 'met',
      actualDate,
      overdue: false,
      daysLate: 2,
      version: 2,
    });
    expect(res.body.history.at(-1)).toMatchObject({
      kind: 'completed',
      from: m.plannedDate,
      to: actualDate,
    });

    const again = await lead()
      .post(url, { actualDate: chinaDay(0) })
      .expect(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({
      status: 409,
      type: 'urn:duban:problem:conflict',
      detail: 'cannot complete a met milestone; only a pending one',
    });

    const events = await eventsOf(MilestoneEventTypes.completed, m.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'met', actualDate, milestoneId: m.id });
  });

  it('refuses an actual date in the future as 400 naming actualDate', async () => {
    const projectId = await newProject();
    const m = await schedule(projectId);
    const res = await lead()
      .post(`${milestones(projectId)}/${m.id}/complete`, { actualDate: chinaDay(1) })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'actualDate', message: 'cannot be in the future' }]);
    const [stored] = (await lead().get(milestones(projectId)).expect(200)).body as MilestoneView[];
    expect(stored).toMatchObject({ status: 'pending', actualDate: null });
  });

  it('cancels with a reason (one cancelled event); nothing more may change after', async () => {
    const projectId = await newProject();
    const m = await schedule(projectId);
    const url = `${milestones(projectId)}/${m.id}`;
    await lead().post(`${url}/cancel`, {}).expect(400);
    const res = await lead().post(`${url}/cancel`, { reason: '项目调整' }).expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', overdue: false, daysLate: 0 });
    expect(res.body.history.at(-1)).toMatchObject({ kind: 'cancelled', reason: '项目调整' });
    await lead()
      .patch(url, { forecastDate: chinaDay(10) })
      .expect(409);

    const events = await eventsOf(MilestoneEventTypes.cancelled, m.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'cancelled', milestoneId: m.id });
  });

  it('answers 404 for a milestone of another project, 400 for a bad milestone id', async () => {
    const p1 = await newProject();
    const p2 = await newProject();
    const m = await schedule(p1);
    await lead()
      .patch(`${milestones(p2)}/${m.id}`, { forecastDate: chinaDay(5) })
      .expect(404);
    const bad = await lead()
      .patch(`${milestones(p1)}/not-a-uuid`, { forecastDate: chinaDay(5) })
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'milestoneId', message: 'must be a UUID' }]);
  });
});

describe('who may change a milestone', () => {
  it('lets the owner unit forecast and complete, but not reschedule, cancel or schedule', async () => {
    const projectId = await newProject();
    const m = await schedule(projectId, chinaDay(-2));
    const url = `${milestones(projectId)}/${m.id}`;
    const forecastDate = chinaDay(3);

    const forecast = await owner().patch(url, { forecastDate }).expect(200);
    expect(forecast.body.history.at(-1)).toMatchObject({ kind: 'forecast-changed', by: 'WATER' });
    await owner()
      .post(`${url}/reschedule`, { plannedDate: chinaDay(30), reason: '自行延期' })
      .expect(403);
    await owner().post(`${url}/cancel`, { reason: '不做了' }).expect(403);
    await owner()
      .post(milestones(projectId), { name: 'x', ownerUnit: 'WATER', plannedDate: chinaDay(9) })
      .expect(403);
    const done = await owner()
      .post(`${url}/complete`, { actualDate: chinaDay(0) })
      .expect(200);
    expect(done.body).toMatchObject({ status: 'met', actualDate: chinaDay(0) });
    expect(done.body.history.at(-1)).toMatchObject({ kind: 'completed', by: 'WATER' });

    expect(await eventsOf(MilestoneEventTypes.forecastChanged, m.id)).toEqual([
      expect.objectContaining({ forecastDate, ownerUnit: 'WATER' }),
    ]);
    expect(await eventsOf(MilestoneEventTypes.completed, m.id)).toEqual([
      expect.objectContaining({ status: 'met', actualDate: chinaDay(0) }),
    ]);
    expect(await eventsOf(MilestoneEventTypes.rescheduled, m.id)).toEqual([]);
    expect(await eventsOf(MilestoneEventTypes.cancelled, m.id)).toEqual([]);
  });

  it('refuses a third unit everything (403), and a supervisor writes nothing', async () => {
    const projectId = await newProject();
    const m = await schedule(projectId);
    const url = `${milestones(projectId)}/${m.id}`;
    await stranger()
      .patch(url, { forecastDate: chinaDay(5) })
      .expect(403);
    await stranger()
      .post(`${url}/complete`, { actualDate: chinaDay(0) })
      .expect(403);
    await stranger()
      .post(`${url}/reschedule`, { plannedDate: chinaDay(30), reason: '越权' })
      .expect(403);
    await stranger().post(`${url}/cancel`, { reason: '越权' }).expect(403);
    await stranger()
      .post(milestones(projectId), { name: 'x', ownerUnit: 'EDU', plannedDate: chinaDay(9) })
      .expect(403);
    await api(() => h.server(), tokens.supervisor())
      .patch(url, { forecastDate: chinaDay(5) })
      .expect(403);

    const [stored] = (await lead().get(milestones(projectId)).expect(200)).body as MilestoneView[];
    expect(stored).toMatchObject({ version: 1, status: 'pending', forecastDate: null });
    await h.delivered();
    const all = h.reader.messages.filter((msg) => msg.key === m.id);
    expect(all.map((msg) => msg.json<{ type: string }>().type)).toEqual([
      MilestoneEventTypes.scheduled,
    ]);
  });

  it('answers the same unit code of another county with 404 on every change and changes nothing', async () => {
    const projectId = await newProject();
    const m = await schedule(projectId);
    const url = `${milestones(projectId)}/${m.id}`;
    const elsewhere = (unit: string) =>
      api(
        () => h.server(),
        signToken(
          { subject: `${unit}-511113`, role: 'department', unit, region: '511113' },
          authSecretFrom(),
        ),
      );
    await elsewhere('WATER')
      .patch(url, { forecastDate: chinaDay(5) })
      .expect(404);
    await elsewhere('WATER')
      .post(`${url}/complete`, { actualDate: chinaDay(0) })
      .expect(404);
    await elsewhere('AGRI')
      .post(`${url}/reschedule`, { plannedDate: chinaDay(30), reason: '越界' })
      .expect(404);
    await elsewhere('AGRI').post(`${url}/cancel`, { reason: '越界' }).expect(404);
    const [stored] = (await lead().get(milestones(projectId)).expect(200)).body as MilestoneView[];
    expect(stored).toMatchObject({ version: 1, status: 'pending', forecastDate: null });
  });
});
