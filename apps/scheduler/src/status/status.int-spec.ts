import {
  DubanEvent,
  MilestoneEventTypes,
  StatusChangedData,
  StatusEventTypes,
} from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { eventually } from '@duban/testing';
import { DAY, SchedulerHarness } from '../testing/scheduler-harness';
import { StatusService } from './status.service';

const h = new SchedulerHarness({
  env: { DUBAN_STATUS_RED_OVERDUE_DAYS: '7' },
  milestone: { name: '主体结构封顶', ownerUnit: 'HOUSING' },
});
const supervisor = signToken({ subject: 'duchashi', role: 'supervisor' }, authSecretFrom());
const department = (unit: string) =>
  signToken(
    { subject: unit.toLowerCase(), role: 'department', unit, region: '511112' },
    authSecretFrom(),
  );

const statusEvents = (subjectId: string) =>
  h.alerts.messages
    .map((m) => ({ key: m.key, event: m.json<DubanEvent<StatusChangedData>>() }))
    .filter(
      ({ event }) => event.type === StatusEventTypes.changed && event.data.subjectId === subjectId,
    );

beforeAll(() => h.start());
afterAll(() => h.close());
beforeEach(() => h.resetClock());

describe('traffic lights', () => {
  it('publishes a colour change once, keyed by the subject, and goes red when overdue more than N days', async () => {
    const late = h.milestone({ currentPlannedDate: h.dayOffset(-2), plannedDate: h.dayOffset(-2) });
    await h.publish(MilestoneEventTypes.scheduled, late);

    // An overdue milestone (2 days, minor) turns its project yellow.
    await eventually(() => statusEvents(late.subjectId).length >= 1, 20000, 'status.changed');
    const [first] = statusEvents(late.subjectId);
    expect(first.key).toBe(late.subjectId);
    expect(first.event.subject).toBe(late.subjectId);
    expect(first.event.data).toMatchObject({
      subjectType: 'project',
      ownerUnit: 'HOUSING',
      region: '511112',
      colour: 'yellow',
      previousColour: 'green',
      openAlerts: 1,
    });

    // A forecast slip of the same project is another open alert, but no change of colour.
    const slipping = { ...late, forecastDate: h.dayOffset(3) };
    await h.publish(MilestoneEventTypes.forecastChanged, slipping);
    await eventually(
      () => h.alertEvents('duban.alert.raised', late.milestoneId).length === 2,
      20000,
      'forecast-slip raised',
    );
    const slip = h
      .alertEvents('duban.alert.raised', late.milestoneId)
      .find((e) => e.data.rule === 'forecast-slip')!;
    // Barrier: the scheduler has consumed the slip alert's event (its status work committed).
    await eventually(() => h.consumed(slip.id), 20000, 'slip alert consumed');
    const [row] = await h.svc.db.dataSource.query(
      'SELECT colour, open_alerts FROM subject_status WHERE subject_id = $1',
      [late.subjectId],
    );
    expect(row).toEqual({ colour: 'yellow', open_alerts: 2 });

    // Overdue more than N = 7 days with no new event: the periodic pass turns it red.
    h.setOffset(7 * DAY);
    await h.svc.app.get(StatusService).sweep();
    await eventually(() => statusEvents(late.subjectId).length >= 2, 20000, 'red');
    // One subject's changes share a key and so a partition: nothing came between them.
    expect(statusEvents(late.subjectId).map(({ event }) => event.data.colour)).toEqual([
      'yellow',
      'red',
    ]);
    expect(statusEvents(late.subjectId)[1].event.data.previousColour).toBe('yellow');

    const page = await h
      .http()
      .get('/api/v1/status')
      .query({ unit: 'HOUSING', colour: 'red' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(200);
    expect(page.body.items).toEqual([
      expect.objectContaining({ subjectId: late.subjectId, colour: 'red', openAlerts: 2 }),
    ]);
    expect(page.body.counts).toEqual({ red: 1, yellow: 0, green: 0 });
  });

  it('lists green subjects, counts per unit and region, and shows a department its own unit only', async () => {
    const calm = h.milestone({ ownerUnit: 'WATER' });
    const scheduled = await h.publish(MilestoneEventTypes.scheduled, calm);
    await eventually(() => h.consumed(scheduled.id), 20000, 'milestone consumed');

    const water = await h
      .http()
      .get('/api/v1/status')
      .query({ unit: 'WATER' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(200);
    expect(water.body).toEqual({
      items: [
        expect.objectContaining({ subjectId: calm.subjectId, colour: 'green', openAlerts: 0 }),
      ],
      nextCursor: null,
      counts: { red: 0, yellow: 0, green: 1 },
    });
    expect(statusEvents(calm.subjectId)).toEqual([]);

    const own = await h
      .http()
      .get('/api/v1/status')
      .set('authorization', `Bearer ${department('WATER')}`)
      .expect(200);
    expect(own.body.items.map((s: { ownerUnit: string }) => s.ownerUnit)).toEqual(['WATER']);
    const other = await h
      .http()
      .get('/api/v1/status')
      .query({ unit: 'HOUSING' })
      .set('authorization', `Bearer ${department('WATER')}`)
      .expect(200);
    expect(other.body).toEqual({
      items: [],
      nextCursor: null,
      counts: { red: 0, yellow: 0, green: 0 },
    });

    const byUnit = await h
      .http()
      .get('/api/v1/status/summary')
      .query({ groupBy: 'unit' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(200);
    expect(byUnit.body.groupBy).toBe('unit');
    expect(byUnit.body.groups).toEqual(
      expect.arrayContaining([{ key: 'WATER', red: 0, yellow: 0, green: 1, total: 1 }]),
    );
    const byRegion = await h
      .http()
      .get('/api/v1/status/summary')
      .query({ groupBy: 'region' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(200);
    expect(byRegion.body.groups).toEqual([
      expect.objectContaining({ key: '511112', total: expect.any(Number) }),
    ]);

    await h
      .http()
      .get('/api/v1/status')
      .query({ colour: 'blue' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(400);
  });
});
