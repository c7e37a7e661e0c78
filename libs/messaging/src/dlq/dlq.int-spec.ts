import { Admin, Producer } from 'kafkajs';
import { IngestHeaders, ingestTrustFrom, verifyIngestMessage } from '@duban/auth';
import { DubanEvent, KafkaHeaders, Topics } from '@duban/contracts';
import {
  ReadMessage,
  TestTopics,
  TopicReader,
  createTestTopics,
  sampleMilestoneEvent,
  signedIngestMessage,
} from '@duban/testing';
import { createIdempotentProducer } from '../kafka/kafka.config';
import { sendToDeadLetter } from '../transport/dead-letter';
import { runDlq } from './dlq-command';
import { RedriveHeaders } from './dlq-selection';

const TOKEN = 'Bearer secret-token-of-a-department';
let topics: TestTopics;
let producer: Producer;
let admin: Admin;
let original: string;
// Signed two hours ago: far outside the ingest replay window by the time it is redriven.
const conflicting = {
  ...sampleMilestoneEvent(),
  time: new Date(Date.now() - 2 * 3600_000).toISOString(),
};
const failing = sampleMilestoneEvent();
const SENDER = { unit: 'DRC', region: '511112' };

async function deadLetter(event: DubanEvent, reason: string, group: string, offset: string) {
  const signed = signedIngestMessage(event, SENDER);
  await sendToDeadLetter(producer, {
    topic: original,
    partition: 1,
    message: {
      key: Buffer.from(event.subject),
      value: signed.value as Buffer,
      timestamp: String(Date.now()),
      attributes: 0,
      offset,
      headers: { ...signed.headers, authorization: TOKEN, 'x-correlation-id': `corr-${event.id}` },
    },
    reason,
    error: `${reason} happened`,
    attempts: 1,
    consumerGroup: group,
  });
}

async function dlq(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDlq(argv, topics.config, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out, err };
}

async function endOfOriginal(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(original);
  return offsets.reduce((n, o) => n + Number(o.high), 0);
}

/** What the ingest consumer would decide about this message, appended about now. */
function ingestSender(message: ReadMessage, headers: Record<string, string>) {
  return verifyIngestMessage(
    { value: Buffer.from(message.value ?? ''), headers, appendedAt: new Date() },
    ingestTrustFrom(),
  );
}

beforeAll(async () => {
  topics = await createTestTopics('dlq');
  original = topics.name(Topics.projectsIngest);
  producer = createIdempotentProducer(topics.kafka);
  admin = topics.kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  await deadLetter(conflicting, 'rule-conflict', 'duban-projects', '41');
  // A second consumer group refused the same event: one redrive must serve both.
  await deadLetter(conflicting, 'rule-conflict', 'duban-audit', '41');
  await deadLetter(failing, 'handler-failed', 'duban-projects', '42');
});

afterAll(async () => {
  await Promise.all([producer?.disconnect(), admin?.disconnect()]);
  await topics?.drop();
});

