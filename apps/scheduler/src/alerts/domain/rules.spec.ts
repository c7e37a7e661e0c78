import { TimetableEntry } from '../../timetable/domain/deadlines';
import { firingRules, PaceInput, paceGap, severityFor, slipDays } from './rules';

const entry = (over: Partial<TimetableEntry> = {}): TimetableEntry => ({
  milestoneId: '6f1c1f4e-0000-4000-8000-000000000001',
  currentPlannedDate: '2026-06-30',
  forecastDate: null,
  status: 'pending',
  ...over,
});
const beforeDeadline = new Date('2026-06-30T15:59:59Z');
const atDeadline = new Date('2026-06-30T16:00:00Z');

describe('firingRules', () => {
  it('fires nothing for a pending milestone on time with no forecast', () => {
    expect(firingRules(entry(), beforeDeadline)).toEqual([]);
  });

  it('fires overdue from the deadline on', () => {
    expect(firingRules(entry(), atDeadline)).toEqual(['overdue']);
  });

  it('fires forecast-slip when the forecast lies after the current plan', () => {
    expect(firingRules(entry({ forecastDate: '2026-07-01' }), beforeDeadline)).toEqual([
      'forecast-slip',
    ]);
  });

  it('does not fire forecast-slip for a forecast on or before the plan', () => {
    expect(firingRules(entry({ forecastDate: '2026-06-30' }), beforeDeadline)).toEqual([]);
    expect(firingRules(entry({ forecastDate: '2026-06-01' }), beforeDeadline)).toEqual([]);
  });

  it('fires both when overdue with a later forecast', () => {
    expect(firingRules(entry({ forecastDate: '2026-08-01' }), atDeadline)).toEqual([
      'overdue',
      'forecast-slip',
    ]);
  });

  it.each(['met', 'missed', 'cancelled'] as const)('fires nothing for a %s milestone', (status) => {
    expect(firingRules(entry({ status, forecastDate: '2026-08-01' }), atDeadline)).toEqual([]);
  });

  it('judges the current plan, so a rescheduled milestone is no longer overdue', () => {
    expect(firingRules(entry({ currentPlannedDate: '2026-09-30' }), atDeadline)).toEqual([]);
  });
});

describe('severityFor', () => {
  it.each([
    [1, 'minor'],
    [6, 'minor'],
    [7, 'major'],
    [29, 'major'],
    [30, 'critical'],
    [400, 'critical'],
  ] as const)('overdue by %i days is %s', (days, severity) => {
    expect(severityFor('overdue', days)).toBe(severity);
  });

  it.each([
    [1, 'info'],
    [6, 'info'],
    [7, 'minor'],
    [29, 'minor'],
    [30, 'major'],
    [365, 'major'],
  ] as const)('a forecast slip of %i days is %s', (days, severity) => {
    expect(severityFor('forecast-slip', days)).toBe(severity);
  });

  it.each([
    [5, 'minor'],
    [19.99, 'minor'],
    [20, 'major'],
    [39, 'major'],
    [40, 'critical'],
    [100, 'critical'],
  ] as const)('%d points behind pace is %s', (points, severity) => {
    expect(severityFor('behind-pace', points)).toBe(severity);
  });
});

describe('slipDays', () => {
  it('counts days from the current plan to the forecast, across a year end', () => {
    expect(slipDays({ currentPlannedDate: '2026-12-25', forecastDate: '2027-01-24' })).toBe(30);
  });

  it('is 0 without a forecast or for an early one', () => {
    expect(slipDays({ currentPlannedDate: '2026-12-25', forecastDate: null })).toBe(0);
    expect(slipDays({ currentPlannedDate: '2026-12-25', forecastDate: '2026-12-01' })).toBe(0);
  });
});

