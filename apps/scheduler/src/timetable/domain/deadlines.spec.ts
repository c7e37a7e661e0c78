import { daysOverdue, deadlineOf, warningTimes, withinHorizon } from './deadlines';

const HOUR = 60 * 60 * 1000;
const due = (currentPlannedDate: string) => ({ currentPlannedDate });
const at = (iso: string) => new Date(iso);

// Whatever zone the server runs in, dates are meant in UTC+8.
describe.each(['UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati'])(
  'deadlines with TZ=%s',
  (tz) => {
    const original = process.env.TZ;
    beforeAll(() => {
      process.env.TZ = tz;
    });
    afterAll(() => {
      process.env.TZ = original;
    });

    it('falls at the next midnight in China', () => {
      expect(deadlineOf(due('2026-12-31')).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    });

    it('is not overdue a second before China midnight and is at it', () => {
      expect(daysOverdue(due('2026-12-31'), at('2026-12-31T15:59:59Z'))).toBe(0);
      expect(daysOverdue(due('2026-12-31'), at('2026-12-31T16:00:00Z'))).toBe(1);
    });

    it('handles a month end', () => {
      expect(deadlineOf(due('2026-01-31')).toISOString()).toBe('2026-01-31T16:00:00.000Z');
      expect(deadlineOf(due('2026-04-30')).toISOString()).toBe('2026-04-30T16:00:00.000Z');
    });

    it('handles a leap day and the day before it', () => {
      expect(deadlineOf(due('2028-02-28')).toISOString()).toBe('2028-02-28T16:00:00.000Z');
      expect(deadlineOf(due('2028-02-29')).toISOString()).toBe('2028-02-29T16:00:00.000Z');
    });
  },
);

describe('daysOverdue', () => {
  const entry = due('2026-06-30');

  it('is 0 before the deadline', () => {
    expect(daysOverdue(entry, at('2026-06-30T10:00:00+08:00'))).toBe(0);
  });

  it('counts the whole first day late as 1', () => {
    expect(daysOverdue(entry, at('2026-07-01T00:00:00+08:00'))).toBe(1);
    expect(daysOverdue(entry, at('2026-07-01T23:59:59+08:00'))).toBe(1);
  });

  it('is 2 from the second day late', () => {
    expect(daysOverdue(entry, at('2026-07-02T00:00:00+08:00'))).toBe(2);
  });

  it('is 11 ten days after the deadline', () => {
    expect(daysOverdue(entry, at('2026-07-11T00:00:00+08:00'))).toBe(11);
    expect(daysOverdue(entry, at('2026-07-10T23:59:59+08:00'))).toBe(10);
  });
});

describe('warningTimes', () => {
  const entry = due('2026-06-30'); // deadline 2026-06-30T16:00Z

  it('places each warning that many days before the deadline, ascending', () => {
    const warnings = warningTimes(entry, [1, 7], at('2026-06-01T00:00:00Z'));
    expect(warnings.map((w) => [w.daysBefore, w.at.toISOString()])).toEqual([
      [7, '2026-06-23T16:00:00.000Z'],
      [1, '2026-06-29T16:00:00.000Z'],
    ]);
  });

  it('drops warnings already in the past', () => {
    const warnings = warningTimes(entry, [7, 1], at('2026-06-25T00:00:00Z'));
    expect(warnings.map((w) => w.daysBefore)).toEqual([1]);
  });

  it('drops a warning falling exactly at now, which is no longer in the future', () => {
    const warnings = warningTimes(entry, [7, 1], at('2026-06-23T16:00:00Z'));
    expect(warnings.map((w) => w.daysBefore)).toEqual([1]);
  });

  it('is empty once the deadline has passed', () => {
    expect(warningTimes(entry, [7, 1], at('2026-07-01T00:00:00Z'))).toEqual([]);
  });

  it('ignores duplicate and non-positive days', () => {
    const warnings = warningTimes(entry, [1, 1, 0, -3], at('2026-06-01T00:00:00Z'));
    expect(warnings.map((w) => w.daysBefore)).toEqual([1]);
  });
});

describe('withinHorizon', () => {
  const now = at('2026-06-01T00:00:00Z');
  const horizon = 48 * HOUR;

  it('includes an instant inside the horizon and one exactly at its edge', () => {
    expect(withinHorizon(at('2026-06-02T00:00:00Z'), now, horizon)).toBe(true);
    expect(withinHorizon(at('2026-06-03T00:00:00Z'), now, horizon)).toBe(true);
  });

  it('excludes an instant beyond the horizon', () => {
    expect(withinHorizon(at('2026-06-03T00:00:01Z'), now, horizon)).toBe(false);
  });

  it('includes a past instant so a missed timer still fires', () => {
    expect(withinHorizon(at('2026-05-01T00:00:00Z'), now, horizon)).toBe(true);
  });
});
