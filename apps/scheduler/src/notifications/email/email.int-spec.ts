import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  AlertEventTypes,
  CLOUDEVENTS_CONTENT_TYPE,
  KafkaHeaders,
  MilestoneEventData,
  MilestoneEventTypes,
  Topics,
} from '@duban/contracts';
import { redisConnectionOptions } from '@duban/platform';
import { eventually, tokens } from '@duban/testing';
import { SchedulerHarness } from '../../testing/scheduler-harness';

interface Received {
  from: string;
  to: string[];
  subject: string;
}

const h = new SchedulerHarness();
let smtp: SMTPServer;
const inbox: Received[] = [];
/** While set, the server answers every message with a temporary failure. */
let refusing = false;
const dayOffset = (days: number) => h.dayOffset(days);

/** The Subject header, unfolded and with its RFC 2047 words (UTF-8, B or Q) decoded. */
function subjectOf(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = /^subject: (.*)$/im.exec(head)?.[1] ?? '';
  const parts = line.split(/(=\?utf-8\?[bq]\?[^?]*\?=)/i).filter((p, i, all) => {
    // Whitespace between two encoded words is not part of the text.
    return !(p.trim() === '' && i > 0 && i < all.length - 1);
  });
  const bytes = parts.map((p) => {
    const word = /^=\?utf-8\?([bq])\?([^?]*)\?=$/i.exec(p);
    if (!word) return Buffer.from(p);
    if (word[1].toLowerCase() === 'b') return Buffer.from(word[2], 'base64');
    const q = word[2].replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_, h) => `%${h}`);
    return Buffer.from(decodeURIComponent(q));
  });
  return Buffer.concat(bytes).toString('utf8');
}

const milestone = (overrides: Partial<MilestoneEventData> = {}): MilestoneEventData =>
  h.milestone({ name: `完成工可批复-${randomUUID().slice(0, 8)}`, ...overrides });

/** What the projects service publishes, straight onto its topic. */
async function publish(type: string, data: MilestoneEventData): Promise<void> {
  await h.publish(type, data);
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusing) return callback(Object.assign(new Error('try later'), { responseCode: 451 }));
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address).sort(),
          subject: subjectOf(Buffer.concat(chunks).toString('utf8')),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  // Read when the app module is loaded, so set before booting it.
  process.env.DUBAN_SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.DUBAN_ALERT_MAIL_TO = 'AGRI=agri@example.test,*=duchashi@example.test';
  process.env.DUBAN_SCHEDULER_SWEEP_SECONDS = '3600';
  // Retries wait a minute, so a mail sent sooner after its job is lost was sent by the sweep.
  process.env.DUBAN_MAIL_BACKOFF_MS = '60000';
  process.env.DUBAN_MAIL_ATTEMPTS = '2';
  process.env.DUBAN_MAIL_SWEEP_SECONDS = '1';
  process.env.DUBAN_MAIL_GRACE_SECONDS = '1';
  await h.start();
});

afterAll(async () => {
  await h.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  for (const name of [
    'DUBAN_SMTP_URL',
    'DUBAN_ALERT_MAIL_TO',
    'DUBAN_MAIL_BACKOFF_MS',
    'DUBAN_MAIL_ATTEMPTS',
    'DUBAN_MAIL_SWEEP_SECONDS',
    'DUBAN_MAIL_GRACE_SECONDS',
  ])
    delete process.env[name];
});

