import { RuleViolation } from '@duban/contracts';
import { TimetableEntry } from '../../timetable/domain/deadlines';
import { acknowledge, AlertState, resolutionFor } from './alert';

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

describe('acknowledge', () => {
  const at = new Date('2026-07-02T01:00:00Z');

  it('acknowledges an open alert with the trimmed note', () => {
    expect(acknowledge('open', '  已联系业主单位，本周内补报  ', 'county-drc', at)).toEqual({
      state: 'acknowledged',
      acknowledgedBy: 'county-drc',
      acknowledgedAt: at,
      note: '已联系业主单位，本周内补报',
    });
  });

  it.each(['acknowledged', 'resolved'] as AlertState[])(
    'refuses an %s alert as a conflict',
    (state) => {
      const e = violation(() => acknowledge(state, 'noted', 'county-drc', at));
      expect(e.kind).toBe('conflict');
      expect(e.details).toEqual({ state });
    },
  );

  it.each(['', '   \n\t'])('refuses a blank note (%j) as invalid', (note) => {
    const e = violation(() => acknowledge('open', note, 'county-drc', at));
    expect(e.kind).toBe('invalid');
    expect(e.details.errors).toEqual([{ field: 'note', message: 'must not be blank' }]);
  });

  it('accepts a note of exactly 1000 characters', () => {
    expect(acknowledge('open', '督'.repeat(1000), 'county-drc', at).note).toHaveLength(1000);
  });

  it('refuses a note of 1001 characters as invalid', () => {
    const e = violation(() => acknowledge('open', '督'.repeat(1001), 'county-drc', at));
    expect(e.kind).toBe('invalid');
    expect(e.details.errors).toEqual([
      { field: 'note', message: 'must be at most 1000 characters' },
    ]);
  });

  it('reports a conflict before looking at the note', () => {
    expect(violation(() => acknowledge('resolved', '', 'county-drc', at)).kind).toBe('conflict');
  });
});
