import { ConsumerHealthTracker } from './consumer-health';

const t0 = new Date('2026-11-29T12:00:00Z');
const later = (s: number) => new Date(t0.getTime() + s * 1000);

describe('ConsumerHealthTracker', () => {
  it('lists a held-back partition with its age, and is unready once it is stuck', () => {
    const h = new ConsumerHealthTracker(['duban.projects.v1'], 60_000);
    h.failed('duban.projects.v1', 2, '41', 'database', t0);
    h.failed('duban.projects.v1', 2, '41', 'database', later(10));
    const early = h.report(later(30));
    expect(early.ok).toBe(true);
    expect(early.stalled).toEqual([
      expect.objectContaining({ partition: 2, offset: '41', attempts: 2, ageSeconds: 30 }),
    ]);
    const stuck = h.report(later(61));
    expect(stuck.ok).toBe(false);
    expect(stuck.problems).toEqual([
      'duban.projects.v1[2] stalled at offset 41 for 61 s (database, 2 tries)',
    ]);
  });

  it('counts tries per message: the next offset starts again', () => {
    const h = new ConsumerHealthTracker(['t'], 60_000);
    h.failed('t', 0, '1', 'unknown', t0);
    h.failed('t', 0, '1', 'database', t0);
    expect(h.triesAt('t', 0, '1')).toEqual({ all: 2, unknown: 1 });
    expect(h.triesAt('t', 0, '2')).toEqual({ all: 0, unknown: 0 });
    h.cleared('t', 0);
    expect(h.report(later(100)).stalled).toEqual([]);
  });

  it('is unready when a handler has been busy too long or the consumer stopped', () => {
    const h = new ConsumerHealthTracker(['a', 'b'], 60_000);
    h.started('a', 0, '7', t0);
    expect(h.report(later(59)).ok).toBe(true);
    expect(h.report(later(60)).problems).toEqual(['a[0] handler busy with offset 7 for 60 s']);
    h.finished('a', 0);
    h.markCrashed('KafkaJSNonRetriableError');
    expect(h.report(later(61)).problems).toEqual([
      'consumer of a, b stopped: KafkaJSNonRetriableError',
    ]);
  });
});
