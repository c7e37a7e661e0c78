import { randomUUID } from 'node:crypto';
import {
  AlertData,
  MilestoneEventData,
  MilestoneEventTypes,
  deadlineAfter,
} from '@duban/contracts';
import { api, eventually, tokens } from '@duban/testing';
import { WorkingCalendar, workingDaysLater } from '@duban/calendar';
import { SchedulerHarness } from '../testing/scheduler-harness';
import { TimersService } from '../timers/timers.service';
import { WORKING_CALENDAR } from './working-calendar.provider';

/**
 * The closed loop (督办闭环, issue 12) against real Kafka, Redis and PostgreSQL, the scheduler's
 * clock moved by the test: a withdrawn forecast keeps its slip alert; an acknowledgement is a
 * commitment, and a missed one re-opens the alert a level up; resolutions wait for a
 * supervisor's verification (销号) or close themselves; open alerts are reminded (催办).
 */
const h = new SchedulerHarness();
const now = () => h.now();
const as = (token: string) => api(() => h.svc.app.getHttpServer(), token);
const supervisor = () => as(tokens.supervisor());
const calendar = () => h.svc.app.get<WorkingCalendar>(WORKING_CALENDAR);
const sweep = () => h.svc.app.get(TimersService).sweep();
/** Moves the scheduler's clock to `at` (plus a minute, so what is due at `at` is due). */
const moveTo = (at: Date) => h.setNow(new Date(at.getTime() + 60_000));
const alertEvents = (milestoneId: string, type?: string) => h.alertEvents(type, milestoneId);

/** The timetable row as the last event left it: the alert evaluation committed with it. */
async function timetableShows(milestoneId: string, forecastDate: string | null): Promise<void> {
  await eventually(async () => {
    const rows: { forecast_date: string | null }[] = await h.svc.db.dataSource.query(
      `SELECT to_char(forecast_date, 'YYYY-MM-DD') AS forecast_date FROM timetable WHERE milestone_id = $1`,
      [milestoneId],
    );
    return rows.length === 1 && rows[0].forecast_date === forecastDate;
  }, 20000);
}

beforeAll(() => h.start());
afterAll(() => h.close());
beforeEach(() => h.resetClock());

describe('forecast-slip alerts', () => {
  it('stay open when the forecast is cleared, and resolve on an approved change of plan', async () => {
    const data = h.milestone({ forecastDate: h.dayOffset(45) });
    await h.publish(MilestoneEventTypes.scheduled, data);
    const [raised] = await h.waitForAlert('duban.alert.raised', data.milestoneId);
    expect(raised.data).toMatchObject({ rule: 'forecast-slip', severity: 'minor' });

    await h.publish(MilestoneEventTypes.forecastChanged, { ...data, forecastDate: null });
    await timetableShows(data.milestoneId, null);
    const held = await supervisor().get(`/api/v1/alerts/${raised.data.alertId}`).expect(200);
    expect(held.body).toMatchObject({ state: 'open', severity: 'minor', forecastDate: null });

    // The change, once approved, arrives as a rescheduled milestone.
    const moved = h.dayOffset(60);
    await h.publish(MilestoneEventTypes.rescheduled, {
      ...data,
      forecastDate: null,
      currentPlannedDate: moved,
    });
    const resolved = await h.waitForAlert('duban.alert.resolved', data.milestoneId);
    // Had the cleared forecast resolved it, the first resolution would say forecast-restored.
    expect(resolved.map((e) => e.data.resolution)).toEqual(['rescheduled']);
    expect(resolved[0].data.alertId).toBe(raised.data.alertId);
  });
});

/** An overdue milestone's alert, raised and read back. */
async function overdueAlert(
  ownerUnit = 'AGRI',
): Promise<{ data: MilestoneEventData; alert: AlertData }> {
  const data = h.milestone({
    ownerUnit,
    currentPlannedDate: h.dayOffset(-3),
    plannedDate: h.dayOffset(-3),
  });
  await h.publish(MilestoneEventTypes.scheduled, data);
  const [raised] = await h.waitForAlert('duban.alert.raised', data.milestoneId);
  return { data, alert: raised.data };
}

/** Met: the alert is resolved, waiting for verification. */
async function resolvedAlert(): Promise<{ data: MilestoneEventData; alert: AlertData }> {
  const { data, alert } = await overdueAlert();
  await h.publish(MilestoneEventTypes.completed, {
    ...data,
    status: 'met',
    actualDate: h.dayOffset(0),
  });
  const [resolved] = await h.waitForAlert('duban.alert.resolved', data.milestoneId);
  expect(resolved.data).toMatchObject({
    alertId: alert.alertId,
    state: 'resolved',
    resolution: 'met',
  });
  return { data, alert: resolved.data };
}