describe('paceGap', () => {
  // 2026-01-01 → 2026-01-10 is a ten-day plan, both dates included.
  const pace = (over: Partial<PaceInput>): PaceInput => ({
    plannedStartDate: '2026-01-01',
    plannedEndDate: '2026-01-10',
    physicalProgressPct: 0,
    today: '2026-01-06',
    marginPct: 10,
    ...over,
  });

  it('expects nothing before the start', () => {
    expect(paceGap(pace({ today: '2025-12-20' }))).toEqual({
      expectedPct: 0,
      behindBy: 0,
      firing: false,
    });
  });

  it('expects nothing on the first day, before any day is over', () => {
    expect(paceGap(pace({ today: '2026-01-01' })).expectedPct).toBe(0);
  });

  it('is 20 behind and firing at half time with 30% done and a margin of 10', () => {
    expect(paceGap(pace({ physicalProgressPct: 30 }))).toEqual({
      expectedPct: 50,
      behindBy: 20,
      firing: true,
    });
  });

  it('does not fire when the gap equals the margin', () => {
    expect(paceGap(pace({ physicalProgressPct: 40 }))).toEqual({
      expectedPct: 50,
      behindBy: 10,
      firing: false,
    });
  });

  it('is 0 behind when ahead of pace', () => {
    expect(paceGap(pace({ physicalProgressPct: 80 }))).toEqual({
      expectedPct: 50,
      behindBy: 0,
      firing: false,
    });
  });

  it('still allows the last planned day to finish the work', () => {
    expect(paceGap(pace({ today: '2026-01-10' })).expectedPct).toBe(90);
  });

  it('expects everything from the day after the end', () => {
    expect(paceGap(pace({ today: '2026-01-11' })).expectedPct).toBe(100);
    expect(paceGap(pace({ today: '2026-03-01', physicalProgressPct: 70 }))).toEqual({
      expectedPct: 100,
      behindBy: 30,
      firing: true,
    });
  });

  it('does not divide by zero for a plan that starts and ends the same day', () => {
    const oneDay = { plannedStartDate: '2026-01-05', plannedEndDate: '2026-01-05' };
    expect(paceGap(pace({ ...oneDay, today: '2026-01-04' })).expectedPct).toBe(0);
    expect(paceGap(pace({ ...oneDay, today: '2026-01-05' })).expectedPct).toBe(0);
    expect(paceGap(pace({ ...oneDay, today: '2026-01-06', physicalProgressPct: 50 }))).toEqual({
      expectedPct: 100,
      behindBy: 50,
      firing: true,
    });
  });

  it('expects everything of a plan whose end precedes its start', () => {
    const inverted = { plannedStartDate: '2026-02-01', plannedEndDate: '2026-01-01' };
    expect(paceGap(pace({ ...inverted, today: '2026-01-15' })).expectedPct).toBe(100);
  });

  it('counts the leap day as a day of the plan', () => {
    // 2028-02-28 → 2028-03-01 spans three days because of 02-29; two are over by 03-01.
    const leap = { plannedStartDate: '2028-02-28', plannedEndDate: '2028-03-01' };
    expect(paceGap(pace({ ...leap, today: '2028-03-01' })).expectedPct).toBe(66.67);
  });

  it('rounds away float noise so the margin comparison is exact', () => {
    // A third of the way with 23.33% done: exactly 10 behind, which does not exceed 10.
    const thirds = { plannedStartDate: '2026-01-01', plannedEndDate: '2026-01-03' };
    const gap = paceGap(pace({ ...thirds, today: '2026-01-02', physicalProgressPct: 23.33 }));
    expect(gap).toEqual({ expectedPct: 33.33, behindBy: 10, firing: false });
    // 90 − 80.1 is 9.900000000000006 in floating point, which would exceed a 9.9 margin.
    const late = paceGap(pace({ today: '2026-01-10', physicalProgressPct: 80.1, marginPct: 9.9 }));
    expect(late).toEqual({ expectedPct: 90, behindBy: 9.9, firing: false });
  });
});
