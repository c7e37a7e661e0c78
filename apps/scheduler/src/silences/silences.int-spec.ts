import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import {
  AlertData,
  DubanEvent,
  MilestoneEventData,
  MilestoneEventTypes,
  SilenceData,
} from '@duban/contracts';
import { eventually, tokens, unique } from '@duban/testing';
import { DAY, REGION, SchedulerHarness } from '../testing/scheduler-harness';
import { TimersService } from '../timers/timers.service';
import { SilenceExpiry } from './silence-expiry.service';

const h = new SchedulerHarness({ milestone: { name: '完成主体施工', ownerUnit: 'WATER' } });
let smtp: SMTPServer;
let receiver: Server;
let receiverUrl: string;
const hooks: { headers: IncomingMessage['headers']; body: string }[] = [];
const mails: string[] = [];
const now = () => h.now();
const supervisor = tokens.supervisor();
const http = () => h.http();
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> =>
  h.svc.db.dataSource.query(sql, params);

const overdue = (overrides: Partial<MilestoneEventData> = {}): MilestoneEventData =>
  h.milestone({
    plannedDate: h.dayOffset(-3),
    currentPlannedDate: h.dayOffset(-3),
    ...overrides,
  });

async function publish(data: MilestoneEventData): Promise<void> {
  await h.publish(MilestoneEventTypes.scheduled, data, now(), REGION);
}

const alertEventsOf = (type: string, milestoneId: string) => h.alertEvents(type, milestoneId);

async function alertEvent(type: string, milestoneId: string): Promise<DubanEvent<AlertData>> {
  await eventually(() => alertEventsOf(type, milestoneId).length > 0, 20000, `${type}`);
  return alertEventsOf(type, milestoneId)[0];
}

const silenceEvents = (type: string, silenceId: string) =>
  h.alerts.messages
    .map((m) => m.json<DubanEvent<SilenceData>>())
    .filter((e) => e.type === type && e.data.silenceId === silenceId);

/** The scheduler's consumer has handled the event: its inbox row commits with the fan-out. */
const handled = (eventId: string) =>
  eventually(
    async () => (await q('SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).length === 1,
    20000,
    `inbox row for ${eventId}`,
  );

const deliveriesOf = (eventId: string) =>
  q('SELECT id FROM deliveries WHERE event_id = $1', [eventId]);
const mailsOf = (eventId: string) =>
  q('SELECT id FROM mail_deliveries WHERE event_id = $1', [eventId]);
const endedCount = async (silenceId: string) =>
  (
    await q<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE event_type = 'duban.silence.ended' AND payload->'data'->>'silenceId' = $1",
      [silenceId],
    )
  )[0].n;
const levelOf = async (alertId: string) =>
  (
    await q<{ level: number }>('SELECT escalation_level AS level FROM alerts WHERE id = $1', [
      alertId,
    ])
  )[0].level;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        mails.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  // Sweeps and expiry passes run when a test calls them (the harness's default).
  await h.start({
    DUBAN_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    DUBAN_ALERT_MAIL_TO: '*=duchashi@example.test',
  });
});

afterAll(async () => {
  await h.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
});

beforeEach(() => h.resetClock());