interface MailRow {
  id: string;
  eventId: string;
  eventType: string;
  recipient: string;
  state: string;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

const db = () => h.svc.app.get(DataSource);

const mailLog = async (alertId: string, token = tokens.supervisor()): Promise<MailRow[]> => {
  const res = await request(h.svc.app.getHttpServer())
    .get(`/api/v1/mail-deliveries?alertId=${alertId}`)
    .auth(token, { type: 'bearer' })
    .expect(200);
  const rows = (res.body as { items: MailRow[] }).items;
  return rows.sort(
    (a, b) => a.eventType.localeCompare(b.eventType) || a.recipient.localeCompare(b.recipient),
  );
};

/** The alert event the scheduler published for a milestone, as its outbox row stored it. */
async function alertEvent(
  milestoneId: string,
  type: string,
): Promise<{ id: string; alertId: string; key: string; payload: unknown }> {
  let row: { id: string; key: string; payload: { data: { alertId: string } } } | undefined;
  await eventually(
    async () => {
      [row] = await db().query(
        `SELECT event_id AS id, aggregate_id AS key, payload FROM outbox
         WHERE event_type = $1 AND payload->'data'->>'milestoneId' = $2`,
        [type, milestoneId],
      );
      return !!row;
    },
    20000,
    `${type} in the outbox`,
  );
  return { ...row!, alertId: row!.payload.data.alertId };
}

/** What a Redis restart without persistence does to the e-mail queue: its jobs are gone. */
async function loseJobs(): Promise<void> {
  const queue = new Queue('email', {
    connection: redisConnectionOptions(),
    prefix: `duban-${h.svc.topics.config.topicPrefix.replace(/\W+/g, '-')}`,
  });
  await queue.drain(true);
  expect(await queue.getJobCounts('delayed', 'waiting')).toMatchObject({ delayed: 0, waiting: 0 });
  await queue.close();
}

const byRecipient = (a: { to: string[] }, b: { to: string[] }) => a.to[0].localeCompare(b.to[0]);
const sentRows = (rows: MailRow[], eventId: string) =>
  rows.filter((r) => r.eventId === eventId && r.state === 'sent');

describe('alert e-mail', () => {
  it('mails the owner unit and the supervisors once each when an alert is raised, even when the event is redelivered, and again when it is resolved, though the job was lost', async () => {
    const data = milestone({ currentPlannedDate: dayOffset(-5), plannedDate: dayOffset(-5) });
    const about = () => inbox.filter((m) => m.subject.includes(data.name));
    await publish(MilestoneEventTypes.scheduled, data);
    const raised = await alertEvent(data.milestoneId, AlertEventTypes.raised);
    await eventually(async () => sentRows(await mailLog(raised.alertId), raised.id).length === 2);
    const subject = `[督办] 逾期提醒: ${data.name} (AGRI, 逾期 5 天)`;
    expect([...about()].sort(byRecipient)).toEqual([
      { from: 'duban@localhost', to: ['agri@example.test'], subject },
      { from: 'duban@localhost', to: ['duchashi@example.test'], subject },
    ]);
    expect(await mailLog(raised.alertId)).toEqual([
      expect.objectContaining({ recipient: 'agri@example.test', state: 'sent', attempts: 1 }),
      expect.objectContaining({ recipient: 'duchashi@example.test', state: 'sent', attempts: 1 }),
    ]);

    // Redelivered past the inbox: only the unique (event, recipient) rows stop a second mail.
    await db().query('DELETE FROM inbox WHERE event_id = $1', [raised.id]);
    await h.producer.send({
      topic: h.svc.topics.name(Topics.alerts),
      messages: [
        {
          key: raised.key,
          value: JSON.stringify(raised.payload),
          headers: { [KafkaHeaders.contentType]: CLOUDEVENTS_CONTENT_TYPE },
        },
      ],
    });
    await eventually(
      async () =>
        (await db().query('SELECT 1 FROM inbox WHERE event_id = $1', [raised.id])).length > 0,
      20000,
      'redelivered event processed',
    );

    // The resolution's first try fails; its retry (a minute away) is lost with Redis's jobs.
    refusing = true;
    await publish(MilestoneEventTypes.completed, {
      ...data,
      status: 'met',
      actualDate: dayOffset(0),
    });
    const resolved = await alertEvent(data.milestoneId, AlertEventTypes.resolved);
    await eventually(
      async () =>
        (await mailLog(raised.alertId)).filter(
          (r) => r.eventId === resolved.id && r.state === 'failed',
        ).length === 2,
      20000,
      'failed resolution mails',
    );
    expect((await mailLog(raised.alertId)).find((r) => r.eventId === resolved.id)).toMatchObject({
      attempts: 1,
      lastError: 'SMTP 451',
      sentAt: null,
    });
    await loseJobs();
    refusing = false;

    await eventually(
      async () => sentRows(await mailLog(raised.alertId), resolved.id).length === 2,
      20000,
      'resolution mails sent by the sweep',
    );
    // The resolution mails were queued after the redelivered event: a duplicate would be here.
    expect(about().filter((m) => m.subject === subject)).toHaveLength(2);
    expect(about().filter((m) => m.subject === `[督办] 已解除: ${data.name} (AGRI)`)).toHaveLength(
      2,
    );
    expect(await mailLog(raised.alertId)).toHaveLength(4);
  });

  it('marks a mail dead after its last attempt and shows the log to supervisors of its region only', async () => {
    const data = milestone({ currentPlannedDate: dayOffset(-3), plannedDate: dayOffset(-3) });
    refusing = true;
    try {
      await publish(MilestoneEventTypes.scheduled, data);
      const raised = await alertEvent(data.milestoneId, AlertEventTypes.raised);
      const failed = async (state: string) =>
        (await mailLog(raised.alertId)).filter((r) => r.state === state).length === 2;
      await eventually(() => failed('failed'), 20000, 'first attempts failed');
      // The retries are lost; the sweep makes the second and last attempt.
      await loseJobs();
      await eventually(() => failed('dead'), 20000, 'dead mails');
      expect(await mailLog(raised.alertId)).toEqual([
        expect.objectContaining({ state: 'dead', attempts: 2, lastError: 'SMTP 451' }),
        expect.objectContaining({ state: 'dead', attempts: 2, lastError: 'SMTP 451' }),
      ]);
      const county = tokens.as('supervisor', 'county-screen', undefined, '511112');
      const elsewhere = tokens.as('supervisor', 'other-screen', undefined, '511113');
      expect(await mailLog(raised.alertId, county)).toHaveLength(2);
      expect(await mailLog(raised.alertId, elsewhere)).toEqual([]);
      await request(h.svc.app.getHttpServer())
        .get('/api/v1/mail-deliveries')
        .auth(tokens.department('AGRI'), { type: 'bearer' })
        .expect(403);
    } finally {
      refusing = false;
    }
  });
});