describe('npm run dlq', () => {
  it('lists every dead letter, read to the high-water marks, with a count by reason', async () => {
    const { code, out } = await dlq('list', '--topic', Topics.projectsIngest);
    expect(code).toBe(0);
    expect(out).toHaveLength(4);
    expect(out.filter((l) => l.includes(conflicting.id))).toHaveLength(2);
    expect(out.find((l) => l.includes(failing.id))).toMatch(
      new RegExp(
        `handler-failed  ${failing.type}  ${failing.id}  ${failing.subject}  ${original}\\[1\\]@42  duban-projects$`,
      ),
    );
    expect(out[3]).toBe('3 of 3 dead letters  handler-failed=1  rule-conflict=2');
  });

  it('filters the list by reason and failure time', async () => {
    const byReason = await dlq(
      'list',
      '--topic',
      Topics.projectsIngest,
      '--reason',
      'handler-failed',
    );
    expect(byReason.out).toEqual([
      expect.stringContaining(failing.id),
      '1 of 3 dead letters  handler-failed=1',
    ]);
    const recent = await dlq('list', '--topic', Topics.projectsIngest, '--since', '1h');
    expect(recent.out.at(-1)).toBe('3 of 3 dead letters  handler-failed=1  rule-conflict=2');
    const future = await dlq(
      'list',
      '--topic',
      Topics.projectsIngest,
      '--since',
      '2999-01-01T00:00:00Z',
    );
    expect(future.out).toEqual(['0 of 3 dead letters']);
  });

  it('shows a whole dead letter without its credential', async () => {
    const { code, out } = await dlq('show', '--topic', Topics.projectsIngest, '--id', failing.id);
    expect(code).toBe(0);
    expect(out.join('\n')).not.toContain('secret-token');
    const shown = JSON.parse(out[0]) as { headers: Record<string, string>; event: DubanEvent };
    expect(shown.event).toEqual(failing);
    expect(shown.headers[KafkaHeaders.errorReason]).toBe('handler-failed');
    // The writer may strip the credential before dead-lettering; if it kept it, it is masked.
    expect([undefined, 'Bearer ***']).toContain(shown.headers.authorization);
  });

  it('dry-run prints what it would redrive and produces nothing', async () => {
    const before = await endOfOriginal();
    const { code, out } = await dlq(
      'redrive',
      '--topic',
      Topics.projectsIngest,
      '--reason',
      'rule-conflict',
      '--dry-run',
    );
    expect(code).toBe(0);
    expect(out.at(-1)).toBe(
      `dry run: 1 would redrive to ${original}, 1 duplicates skipped, 0 refused`,
    );
    expect(await endOfOriginal()).toBe(before);
  });

  it('redrives the matching event once, as it was, with the redrive recorded', async () => {
    const before = await endOfOriginal();
    const { code, out } = await dlq(
      'redrive',
      '--topic',
      Topics.projectsIngest,
      '--reason',
      'rule-conflict',
    );
    expect(code).toBe(0);
    expect(out.at(-1)).toBe(`1 redriven to ${original}, 1 duplicates skipped, 0 refused`);
    // The send was acknowledged by all replicas before runDlq returned.
    expect(await endOfOriginal()).toBe(before + 1);

    const reader = await new TopicReader(topics.kafka, [original]).start();
    try {
      const [message] = await reader.waitForCount(1);
      expect(message.key).toBe(conflicting.subject);
      expect(message.json()).toEqual(conflicting);
      expect(message.headers['x-correlation-id']).toBe(`corr-${conflicting.id}`);
      expect(message.headers[IngestHeaders.keyId]).toBe('511112:DRC:1');
      expect(Object.keys(message.headers).filter((h) => h.startsWith('x-duban-'))).toEqual([]);
      expect(message.headers[RedriveHeaders.reason]).toBe('rule-conflict');
      expect(message.headers[RedriveHeaders.count]).toBe('1');
      expect(Date.parse(message.headers[RedriveHeaders.redrivenAt])).not.toBeNaN();
      // Its department's signature is stale; the redrive's attestation makes it acceptable.
      expect(ingestSender(message, message.headers)).toMatchObject(SENDER);
      const { [IngestHeaders.redrive]: attestation, ...unattested } = message.headers;
      expect(attestation).toMatch(/^t=.*,v1=[0-9a-f]{64}$/);
      expect(() => ingestSender(message, unattested)).toThrow(/replayed or stale/);
    } finally {
      await reader.stop();
    }
  });

  it('names an unknown topic (exit 1) and shows usage for a bad command (exit 2)', async () => {
    const unknown = await dlq('list', '--topic', 'duban.nope.v1');
    expect(unknown.code).toBe(1);
    expect(unknown.err.join('\n')).toContain('unknown topic duban.nope.v1');
    const usage = await dlq('purge', '--topic', Topics.projectsIngest);
    expect(usage.code).toBe(2);
    expect(usage.err.join('\n')).toContain('usage: npm run dlq');
  });
});
