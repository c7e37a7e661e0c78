import { RuleViolation } from '@duban/contracts';
import { TimetableEntry } from '../../timetable/domain/deadlines';
import { acknowledge, AlertState, close, missCommitment, reopen, resolutionFor } from './alert';

const entry = (over: Partial<TimetableEntry> = {}): TimetableEntry => ({
  milestoneId: '6f1c1f4e-0000-4000-8000-000000000001',
  currentPlannedDate: '2026-06-30',
  forecastDate: null,
  status: 'pending',
  ...over,
});
const judged = (rule: 'overdue' | 'forecast-slip') => ({ rule, currentPlannedDate: '2026-06-30' });
// The 2026-06-30 deadline (2026-07-01T00:00+08:00) has passed by now.
const now = new Date('2026-07-05T02:00:00Z');

function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}

describe('resolutionFor', () => {
  it.each(['overdue', 'forecast-slip'] as const)('closes a %s alert when met', (rule) => {
    expect(
      resolutionFor(judged(rule), entry({ status: 'met', forecastDate: '2026-08-01' }), now),
    ).toBe('met');
  });

  it.each(['overdue', 'forecast-slip'] as const)('closes a %s alert when cancelled', (rule) => {
    const cancelled = entry({ status: 'cancelled', forecastDate: '2026-08-01' });
    expect(resolutionFor(judged(rule), cancelled, now)).toBe('cancelled');
  });

  it('closes an overdue alert when rescheduled past now', () => {
    expect(resolutionFor(judged('overdue'), entry({ currentPlannedDate: '2026-07-31' }), now)).toBe(
      'rescheduled',
    );
  });

  it('keeps an overdue alert open while the deadline is still behind now', () => {
    expect(resolutionFor(judged('overdue'), entry(), now)).toBeNull();
    // Rescheduled, but to a date that has itself already passed.
    expect(
      resolutionFor(judged('overdue'), entry({ currentPlannedDate: '2026-07-02' }), now),
    ).toBeNull();
  });

  it('keeps an overdue alert open when the deadline is exactly now', () => {
    const dueYesterday = entry({ currentPlannedDate: '2026-07-04' });
    expect(
      resolutionFor(judged('overdue'), dueYesterday, new Date('2026-07-04T16:00:00Z')),
    ).toBeNull();
  });

  it('keeps a missed milestone overdue', () => {
    expect(resolutionFor(judged('overdue'), entry({ status: 'missed' }), now)).toBeNull();
  });

  it('keeps a forecast-slip alert open when the forecast is withdrawn: silence is not a better forecast', () => {
    expect(resolutionFor(judged('forecast-slip'), entry({ forecastDate: null }), now)).toBeNull();
  });

  it('resolves a forecast-slip alert without a forecast once an approved change moves the plan', () => {
    const moved = entry({ currentPlannedDate: '2026-09-30', forecastDate: null });
    expect(resolutionFor(judged('forecast-slip'), moved, now)).toBe('rescheduled');
  });

  it('keeps a forecast-slip alert open when the plan moved but the forecast is still beyond it', () => {
    const moved = entry({ currentPlannedDate: '2026-07-31', forecastDate: '2026-08-15' });
    expect(resolutionFor(judged('forecast-slip'), moved, now)).toBeNull();
  });

  it('closes a forecast-slip alert when the forecast is back on or before the plan', () => {
    const onPlan = entry({ forecastDate: '2026-06-30' });
    expect(resolutionFor(judged('forecast-slip'), onPlan, now)).toBe('forecast-restored');
    const rescheduledPastIt = entry({
      currentPlannedDate: '2026-09-30',
      forecastDate: '2026-08-15',
    });
    expect(resolutionFor(judged('forecast-slip'), rescheduledPastIt, now)).toBe(
      'forecast-restored',
    );
  });

  it('keeps a forecast-slip alert open while the forecast is after the plan', () => {
    expect(
      resolutionFor(judged('forecast-slip'), entry({ forecastDate: '2026-07-01' }), now),
    ).toBeNull();
  });
});