describe('acknowledging commits to a date', () => {
  it('answers 400 naming commitDate when it is missing or past the limit', async () => {
    const { alert } = await overdueAlert();
    const url = `/api/v1/alerts/${alert.alertId}/acknowledge`;
    const missing = await as(tokens.department('AGRI')).post(url, { note: '已督促' }).expect(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'commitDate' })]);
    const tooLate = calendar().addWorkingDays(h.dayOffset(0), 21);
    const late = await as(tokens.department('AGRI'))
      .post(url, { note: '已督促', commitDate: tooLate })
      .expect(400);
    expect(late.body.errors).toEqual([expect.objectContaining({ field: 'commitDate' })]);
    // Another unit may not even see it.
    await as(tokens.department('WATER'))
      .post(url, { note: '已督促', commitDate: h.dayOffset(0) })
      .expect(404);
  });

  it('re-opens the alert one level up at once when the commit date passes unmet', async () => {
    const { data, alert } = await overdueAlert();
    const commitDate = h.dayOffset(1);
    const ack = await as(tokens.department('AGRI'))
      .post(`/api/v1/alerts/${alert.alertId}/acknowledge`, {
        note: '已协调施工单位加班，明日完成',
        commitDate,
      })
      .expect(200);
    expect(ack.body).toMatchObject({ state: 'acknowledged', commitDate, acknowledgedBy: 'AGRI' });
    const [acknowledged] = await h.waitForAlert('duban.alert.acknowledged', data.milestoneId);
    expect(acknowledged.data).toMatchObject({ commitDate, escalationLevel: 0 });

    // The commit date is over at the start of the next China day; a minute before, nothing yet.
    const over = deadlineAfter(commitDate);
    moveTo(over);
    h.advance(-120_000);
    await sweep();
    const before = await supervisor().get(`/api/v1/alerts/${alert.alertId}`).expect(200);
    expect(before.body.state).toBe('acknowledged');

    moveTo(over);
    await sweep();
    const [missed] = await h.waitForAlert('duban.alert.commitment-missed', data.milestoneId);
    expect(missed.data).toMatchObject({
      alertId: alert.alertId,
      state: 'open',
      escalationLevel: 1,
      commitDate,
    });
    // Once: a second pass finds nothing more to do.
    await sweep();
    const detail = await supervisor().get(`/api/v1/alerts/${alert.alertId}`).expect(200);
    expect(detail.body).toMatchObject({ state: 'open', escalationLevel: 1, silencedBy: null });
    expect(detail.body.history.map((h: { kind: string }) => h.kind)).toEqual([
      'raised',
      'acknowledged',
      'commitment-missed',
    ]);
  });
});

describe('verification (销号)', () => {
  it('keeps a met alert resolved until a supervisor closes it; the owner unit cannot', async () => {
    const { data, alert } = await resolvedAlert();
    const url = `/api/v1/alerts/${alert.alertId}/close`;
    await as(tokens.department('AGRI')).post(url, { note: '已完成' }).expect(403);
    await as(tokens.as('supervisor', 'elsewhere', undefined, '511113'))
      .post(url, { note: '已核查' })
      .expect(404);
    await supervisor().post(url, {}).expect(400);

    const closed = await supervisor().post(url, { note: '现场核查，已完成' }).expect(200);
    expect(closed.body).toMatchObject({
      state: 'closed',
      closedBy: 'duchashi',
      verificationNote: '现场核查，已完成',
    });
    const [event] = await h.waitForAlert('duban.alert.closed', data.milestoneId);
    expect(event.data).toMatchObject({ state: 'closed', closedBy: 'duchashi', resolution: 'met' });
    await supervisor().post(url, { note: '再次' }).expect(409);

    const list = async (state: string) =>
      (
        await supervisor().get(`/api/v1/alerts?state=${state}&limit=200`).expect(200)
      ).body.items.map((a: { id: string }) => a.id);
    expect(await list('closed')).toContain(alert.alertId);
    expect(await list('resolved')).not.toContain(alert.alertId);
  });

  it('re-opens a rejected resolution one level up', async () => {
    const { data, alert } = await resolvedAlert();
    const url = `/api/v1/alerts/${alert.alertId}/reopen`;
    await as(tokens.department('AGRI')).post(url, { note: '不同意' }).expect(403);
    const reopened = await supervisor().post(url, { note: '现场核查未完成，退回重办' }).expect(200);
    expect(reopened.body).toMatchObject({ state: 'open', escalationLevel: 1, resolution: null });
    const [event] = await h.waitForAlert('duban.alert.reopened', data.milestoneId);
    expect(event.data).toMatchObject({
      state: 'open',
      escalationLevel: 1,
      verificationNote: '现场核查未完成，退回重办',
    });
    await supervisor().post(url, { note: '再次' }).expect(409);
  });

  it('refuses to re-open a resolution once the rule has fired again with a newer alert (409)', async () => {
    const { data, alert } = await overdueAlert();
    await h.publish(MilestoneEventTypes.rescheduled, {
      ...data,
      currentPlannedDate: h.dayOffset(20),
    });
    await h.waitForAlert('duban.alert.resolved', data.milestoneId);
    // Moved back into the past: the milestone is overdue again, a new alert follows it.
    await h.publish(MilestoneEventTypes.rescheduled, {
      ...data,
      currentPlannedDate: h.dayOffset(-1),
    });
    const raised = await h.waitForAlert('duban.alert.raised', data.milestoneId, 2);
    const newer = raised[1].data.alertId;
    const refused = await supervisor()
      .post(`/api/v1/alerts/${alert.alertId}/reopen`, { note: '退回' })
      .expect(409);
    expect(refused.body.detail).toContain(newer);
    const old = await supervisor().get(`/api/v1/alerts/${alert.alertId}`).expect(200);
    expect(old.body.state).toBe('resolved');
  });

  it('closes a resolution by itself after the configured working days without objection', async () => {
    const { data, alert } = await resolvedAlert();
    const due = workingDaysLater(new Date(alert.resolvedAt!), 5, calendar());
    moveTo(due);
    h.advance(-120_000);
    await sweep();
    expect(alertEvents(data.milestoneId, 'duban.alert.closed')).toHaveLength(0);
    moveTo(due);
    await sweep();
    const [closed] = await h.waitForAlert('duban.alert.closed', data.milestoneId);
    expect(closed.data).toMatchObject({ state: 'closed', closedBy: null, resolution: 'met' });
  });
});

