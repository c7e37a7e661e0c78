import { randomUUID } from 'node:crypto';
import { createServer, get, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import {
  AlertData,
  DubanEvent,
  MilestoneEventTypes,
  Topics,
  chinaDate,
  createEvent,
  deadlineAfter,
} from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { WorkingCalendar, workingDaysLater } from '@duban/calendar';
import { redisUrl } from '@duban/platform';
import { eventually } from '@duban/testing';
import { verify } from './notifications/domain/signature';
import { SCHEDULER_CONFIG, SchedulerConfig } from './scheduler.config';
import { SchedulerHarness } from './testing/scheduler-harness';
import { TimersService } from './timers/timers.service';
import { WORKING_CALENDAR } from './alerts/working-calendar.provider';

const h = new SchedulerHarness({
  // The sweep runs when a test calls it (the harness's default): every alert below comes from
  // an event or a timer.
  env: {
    DUBAN_WEBHOOK_ATTEMPTS: '3',
    DUBAN_WEBHOOK_BACKOFF_MS: '100',
  },
  milestone: { name: '完成工可批复' },
});
const supervisor = signToken({ subject: 'duchashi', role: 'supervisor' }, authSecretFrom());
const agri = signToken(
  { subject: 'agri', role: 'department', unit: 'AGRI', region: '511112' },
  authSecretFrom(),
);
const now = () => h.now();

beforeAll(() => h.start());
afterAll(() => h.close());
beforeEach(() => h.resetClock());

describe('scheduler', () => {
  // How fast: bench/alert-latency.bench.ts (npm run bench:alerts), against a raw Kafka baseline.
  it('raises exactly one alert for a milestone that arrives already overdue', async () => {
    const data = h.milestone({ currentPlannedDate: h.dayOffset(-5), plannedDate: h.dayOffset(-5) });
    const event = await h.publish(MilestoneEventTypes.scheduled, data);
    const [raised] = await h.waitForAlert('duban.alert.raised', data.milestoneId);
    expect(raised.data).toMatchObject({
      rule: 'overdue',
      state: 'open',
      escalationLevel: 0,
      severity: 'minor',
      daysOverdue: 5,
      ownerUnit: 'AGRI',
      region: '511112',
      subjectType: 'project',
      subjectId: data.subjectId,
      milestoneName: '完成工可批复',
    });

    // Redelivered and repeated events raise nothing new.
    await h.producer.send({
      topic: h.svc.topics.name(Topics.projects),
      messages: [{ key: data.milestoneId, value: JSON.stringify(event) }],
    });
    await h.publish(MilestoneEventTypes.forecastChanged, { ...data });
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.alertEvents('duban.alert.raised', data.milestoneId)).toHaveLength(1);
    const [{ n }] = await h.svc.db.dataSource.query(
      'SELECT count(*)::int AS n FROM alerts WHERE milestone_id = $1',
      [data.milestoneId],
    );
    expect(n).toBe(1);
  });

  it('fires a timer at the deadline (start of the next day in UTC+8) and resolves when the milestone is met', async () => {
    const due = h.dayOffset(0);
    const deadline = deadlineAfter(due);
    h.setNow(new Date(deadline.getTime() - 3000)); // three seconds before midnight in China
    const data = h.milestone({ currentPlannedDate: due, plannedDate: due });
    await h.publish(MilestoneEventTypes.scheduled, data);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.alertEvents('duban.alert.raised', data.milestoneId)).toHaveLength(0);

    const [raised] = await h.waitForAlert('duban.alert.raised', data.milestoneId);
    expect(new Date(raised.data.raisedAt).getTime()).toBeGreaterThanOrEqual(deadline.getTime());
    expect(raised.data).toMatchObject({ rule: 'overdue', daysOverdue: 1 });

    await h.publish(MilestoneEventTypes.completed, {
      ...data,
      status: 'met',
      actualDate: h.dayOffset(0),
    });
    const [resolved] = await h.waitForAlert('duban.alert.resolved', data.milestoneId);
    expect(resolved.data).toMatchObject({
      alertId: raised.data.alertId,
      state: 'resolved',
      resolution: 'met',
    });
  });

  it('loses no alert when Redis loses everything: the next sweep raises it and restores the timers', async () => {
    const timers = h.svc.app.get(TimersService);
    const due = h.dayOffset(0);
    const deadline = deadlineAfter(due);
    h.setNow(new Date(deadline.getTime() - 4000));
    const late = h.milestone({ currentPlannedDate: due, plannedDate: due });
    const later = h.milestone({ currentPlannedDate: h.dayOffset(1), plannedDate: h.dayOffset(1) });
    await h.publish(MilestoneEventTypes.scheduled, late);
    await h.publish(MilestoneEventTypes.scheduled, later);
    await eventually(
      async () =>
        (
          await h.svc.db.dataSource.query('SELECT 1 FROM timetable WHERE milestone_id = ANY($1)', [
            [late.milestoneId, later.milestoneId],
          ])
        ).length === 2,
    );

    const redis = new Redis(redisUrl());
    const prefix = h.svc.app.get<SchedulerConfig>(SCHEDULER_CONFIG).redisPrefix;
    const jobKey = (id: string) => `${prefix}:timers:${id}`;
    expect(await redis.exists(jobKey(`deadline_${late.milestoneId}_${due}`))).toBe(1);
    await redis.flushall();
    expect(await redis.exists(jobKey(`deadline_${late.milestoneId}_${due}`))).toBe(0);

    await new Promise((r) => setTimeout(r, 5000)); // past the deadline: the lost timer never fires
    expect(h.alertEvents('duban.alert.raised', late.milestoneId)).toHaveLength(0);

    await timers.sweep();
    await h.waitForAlert('duban.alert.raised', late.milestoneId);
    expect(
      await redis.exists(jobKey(`deadline_${later.milestoneId}_${later.currentPlannedDate}`)),
    ).toBe(1);
    redis.disconnect();
  });

  it('escalates an unacknowledged alert on its timers, and an acknowledged one no further', async () => {
    const timers = h.svc.app.get(TimersService);
    const data = h.milestone({ currentPlannedDate: h.dayOffset(-2), plannedDate: h.dayOffset(-2) });
    await h.publish(MilestoneEventTypes.scheduled, data);
    const [raised] = await h.waitForAlert('duban.alert.raised', data.milestoneId);

    // Two working days at the owner unit (the clock skips weekends and holidays).
    const calendar = h.svc.app.get<WorkingCalendar>(WORKING_CALENDAR);
    const toLevel1 = workingDaysLater(new Date(raised.data.raisedAt), 2, calendar);
    h.setNow(new Date(toLevel1.getTime() + 60_000));
    await timers.sweep();
    const [toOffice] = await h.waitForAlert('duban.alert.escalated', data.milestoneId);
    expect(toOffice.data.escalationLevel).toBe(1);

    const commitDate = calendar.addWorkingDays(chinaDate(now()), 10);
    const ack = await h
      .http()
      .post(`/api/v1/alerts/${raised.data.alertId}/acknowledge`)
      .auth(supervisor, { type: 'bearer' })
      .send({ note: '已约谈发改局，下周完成', commitDate })
      .expect(200);
    expect(ack.body).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'duchashi',
      commitDate,
    });
    await h.waitForAlert('duban.alert.acknowledged', data.milestoneId);

    // Past the level-1 time, before the commit date is over.
    h.setNow(new Date(workingDaysLater(now(), 5, calendar).getTime()));
    await timers.sweep();
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.alertEvents('duban.alert.escalated', data.milestoneId)).toHaveLength(1);

    const detail = await h
      .http()
      .get(`/api/v1/alerts/${raised.data.alertId}`)
      .auth(supervisor, { type: 'bearer' })
      .expect(200);
    expect(detail.body.history.map((h: { kind: string }) => h.kind)).toEqual(
      expect.arrayContaining(['raised', 'escalated', 'acknowledged']),
    );
  });

  it('serves alerts and the timetable over HTTP, a department seeing only its own unit', async () => {
    const water = h.milestone({
      ownerUnit: 'WATER',
      currentPlannedDate: h.dayOffset(-1),
      plannedDate: h.dayOffset(-1),
    });
    const soon = h.milestone({ currentPlannedDate: h.dayOffset(3), plannedDate: h.dayOffset(3) });
    await h.publish(MilestoneEventTypes.scheduled, water);
    await h.publish(MilestoneEventTypes.scheduled, soon);
    await h.waitForAlert('duban.alert.raised', water.milestoneId);

    const all = await h
      .http()
      .get('/api/v1/alerts?state=open&limit=200')
      .auth(supervisor, { type: 'bearer' })
      .expect(200);
    expect(all.body.items.map((a: { milestoneId: string }) => a.milestoneId)).toContain(
      water.milestoneId,
    );
    const own = await h
      .http()
      .get('/api/v1/alerts?limit=200')
      .auth(agri, { type: 'bearer' })
      .expect(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((a: { ownerUnit: string }) => a.ownerUnit === 'AGRI')).toBe(true);
    const waterAlert = all.body.items.find(
      (a: { milestoneId: string }) => a.milestoneId === water.milestoneId,
    );
    await h
      .http()
      .get(`/api/v1/alerts/${waterAlert.id}`)
      .auth(agri, { type: 'bearer' })
      .expect(404);
    await h
      .http()
      .get('/api/v1/alerts?severity=dreadful')
      .auth(supervisor, { type: 'bearer' })
      .expect(400);
    await h.http().get('/api/v1/alerts').expect(401);

    await eventually(
      async () =>
        (
          await h.svc.db.dataSource.query('SELECT 1 FROM timetable WHERE milestone_id = $1', [
            soon.milestoneId,
          ])
        ).length === 1,
    );
    const timetable = await h
      .http()
      .get('/api/v1/milestones?dueWithinDays=7')
      .auth(supervisor, { type: 'bearer' })
      .expect(200);
    const ids = timetable.body.items.map((e: { milestoneId: string }) => e.milestoneId);
    expect(ids).toContain(soon.milestoneId);
    const entry = timetable.body.items.find(
      (e: { milestoneId: string }) => e.milestoneId === soon.milestoneId,
    );
    expect(entry.deadline).toBe(deadlineAfter(soon.currentPlannedDate).toISOString());
  });

  it('delivers signed webhooks, retries a failing receiver, dead-letters it and retries on request', async () => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    let failing = true;
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = req.url === '/flaky' && failing ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    try {
      const good = await h
        .http()
        .post('/api/v1/subscriptions')
        .auth(supervisor, { type: 'bearer' })
        .send({ url: `${base}/good`, filter: { unit: 'ENV' } })
        .expect(201);
      const flaky = await h
        .http()
        .post('/api/v1/subscriptions')
        .auth(supervisor, { type: 'bearer' })
        .send({ url: `${base}/flaky`, filter: { unit: 'ENV' } })
        .expect(201);
      expect(good.body.secret).toMatch(/^[0-9a-f]{64}$/);

      const data = h.milestone({
        ownerUnit: 'ENV',
        currentPlannedDate: h.dayOffset(-1),
        plannedDate: h.dayOffset(-1),
      });
      await h.publish(MilestoneEventTypes.scheduled, data);
      await eventually(
        () =>
          received.some(
            (r) =>
              r.headers['duban-event-type'] === 'duban.alert.raised' &&
              r.body.includes(data.milestoneId),
          ),
        20000,
      );
      const delivery = received.find(
        (r) => r.body.includes(data.milestoneId) && r.headers['duban-delivery-id'],
      )!;
      const signature = String(delivery.headers['duban-signature']);
      const okSignature = verify(
        good.body.secret,
        delivery.body,
        signature,
        Math.floor(now().getTime() / 1000),
      );
      const flakySignature = verify(
        flaky.body.secret,
        delivery.body,
        signature,
        Math.floor(now().getTime() / 1000),
      );
      expect(okSignature || flakySignature).toBe(true);
      expect(
        verify(
          good.body.secret,
          delivery.body + ' ',
          signature,
          Math.floor(now().getTime() / 1000),
        ),
      ).toBe(false);

      const deadList = async () =>
        (
          await h
            .http()
            .get(`/api/v1/subscriptions/${flaky.body.id}/deliveries?state=dead`)
            .auth(supervisor, { type: 'bearer' })
        ).body.items;
      await eventually(async () => (await deadList()).length === 1, 20000, 'dead delivery');
      const [dead] = await deadList();
      expect(dead).toMatchObject({
        attempts: 3,
        lastError: 'HTTP 500',
        eventType: 'duban.alert.raised',
      });
      expect(received.filter((r) => r.headers['duban-delivery-id'] === dead.id)).toHaveLength(3);

      failing = false;
      await h
        .http()
        .post(`/api/v1/subscriptions/${flaky.body.id}/deliveries/${dead.id}/retry`)
        .auth(supervisor, { type: 'bearer' })
        .expect(200);
      await eventually(async () => {
        const [d] = (
          await h
            .http()
            .get(`/api/v1/subscriptions/${flaky.body.id}/deliveries`)
            .auth(supervisor, { type: 'bearer' })
        ).body.items;
        return d.state === 'delivered';
      }, 20000);
    } finally {
      receiver.close();
    }
  });

  it('raises behind-pace for a project whose reported progress trails its linear plan, and resolves it when it catches up', async () => {
    const projectId = randomUUID();
    const project = {
      projectId,
      code: `PACE-${projectId.slice(0, 6)}`,
      name: '千村污水治理示范工程',
      category: 'environment',
      level: 'county' as const,
      leadUnit: 'WATER',
      responsibleLeader: '李副县长',
      township: '青富镇',
      regionCode: '511112',
      totalPlannedInvestmentWan: '50000.00',
      annualPlannedInvestmentWan: '20000.00',
      plannedStartDate: h.dayOffset(-100),
      plannedEndDate: h.dayOffset(99),
      parkId: null,
      tags: [],
      status: 'under-construction' as const,
      suspendedFrom: null,
      version: 3,
    };
    const report = (pct: number, type: string) =>
      createEvent({
        type,
        service: 'projects',
        subject: projectId,
        region: '511112',
        data: {
          reportId: randomUUID(),
          projectId,
          leadUnit: 'WATER',
          month: h.dayOffset(0).slice(0, 7),
          investmentCompletedWan: '100.00',
          cumulativeInvestmentWan: '9000.00',
          physicalProgressPct: pct,
          narrative: '',
          items: [],
          version: 1,
        },
      });
    const send = (e: DubanEvent) =>
      h.producer.send({
        topic: h.svc.topics.name(Topics.projects),
        messages: [{ key: projectId, value: JSON.stringify(e) }],
      });

    await send(
      createEvent({
        type: 'duban.project.registered',
        service: 'projects',
        subject: projectId,
        region: '511112',
        data: project,
      }),
    );
    await send(report(20, 'duban.progress-report.submitted'));
    // A project registered 100 days into its plan may also be missing a report (report-missing).
    const behind = (type: string) =>
      h.alertEvents(type, projectId).filter((e) => e.data.rule === 'behind-pace');
    await eventually(() => behind('duban.alert.raised').length === 1, 20000, 'behind-pace');
    const [raised] = behind('duban.alert.raised');
    expect(raised.data).toMatchObject({
      rule: 'behind-pace',
      severity: 'major',
      ownerUnit: 'WATER',
      subjectId: projectId,
    });

    await send(report(55, 'duban.progress-report.corrected'));
    await eventually(() => behind('duban.alert.resolved').length === 1, 20000, 'back on pace');
    const [resolved] = behind('duban.alert.resolved');
    expect(resolved.data).toMatchObject({
      alertId: raised.data.alertId,
      resolution: 'back-on-pace',
    });
  });

  it('streams alert events to live screens as server-sent events, each token seeing only its region', async () => {
    const frames = { county: '', elsewhere: '' };
    const bound = (region: string) =>
      signToken({ subject: `screen-${region}`, role: 'supervisor', region }, authSecretFrom());
    const open = (token: string, into: keyof typeof frames) =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const { port } = h.svc.app.getHttpServer().address() as AddressInfo;
        get(
          {
            host: '127.0.0.1',
            port,
            path: '/api/v1/alerts/stream',
            headers: { authorization: `Bearer ${token}` },
          },
          (res) => {
            res.setEncoding('utf8').on('data', (chunk: string) => (frames[into] += chunk));
            resolve(res);
          },
        ).on('error', reject);
      });
    const streams = [
      await open(bound('511112'), 'county'),
      await open(bound('511113'), 'elsewhere'),
    ];
    try {
      expect(streams.map((r) => [r.statusCode, r.headers['content-type']])).toEqual([
        [200, 'text/event-stream'],
        [200, 'text/event-stream'],
      ]);
      const data = h.milestone({
        currentPlannedDate: h.dayOffset(-2),
        plannedDate: h.dayOffset(-2),
      });
      await h.publish(MilestoneEventTypes.scheduled, data);
      await eventually(() => frames.county.includes(data.milestoneId), 20000, 'SSE frame');
      const frame = frames.county.split('\n\n').find((f) => f.includes(data.milestoneId))!;
      expect(frame).toMatch(/^event: duban\.alert\.raised$/m);
      const payload = JSON.parse(/^data: (.*)$/m.exec(frame)![1]) as DubanEvent<AlertData>;
      expect(payload.data).toMatchObject({ milestoneId: data.milestoneId, region: '511112' });
      // Once the other county's own alert has arrived, the first one would have too.
      const theirs = h.milestone({
        currentPlannedDate: h.dayOffset(-2),
        plannedDate: h.dayOffset(-2),
      });
      await h.publish(MilestoneEventTypes.scheduled, theirs, now(), '511113');
      await eventually(() => frames.elsewhere.includes(theirs.milestoneId), 20000, 'their frame');
      expect(frames.elsewhere).not.toContain(data.milestoneId);
      expect(frames.county).not.toContain(theirs.milestoneId);
    } finally {
      streams.forEach((r) => r.destroy());
    }
  });

  it("keeps one county's webhooks from the same unit code in another county", async () => {
    const water = (region: string) =>
      signToken(
        { subject: 'water-office', role: 'supervisor', unit: 'WATER', region },
        authSecretFrom(),
      );
    const mine = await h
      .http()
      .post('/api/v1/subscriptions')
      .auth(water('511112'), { type: 'bearer' })
      .send({ url: 'http://127.0.0.1:9/hook', filter: {} })
      .expect(201);
    const ids = async (region: string): Promise<string[]> =>
      (
        await h
          .http()
          .get('/api/v1/subscriptions')
          .auth(water(region), { type: 'bearer' })
          .expect(200)
      ).body.map((s: { id: string }) => s.id);
    expect(await ids('511112')).toContain(mine.body.id);
    expect(await ids('511113')).not.toContain(mine.body.id);
    await h
      .http()
      .get(`/api/v1/subscriptions/${mine.body.id}/deliveries`)
      .auth(water('511113'), { type: 'bearer' })
      .expect(404);
    await h
      .http()
      .delete(`/api/v1/subscriptions/${mine.body.id}`)
      .auth(water('511113'), { type: 'bearer' })
      .expect(404);
    expect(await ids('511112')).toContain(mine.body.id);
  });
});
