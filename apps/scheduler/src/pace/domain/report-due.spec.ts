import { severityFor } from '../../alerts/domain/rules';
import { dueMonth, missingReport } from './report-due';

const base = {
  status: 'under-construction',
  plannedStartDate: '2026-01-10',
  reportMonth: '2026-01',
  dueDay: 5,
};

describe('missing monthly reports (逾期未报)', () => {
  it('makes month M due from day D of month M+1', () => {
    expect(dueMonth('2026-03-04', 5)).toBe('2026-01');
    expect(dueMonth('2026-03-05', 5)).toBe('2026-02');
    expect(dueMonth('2026-01-05', 5)).toBe('2025-12');
    expect(dueMonth('2026-01-04', 5)).toBe('2025-11');
  });

  it('is not missing the day before D, and is missing on day D', () => {
    expect(missingReport({ ...base, today: '2026-03-04' })).toBeNull();
    expect(missingReport({ ...base, today: '2026-03-05' })).toEqual({
      dueMonth: '2026-02',
      firstMissingMonth: '2026-02',
      deadline: '2026-03-05',
      daysLate: 0,
    });
  });

  it('follows the configured day', () => {
    expect(missingReport({ ...base, dueDay: 10, today: '2026-03-09' })).toBeNull();
    expect(missingReport({ ...base, dueDay: 10, today: '2026-03-10' })?.deadline).toBe(
      '2026-03-10',
    );
  });

  it('is resolved by a late report for the due month or a later one', () => {
    expect(missingReport({ ...base, reportMonth: '2026-02', today: '2026-03-20' })).toBeNull();
    expect(missingReport({ ...base, reportMonth: '2026-03', today: '2026-03-20' })).toBeNull();
  });

  it('counts from the oldest missing month, so a long silence is major', () => {
    const missing = missingReport({ ...base, today: '2026-04-06' })!;
    expect(missing).toMatchObject({ dueMonth: '2026-03', firstMissingMonth: '2026-02' });
    expect(missing.daysLate).toBe(32);
    expect(severityFor('report-missing', missing.daysLate)).toBe('major');
    expect(severityFor('report-missing', 0)).toBe('minor');
  });

  it('only asks projects under construction', () => {
    for (const status of ['reserve', 'pre-work', 'suspended', 'completed', 'in-operation'])
      expect(missingReport({ ...base, status, today: '2026-06-20' })).toBeNull();
  });

  it('asks nothing before the start month is due, then from the start month', () => {
    const fresh = { ...base, plannedStartDate: '2026-03-20', reportMonth: null };
    expect(missingReport({ ...fresh, today: '2026-04-04' })).toBeNull();
    expect(missingReport({ ...fresh, today: '2026-04-05' })).toMatchObject({
      firstMissingMonth: '2026-03',
      deadline: '2026-04-05',
    });
    // A report from before the planned start does not excuse the start month.
    expect(
      missingReport({ ...fresh, reportMonth: '2026-01', today: '2026-04-05' })?.firstMissingMonth,
    ).toBe('2026-03');
  });
});
