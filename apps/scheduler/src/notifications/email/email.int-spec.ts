import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Producer } from 'kafkajs';
import { SMTPServer } from 'smtp-server';
import {
  MilestoneEventData,
  MilestoneEventTypes,
  Topics,
  chinaDate,
  createEvent,
} from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { TestServiceApp, eventually, startServiceApp } from '@duban/testing';
import { schedulerSchema } from '../../schema';

interface Received {
  from: string;
  to: string[];
  subject: string;
}

let svc: TestServiceApp;
let producer: Producer;
let smtp: SMTPServer;
const inbox: Received[] = [];
const dayOffset = (days: number) => chinaDate(new Date(Date.now() + days * 86_400_000));

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

function milestone(overrides: Partial<MilestoneEventData> = {}): MilestoneEventData {
  const date = overrides.currentPlannedDate ?? dayOffset(30);
  return {
    subjectType: 'project',
    subjectId: randomUUID(),
    milestoneId: randomUUID(),
    name: `完成工可批复-${randomUUID().slice(0, 8)}`,
    ownerUnit: 'AGRI',
    plannedDate: date,
    currentPlannedDate: date,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
    ...overrides,
  };
}

/** What the projects service publishes, straight onto its topic. */
async function publish(type: string, data: MilestoneEventData): Promise<void> {
  const event = createEvent({
    type,
    service: 'projects',
    subject: data.milestoneId,
    region: '511112',
    data,
    time: new Date(),
  });
  await producer.send({
    topic: svc.topics.name(Topics.projects),
    messages: [{ key: data.milestoneId, value: JSON.stringify(event) }],
  });
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
  svc = await startServiceApp(
    'scheduler',
    schedulerSchema,
    async () => (await import('../../app.module')).AppModule,
  );
  producer = createIdempotentProducer(svc.topics.kafka);
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await svc?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  delete process.env.DUBAN_SMTP_URL;
  delete process.env.DUBAN_ALERT_MAIL_TO;
});

describe('alert e-mail', () => {
  it('mails the owner unit and the supervisors once when an alert is raised, and again when it is resolved', async () => {
    const data = milestone({ currentPlannedDate: dayOffset(-5), plannedDate: dayOffset(-5) });
    const about = () => inbox.filter((m) => m.subject.includes(data.name));
    await publish(MilestoneEventTypes.scheduled, data);
    await eventually(() => about().length > 0, 20000, 'raised mail');
    await new Promise((r) => setTimeout(r, 1500)); // time for a duplicate to show up
    expect(about()).toEqual([
      {
        from: 'duban@localhost',
        to: ['agri@example.test', 'duchashi@example.test'],
        subject: `[督办] 逾期提醒: ${data.name} (AGRI, 逾期 5 天)`,
      },
    ]);

    await publish(MilestoneEventTypes.completed, {
      ...data,
      status: 'met',
      actualDate: dayOffset(0),
    });
    await eventually(() => about().length > 1, 20000, 'resolution mail');
    expect(about()[1]).toEqual({
      from: 'duban@localhost',
      to: ['agri@example.test', 'duchashi@example.test'],
      subject: `[督办] 已解除: ${data.name} (AGRI)`,
    });
  });
});
