import { KafkaHeaders } from '@duban/contracts';
import { DeadLetterRecord, viewOf } from './dead-letter-view';
import {
  RedriveHeaders,
  UsageError,
  matches,
  parseSince,
  planRedrive,
  redriveMessage,
  summaryLine,
} from './dlq-selection';

const NOW = new Date('2026-11-29T12:00:00Z');
const TOPIC = 'duban.projects.ingest.v1';

function letter(
  offset: number,
  opts: { id?: string; reason?: string; failedAt?: string; topic?: string | null } = {},
): DeadLetterRecord {
  const headers: Record<string, string> = {
    authorization: 'Bearer secret',
    'x-correlation-id': `corr-${offset}`,
    [KafkaHeaders.errorReason]: opts.reason ?? 'handler-failed',
    [KafkaHeaders.errorMessage]: 'boom',
    [KafkaHeaders.originalPartition]: '2',
    [KafkaHeaders.originalOffset]: String(100 + offset),
    [KafkaHeaders.attempts]: '3',
    [KafkaHeaders.failedAt]: opts.failedAt ?? '2026-11-29T11:00:00.000Z',
    [KafkaHeaders.consumerGroup]: 'duban-projects',
  };
  if (opts.topic !== null) headers[KafkaHeaders.originalTopic] = opts.topic ?? TOPIC;
  const event = { id: opts.id ?? `event-${offset}`, type: 'duban.x', subject: 'p-1' };
  return {
    partition: 0,
    offset: String(offset),
    key: Buffer.from('p-1'),
    value: Buffer.from(JSON.stringify(event)),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

describe('parseSince', () => {
  it('reads durations back from now, units combined', () => {
    expect(parseSince('2h', NOW).toISOString()).toBe('2026-11-29T10:00:00.000Z');
    expect(parseSince('1d12h', NOW).toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(parseSince('90m', NOW).toISOString()).toBe('2026-11-29T10:30:00.000Z');
    expect(parseSince('1w', NOW).toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(parseSince('45s', NOW).toISOString()).toBe('2026-11-29T11:59:15.000Z');
  });

  it('reads ISO instants that carry a zone', () => {
    expect(parseSince('2026-11-29T08:00:00+08:00', NOW).toISOString()).toBe(
      '2026-11-29T00:00:00.000Z',
    );
    expect(parseSince('2026-11-29T08:00:00.5Z', NOW).toISOString()).toBe(
      '2026-11-29T08:00:00.500Z',
    );
  });

  it.each(['2h30', 'yesterday', '2026-11-29', '2026-11-29T08:00:00', '-2h', '', 'h'])(
    'refuses %p as a usage error',
    (text) => expect(() => parseSince(text, NOW)).toThrow(UsageError),
  );
});

describe('matches', () => {
  const v = viewOf(letter(1, { reason: 'rule-conflict', id: 'e-1' }));

  it('filters by failure time, reason and event id together', () => {
    expect(matches(v, {})).toBe(true);
    expect(matches(v, { since: new Date('2026-11-29T11:00:00Z') })).toBe(true);
    expect(matches(v, { since: new Date('2026-11-29T11:00:01Z') })).toBe(false);
    expect(matches(v, { reason: 'rule-conflict', eventId: 'e-1' })).toBe(true);
    expect(matches(v, { reason: 'handler-failed' })).toBe(false);
    expect(matches(v, { eventId: 'e-2' })).toBe(false);
  });

  it('drops a letter without a readable failure time when --since is given', () => {
    const undated = viewOf(letter(2, { failedAt: 'garbage' }));
    expect(matches(undated, {})).toBe(true);
    expect(matches(undated, { since: new Date(0) })).toBe(false);
  });
});

describe('summaryLine', () => {
  it('counts the selection by reason, out of everything read', () => {
    const views = [
      letter(1, { reason: 'rule-conflict' }),
      letter(2, { reason: 'handler-failed' }),
      letter(3, { reason: 'rule-conflict' }),
    ].map(viewOf);
    expect(summaryLine(views, 5)).toBe('3 of 5 dead letters  handler-failed=1  rule-conflict=2');
  });
});

describe('planRedrive', () => {
  it('redrives each event once, refuses letters of other or unknown topics', () => {
    const views = [
      letter(1, { id: 'a' }),
      letter(2, { id: 'a' }), // another consumer group dead-lettered the same event
      letter(3, { id: 'b', topic: 'duban.parks.v1' }),
      letter(4, { id: 'c', topic: null }),
      letter(5, { id: 'd' }),
    ].map(viewOf);
    const plan = planRedrive(views, TOPIC);
    expect(plan.redrive.map((v) => v.record.offset)).toEqual(['1', '5']);
    expect(plan.duplicates.map((v) => v.record.offset)).toEqual(['2']);
    expect(plan.refused.map((r) => [r.letter.record.offset, r.why])).toEqual([
      ['3', `original topic is duban.parks.v1, not ${TOPIC}`],
      ['4', 'no x-duban-original-topic header'],
    ]);
  });

  it('tells letters without an event id apart by their place in the DLQ', () => {
    const raw = (offset: number) => ({ ...letter(offset), value: Buffer.from('not json') });
    const plan = planRedrive([raw(1), raw(2)].map(viewOf), TOPIC);
    expect(plan.redrive).toHaveLength(2);
  });
});

describe('redriveMessage', () => {
  it('restores key, value and original headers, drops the error headers, records the redrive', () => {
    const record = letter(7, { reason: 'rule-conflict' });
    const message = redriveMessage(viewOf(record), `${TOPIC}.dlq`, NOW);
    expect(message.key).toBe(record.key);
    expect(message.value).toBe(record.value);
    const headers = Object.fromEntries(
      Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
    );
    expect(headers).toEqual({
      authorization: 'Bearer secret',
      'x-correlation-id': 'corr-7',
      [RedriveHeaders.redrivenAt]: NOW.toISOString(),
      [RedriveHeaders.reason]: 'rule-conflict',
      [RedriveHeaders.count]: '1',
      [RedriveHeaders.from]: `${TOPIC}.dlq:0:7`,
    });
  });

  it('adds an attestation, replacing the one of an earlier redrive', () => {
    const record = letter(9);
    record.headers['duban-redrive-signature'] = Buffer.from('t=old,v1=old');
    const attestation = { 'duban-redrive-signature': 't=new,v1=new' };
    const message = redriveMessage(viewOf(record), `${TOPIC}.dlq`, NOW, attestation);
    expect(String(message.headers?.['duban-redrive-signature'])).toBe('t=new,v1=new');
  });

  it('counts redrives of a letter that was redriven before', () => {
    const record = letter(8);
    record.headers[RedriveHeaders.count] = Buffer.from('2');
    const message = redriveMessage(viewOf(record), `${TOPIC}.dlq`, NOW);
    expect(String(message.headers?.[RedriveHeaders.count])).toBe('3');
  });
});