describe('silences', () => {
  it('a silenced alert sends nothing and escalates nothing until its silence ends', async () => {
    const unit = `S${unique()}`;
    await http()
      .post('/api/v1/subscriptions')
      .auth(supervisor, { type: 'bearer' })
      .send({ url: receiverUrl, filter: { unit } })
      .expect(201);
    const quiet = overdue({ ownerUnit: unit });
    const loud = overdue({ ownerUnit: unit });

    const created = await http()
      .post('/api/v1/silences')
      .auth(supervisor, { type: 'bearer' })
      .send({
        subjectType: 'project',
        subjectId: quiet.subjectId,
        region: REGION,
        endsAt: new Date(now().getTime() + 8 * DAY).toISOString(),
        reason: '汛期停工，经县防汛办批准',
      })
      .expect(201);
    const silence = created.body as { id: string; state: string };
    expect(silence).toMatchObject({ state: 'active', subjectId: quiet.subjectId, unit: null });
    await eventually(() => silenceEvents('duban.silence.created', silence.id).length === 1);

    // Raised and listed, but no webhook delivery and no mail.
    await publish(quiet);
    const quietRaised = await alertEvent('duban.alert.raised', quiet.milestoneId);
    await handled(quietRaised.id);
    expect(await deliveriesOf(quietRaised.id)).toHaveLength(0);
    expect(await mailsOf(quietRaised.id)).toHaveLength(0);
    const listed = await http()
      .get(`/api/v1/alerts?unit=${unit}`)
      .auth(supervisor, { type: 'bearer' })
      .expect(200);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toContain(quietRaised.data.alertId);

    // The same unit's unsilenced alert, handled after it, is delivered and mailed: the pipeline
    // that stayed quiet for the silenced one works.
    await publish(loud);
    const loudRaised = await alertEvent('duban.alert.raised', loud.milestoneId);
    await handled(loudRaised.id);
    expect(await deliveriesOf(loudRaised.id)).toHaveLength(1);
    expect(await mailsOf(loudRaised.id)).toHaveLength(1);
    await eventually(() => hooks.some((h) => h.body.includes(loud.milestoneId)), 20000, 'webhook');
    await eventually(
      async () =>
        (
          await q("SELECT 1 FROM mail_deliveries WHERE event_id = $1 AND state = 'sent'", [
            loudRaised.id,
          ])
        ).length === 1,
      20000,
      'mail sent',
    );
    expect(mails.length).toBeGreaterThan(0);
    expect(hooks.some((h) => h.body.includes(quiet.milestoneId))).toBe(false);

    // Its escalation time passes: the sweep (one transaction) escalates the other alert only.
    h.setOffset(6 * DAY);
    await h.svc.app.get(TimersService).sweep();
    expect(await levelOf(loudRaised.data.alertId)).toBeGreaterThanOrEqual(1);
    expect(await levelOf(quietRaised.data.alertId)).toBe(0);
    expect(alertEventsOf('duban.alert.escalated', quiet.milestoneId)).toHaveLength(0);

    // The silence ends by itself, announced once however many passes (or replicas) see it.
    h.setOffset(9 * DAY);
    const expiry = h.svc.app.get(SilenceExpiry);
    await Promise.all([expiry.sweep(), expiry.sweep()]);
    await expiry.sweep();
    const ended = await q<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE event_type = 'duban.silence.ended' AND payload->'data'->>'silenceId' = $1",
      [silence.id],
    );
    expect(ended[0].n).toBe(1);
    await eventually(() => silenceEvents('duban.silence.ended', silence.id).length === 1);
    expect(silenceEvents('duban.silence.ended', silence.id)[0].data).toMatchObject({
      state: 'ended',
      endReason: 'expired',
      endedBy: null,
    });
    const after = await http()
      .get(`/api/v1/silences/${silence.id}`)
      .auth(supervisor, { type: 'bearer' })
      .expect(200);
    expect(after.body).toMatchObject({ state: 'ended', endReason: 'expired' });

    // Escalation resumes, and is notified.
    await h.svc.app.get(TimersService).sweep();
    const escalated = await alertEvent('duban.alert.escalated', quiet.milestoneId);
    expect(await levelOf(quietRaised.data.alertId)).toBeGreaterThanOrEqual(1);
    await handled(escalated.id);
    expect(await deliveriesOf(escalated.id)).toHaveLength(1);
    expect(await mailsOf(escalated.id)).toHaveLength(1);
  });

  it('a unit silence quiets every alert of that unit in its region', async () => {
    const unit = `S${unique()}`;
    const silence = await http()
      .post('/api/v1/silences')
      .auth(supervisor, { type: 'bearer' })
      .send({
        subjectType: 'unit',
        unit,
        region: REGION,
        endsAt: new Date(now().getTime() + DAY).toISOString(),
        reason: '单位整体汛期停工',
      })
      .expect(201);
    const data = overdue({ ownerUnit: unit, subjectType: 'transport-work' });
    await publish(data);
    const raised = await alertEvent('duban.alert.raised', data.milestoneId);
    await handled(raised.id);
    expect(await mailsOf(raised.id)).toHaveLength(0);

    // It ends by itself: two passes at once (as two replicas would) announce it once.
    h.setOffset(2 * DAY);
    const expiry = h.svc.app.get(SilenceExpiry);
    await Promise.all([expiry.sweep(), expiry.sweep()]);
    await expiry.sweep();
    expect(await endedCount(silence.body.id)).toBe(1);
    await eventually(() => silenceEvents('duban.silence.ended', silence.body.id).length === 1);
    expect(silenceEvents('duban.silence.ended', silence.body.id)[0].data).toMatchObject({
      state: 'ended',
      endReason: 'expired',
      unit,
    });
  });

  it('is created by supervisors of the region and admins only, bounded, with field errors', async () => {
    const body = {
      subjectType: 'project',
      subjectId: randomUUID(),
      region: REGION,
      endsAt: new Date(now().getTime() + 30 * DAY).toISOString(),
      reason: '征地拆迁暂停，经县政府常务会议同意',
    };
    const post = (token: string, b: object) =>
      http().post('/api/v1/silences').auth(token, { type: 'bearer' }).send(b);

    const tooLong = await post(supervisor, {
      ...body,
      endsAt: new Date(now().getTime() + 91 * DAY).toISOString(),
    }).expect(400);
    expect(tooLong.body.errors.map((e: { field: string }) => e.field)).toContain('endsAt');
    const past = await post(supervisor, {
      ...body,
      endsAt: new Date(now().getTime() - DAY).toISOString(),
    }).expect(400);
    expect(past.body.errors.map((e: { field: string }) => e.field)).toContain('endsAt');
    const noReason = await post(supervisor, { ...body, reason: undefined }).expect(400);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
    const noSubject = await post(supervisor, { ...body, subjectId: undefined }).expect(400);
    expect(noSubject.body.errors.map((e: { field: string }) => e.field)).toContain('subjectId');

    await post(tokens.department('WATER'), body).expect(403);
    await post(tokens.as('integrator', 'city-platform'), body).expect(403);
    const bound = tokens.as('supervisor', 'duchashi-511113', undefined, '511113');
    await post(bound, body).expect(403);
    await http().post('/api/v1/silences').send(body).expect(401);

    const mine = await post(bound, { ...body, region: '511113' }).expect(201);
    const theirs = await post(tokens.admin(), body).expect(201);
    expect(theirs.body).toMatchObject({ state: 'active', createdBy: 'admin', region: REGION });

    // A region-bound token sees and ends its region's silences only.
    const listed = await http()
      .get('/api/v1/silences?active=true&limit=200')
      .auth(bound, { type: 'bearer' })
      .expect(200);
    const ids = listed.body.items.map((s: { id: string }) => s.id);
    expect(ids).toContain(mine.body.id);
    expect(ids).not.toContain(theirs.body.id);
    await http()
      .get(`/api/v1/silences?region=${REGION}`)
      .auth(bound, { type: 'bearer' })
      .expect(403);
    await http()
      .get(`/api/v1/silences/${theirs.body.id}`)
      .auth(bound, { type: 'bearer' })
      .expect(404);
    await http()
      .delete(`/api/v1/silences/${theirs.body.id}`)
      .auth(bound, { type: 'bearer' })
      .expect(404);
    await http()
      .delete(`/api/v1/silences/${theirs.body.id}`)
      .auth(tokens.department('WATER'), { type: 'bearer' })
      .expect(403);
    await http()
      .delete(`/api/v1/silences/${randomUUID()}`)
      .auth(supervisor, { type: 'bearer' })
      .expect(404);

    // Ended early: 200 with the silence; again, the same answer and no second event.
    const end = await http()
      .delete(`/api/v1/silences/${theirs.body.id}`)
      .auth(supervisor, { type: 'bearer' })
      .expect(200);
    expect(end.body).toMatchObject({ state: 'ended', endReason: 'deleted', endedBy: 'duchashi' });
    const again = await http()
      .delete(`/api/v1/silences/${theirs.body.id}`)
      .auth(supervisor, { type: 'bearer' })
      .expect(200);
    expect(again.body).toEqual(end.body);
    await eventually(() => silenceEvents('duban.silence.ended', theirs.body.id).length === 1);
    const [{ n }] = await q<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE event_type = 'duban.silence.ended' AND payload->'data'->>'silenceId' = $1",
      [theirs.body.id],
    );
    expect(n).toBe(1);

    const inactive = await http()
      .get(`/api/v1/silences?active=false&region=${REGION}&subjectType=project&limit=200`)
      .auth(supervisor, { type: 'bearer' })
      .expect(200);
    expect(inactive.body.items.map((s: { id: string }) => s.id)).toContain(theirs.body.id);
    await http()
      .get('/api/v1/silences?active=maybe')
      .auth(supervisor, { type: 'bearer' })
      .expect(400);
  });
});
