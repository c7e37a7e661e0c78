import { randomUUID } from 'node:crypto';
import { Topics } from '@duban/contracts';
import { sampleMilestoneEvent } from '@duban/testing';
import { refusalOf } from './admission';

const now = new Date('2026-11-29T12:00:00Z');
const rules = { topic: Topics.projects, now, maxClockSkewMs: 5 * 60_000 };
const at = (time: string) => ({ ...sampleMilestoneEvent(randomUUID()), time });

describe('refusalOf', () => {
  it('admits a type the topic carries, dated now or a little ahead', () => {
    expect(refusalOf(at('2026-11-29T12:00:00Z'), rules)).toBeNull();
    expect(refusalOf(at('2026-11-29T20:04:00+08:00'), rules)).toBeNull();
  });

  it('refuses a type the topic does not carry', () => {
    const forged = { ...at('2026-11-29T12:00:00Z'), type: 'duban.park.registered' };
    const refusal = refusalOf(forged, rules);
    expect(refusal?.reason).toBe('wrong-topic');
    expect(refusal?.message).toBe('duban.projects.v1 does not carry duban.park.registered');
  });

  it('refuses a domain event on an ingest topic', () => {
    const refusal = refusalOf(at('2026-11-29T12:00:00Z'), {
      ...rules,
      topic: Topics.projectsIngest,
    });
    expect(refusal?.reason).toBe('wrong-topic');
  });

  it('refuses an event dated beyond the allowed skew', () => {
    expect(refusalOf(at('2026-11-29T12:05:01Z'), rules)?.reason).toBe('time-in-future');
    expect(refusalOf(at('2099-01-01T00:00:00Z'), rules)?.message).toContain('ahead');
  });
});