describe('reminders (催办)', () => {
  it('are published with a count every N working days, through the webhooks like the alert', async () => {
    const unit = `R${randomUUID().slice(0, 5).toUpperCase()}`;
    const hook = await supervisor()
      .post('/api/v1/subscriptions', { url: 'http://127.0.0.1:9/hook', filter: { unit } })
      .expect(201);
    const { data, alert } = await overdueAlert(unit);
    expect(alert.severity).toBe('minor'); // reminded every 5 working days by default

    const first = workingDaysLater(new Date(alert.raisedAt), 5, calendar());
    moveTo(first);
    await sweep();
    await sweep(); // a second pass at the same time reminds nobody again
    const [reminded] = await h.waitForAlert('duban.alert.reminded', data.milestoneId);
    expect(reminded.data).toMatchObject({ alertId: alert.alertId, reminderCount: 1 });

    moveTo(workingDaysLater(now(), 5, calendar()));
    await sweep();
    const both = await h.waitForAlert('duban.alert.reminded', data.milestoneId, 2);
    expect(both.map((e) => e.data.reminderCount)).toEqual([1, 2]);

    // The fan-out wrote a webhook delivery for each reminder, as for the alert itself.
    await eventually(async () => {
      const rows: { event_id: string }[] = await h.svc.db.dataSource.query(
        `SELECT event_id FROM deliveries WHERE subscription_id = $1 AND event_type = 'duban.alert.reminded'`,
        [hook.body.id],
      );
      return rows.length === 2;
    }, 20000);
  });

  it('skip a silenced alert, which the list marks silencedBy', async () => {
    const quiet = await overdueAlert();
    const loud = await overdueAlert();
    const silence = await supervisor()
      .post('/api/v1/silences', {
        subjectType: 'project',
        subjectId: quiet.data.subjectId,
        region: '511112',
        endsAt: new Date(now().getTime() + 30 * 86_400_000).toISOString(),
        reason: '汛期停工，经县防汛办批准',
      })
      .expect(201);
    const listed = await supervisor().get('/api/v1/alerts?state=open&limit=200').expect(200);
    const silencedBy = (id: string) =>
      listed.body.items.find((a: { id: string }) => a.id === id)?.silencedBy;
    expect(silencedBy(quiet.alert.alertId)).toBe(silence.body.id);
    expect(silencedBy(loud.alert.alertId)).toBeNull();

    // One sweep (one transaction) past both reminder times: only the loud one is reminded.
    moveTo(workingDaysLater(new Date(quiet.alert.raisedAt), 5, calendar()));
    await sweep();
    await h.waitForAlert('duban.alert.reminded', loud.data.milestoneId);
    expect(alertEvents(quiet.data.milestoneId, 'duban.alert.reminded')).toHaveLength(0);
    expect(alertEvents(quiet.data.milestoneId, 'duban.alert.escalated')).toHaveLength(0);
    const detail = await supervisor().get(`/api/v1/alerts/${quiet.alert.alertId}`).expect(200);
    expect(detail.body).toMatchObject({
      reminderCount: 0,
      escalationLevel: 0,
      silencedBy: silence.body.id,
    });
  });
});