describe('acknowledge (承诺)', () => {
  const at = new Date('2026-07-02T01:00:00Z');
  const limits = { today: '2026-07-02', latest: '2026-07-30' };
  const commit = (note: string, commitDate = '2026-07-10') => ({ note, commitDate });

  it('acknowledges an open alert with the trimmed note and the commit date', () => {
    expect(
      acknowledge('open', commit('  已联系业主单位，本周内补报  '), 'county-drc', at, limits),
    ).toEqual({
      state: 'acknowledged',
      acknowledgedBy: 'county-drc',
      acknowledgedAt: at,
      note: '已联系业主单位，本周内补报',
      commitDate: '2026-07-10',
      remindSince: at,
    });
  });

  it.each(['acknowledged', 'resolved', 'closed'] as AlertState[])(
    'refuses an %s alert as a conflict',
    (state) => {
      const e = violation(() => acknowledge(state, commit('noted'), 'county-drc', at, limits));
      expect(e.kind).toBe('conflict');
      expect(e.details).toEqual({ state });
    },
  );

  it.each(['', '   \n\t'])('refuses a blank note (%j) as invalid', (note) => {
    const e = violation(() => acknowledge('open', commit(note), 'county-drc', at, limits));
    expect(e.kind).toBe('invalid');
    expect(e.details.errors).toEqual([{ field: 'note', message: 'must not be blank' }]);
  });

  it('accepts a note of exactly 1000 characters', () => {
    const ack = acknowledge('open', commit('督'.repeat(1000)), 'county-drc', at, limits);
    expect(ack.note).toHaveLength(1000);
  });

  it('refuses a note of 1001 characters as invalid', () => {
    const e = violation(() =>
      acknowledge('open', commit('督'.repeat(1001)), 'county-drc', at, limits),
    );
    expect(e.kind).toBe('invalid');
    expect(e.details.errors).toEqual([
      { field: 'note', message: 'must be at most 1000 characters' },
    ]);
  });

  it('accepts a commit date from today to the limit, both included', () => {
    for (const date of ['2026-07-02', '2026-07-30'])
      expect(acknowledge('open', commit('ok', date), 'drc', at, limits).commitDate).toBe(date);
  });

  it('refuses a commit date before today or past the limit, naming commitDate', () => {
    const early = violation(() =>
      acknowledge('open', commit('ok', '2026-07-01'), 'drc', at, limits),
    );
    expect(early.details.errors).toEqual([
      { field: 'commitDate', message: 'must not be before today (2026-07-02)' },
    ]);
    const late = violation(() =>
      acknowledge('open', commit('ok', '2026-07-31'), 'drc', at, limits),
    );
    expect(late.kind).toBe('invalid');
    expect(late.details.errors).toEqual([
      { field: 'commitDate', message: 'must be no later than 2026-07-30' },
    ]);
  });

  it('reports a conflict before looking at the note', () => {
    expect(violation(() => acknowledge('resolved', commit(''), 'drc', at, limits)).kind).toBe(
      'conflict',
    );
  });
});

describe('missCommitment', () => {
  const at = new Date('2026-07-11T00:00:00+08:00');

  it('re-opens an acknowledged alert one level up, its clocks starting now', () => {
    expect(missCommitment({ state: 'acknowledged', escalationLevel: 0 }, at)).toEqual({
      state: 'open',
      escalationLevel: 1,
      levelSince: at,
      remindSince: at,
    });
  });

  it('stays at the top level', () => {
    expect(missCommitment({ state: 'acknowledged', escalationLevel: 2 }, at).escalationLevel).toBe(
      2,
    );
  });

  it('refuses anything but an acknowledged alert', () => {
    expect(violation(() => missCommitment({ state: 'open', escalationLevel: 0 }, at)).kind).toBe(
      'conflict',
    );
  });
});

describe('verification (销号)', () => {
  const at = new Date('2026-07-20T02:00:00Z');

  it('closes a resolved alert with the supervisor and the note', () => {
    expect(close('resolved', ' 现场核查属实 ', 'duchashi', at)).toEqual({
      state: 'closed',
      closedAt: at,
      closedBy: 'duchashi',
      verificationNote: '现场核查属实',
    });
  });

  it('closes automatically with no one named', () => {
    expect(close('resolved', 'no objection', null, at).closedBy).toBeNull();
  });

  it.each(['open', 'acknowledged', 'closed'] as AlertState[])(
    'closes only a resolved alert, not an %s one',
    (state) => {
      const e = violation(() => close(state, 'ok', 'duchashi', at));
      expect(e.kind).toBe('conflict');
      expect(e.details).toEqual({ state });
    },
  );

  it('re-opens a resolved alert one level up, withdrawing the resolution', () => {
    expect(reopen({ state: 'resolved', escalationLevel: 1 }, '未完成，退回', at)).toEqual({
      state: 'open',
      escalationLevel: 2,
      levelSince: at,
      remindSince: at,
      resolvedAt: null,
      resolution: null,
      verificationNote: '未完成，退回',
    });
  });

  it.each(['open', 'acknowledged', 'closed'] as AlertState[])(
    're-opens only a resolved alert, not an %s one',
    (state) => {
      expect(violation(() => reopen({ state, escalationLevel: 0 }, 'no', at)).kind).toBe(
        'conflict',
      );
    },
  );

  it('wants a note for either', () => {
    const e = violation(() => close('resolved', '  ', 'duchashi', at));
    expect(e.details.errors).toEqual([{ field: 'note', message: 'must not be blank' }]);
    expect(violation(() => reopen({ state: 'resolved', escalationLevel: 0 }, '', at)).kind).toBe(
      'invalid',
    );
  });
});
