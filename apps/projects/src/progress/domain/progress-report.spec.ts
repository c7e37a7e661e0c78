import { RuleViolation } from '@duban/contracts';
import {
  checkProgressReport,
  ProgressItem,
  ReportFigures,
  ReportNeighbours,
  resolveItem,
} from './progress-report';

function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}

const CURRENT = '2026-11';

const report = (over: Partial<ReportFigures> = {}): ReportFigures => ({
  month: '2026-11',
  investmentCompletedWan: '300.00',
  cumulativeInvestmentWan: '1500.00',
  physicalProgressPct: 45,
  correction: false,
  ...over,
});

const none: ReportNeighbours = { existing: null, previous: null, next: null };
const between: ReportNeighbours = {
  existing: null,
  previous: { month: '2026-10', cumulativeInvestmentWan: '1200.00' },
  next: { month: '2026-12', cumulativeInvestmentWan: '1800.00' },
};
const existing = { cumulativeInvestmentWan: '1400.00' };

const errorsOf = (r: ReportFigures, n: ReportNeighbours = none) => {
  const e = violation(() => checkProgressReport(r, n, CURRENT));
  expect(e.kind).toBe('invalid');
  return e.details.errors;
};

describe('checkProgressReport', () => {
  it('accepts a sound report for the current or a past month', () => {
    expect(() => checkProgressReport(report(), between, CURRENT)).not.toThrow();
    expect(() => checkProgressReport(report({ month: '2025-12' }), none, CURRENT)).not.toThrow();
  });

  it('accepts amounts equal to the bounds', () => {
    const r = report({ investmentCompletedWan: '1200.00', cumulativeInvestmentWan: '1200.00' });
    expect(() => checkProgressReport(r, between, CURRENT)).not.toThrow();
    const top = report({ cumulativeInvestmentWan: '1800.00' });
    expect(() => checkProgressReport(top, between, CURRENT)).not.toThrow();
  });

  it('refuses a month that has not begun, across a year end too', () => {
    expect(errorsOf(report({ month: '2026-12' }))).toEqual([
      { field: 'month', message: 'cannot report a month that has not begun' },
    ]);
    const e = violation(() => checkProgressReport(report({ month: '2027-01' }), none, '2026-12'));
    expect(e.details.errors?.map((i) => i.field)).toEqual(['month']);
  });

  it('refuses a negative period investment', () => {
    expect(errorsOf(report({ investmentCompletedWan: '-0.01' }))).toEqual([
      { field: 'investmentCompletedWan', message: 'must not be negative' },
    ]);
  });

  it('refuses a negative cumulative investment', () => {
    const r = report({ investmentCompletedWan: '0.00', cumulativeInvestmentWan: '-5.00' });
    expect(errorsOf(r)).toEqual([
      { field: 'cumulativeInvestmentWan', message: 'must not be negative' },
    ]);
  });

  it('reports a malformed amount under its field', () => {
    expect(errorsOf(report({ cumulativeInvestmentWan: '1500' }))).toEqual([
      { field: 'cumulativeInvestmentWan', message: expect.stringContaining('1500') },
    ]);
  });

  it('refuses a period investment above the cumulative', () => {
    const r = report({ investmentCompletedWan: '1500.01', cumulativeInvestmentWan: '1500.00' });
    expect(errorsOf(r)).toEqual([
      {
        field: 'investmentCompletedWan',
        message: 'cannot exceed the cumulative investment of 1500.00 万元',
      },
    ]);
  });

  it('compares money as amounts, not as text', () => {
    const r = report({ investmentCompletedWan: '900.00', cumulativeInvestmentWan: '1000.00' });
    expect(() => checkProgressReport(r, none, CURRENT)).not.toThrow();
  });

  it('refuses a cumulative below the previous month, naming it', () => {
    const errors = errorsOf(report({ cumulativeInvestmentWan: '1199.99' }), between);
    expect(errors).toEqual([
      { field: 'cumulativeInvestmentWan', message: expect.stringContaining('2026-10') },
    ]);
    expect(errors?.[0].message).toContain('1200.00');
  });

  it('refuses a cumulative above the next month, naming it', () => {
    const errors = errorsOf(report({ cumulativeInvestmentWan: '1800.01' }), between);
    expect(errors).toEqual([
      { field: 'cumulativeInvestmentWan', message: expect.stringContaining('2026-12') },
    ]);
    expect(errors?.[0].message).toContain('1800.00');
  });

  it('reports several invalid fields together', () => {
    const r = report({
      month: '2027-02',
      investmentCompletedWan: '2000.00',
      cumulativeInvestmentWan: '1000.00',
    });
    expect(errorsOf(r, between)?.map((i) => i.field)).toEqual([
      'month',
      'investmentCompletedWan',
      'cumulativeInvestmentWan',
    ]);
  });

  it('refuses a second report for the month unless it is a correction', () => {
    const e = violation(() => checkProgressReport(report(), { ...none, existing }, CURRENT));
    expect(e).toMatchObject({
      kind: 'conflict',
      message: 'a report for 2026-11 exists; send correction: true to replace it',
    });
  });

  it('refuses a correction when there is nothing to correct', () => {
    const e = violation(() => checkProgressReport(report({ correction: true }), none, CURRENT));
    expect(e).toMatchObject({ kind: 'conflict', message: 'no report for 2026-11 to correct' });
  });

  it('lets a correction break the cumulative sequence', () => {
    const n = { ...between, existing };
    for (const cumulativeInvestmentWan of ['1000.00', '2000.00']) {
      const r = report({ correction: true, cumulativeInvestmentWan });
      expect(() => checkProgressReport(r, n, CURRENT)).not.toThrow();
    }
  });

  it('still applies the field rules to a correction', () => {
    const r = report({ correction: true, investmentCompletedWan: '-1.00' });
    expect(errorsOf(r, { ...between, existing })?.map((i) => i.field)).toEqual([
      'investmentCompletedWan',
    ]);
  });

  it('bypassing the sequence still needs a report to correct', () => {
    const r = report({ correction: true, cumulativeInvestmentWan: '1000.00' });
    const e = violation(() => checkProgressReport(r, between, CURRENT));
    expect(e).toMatchObject({ kind: 'conflict', message: 'no report for 2026-11 to correct' });
  });
});

describe('resolveItem', () => {
  const open: ProgressItem = {
    id: 'p-1',
    kind: 'coordination',
    description: '用地指标需县自然资源局协调',
    status: 'open',
    resolvedBy: null,
    resolvedAt: null,
    resolution: null,
  };
  const actor = { by: 'county-nrb', at: '2026-11-20T09:00:00+08:00' };

  it('records who resolved it, when and how, without touching the input', () => {
    const before = structuredClone(open);
    expect(resolveItem(open, ' 已调剂用地指标 ', actor)).toEqual({
      ...open,
      status: 'resolved',
      resolvedBy: actor.by,
      resolvedAt: actor.at,
      resolution: '已调剂用地指标',
    });
    expect(open).toEqual(before);
  });

  it('refuses a blank resolution', () => {
    const e = violation(() => resolveItem(open, '  ', actor));
    expect(e.kind).toBe('invalid');
    expect(e.details.errors).toEqual([{ field: 'resolution', message: 'must not be blank' }]);
  });

  it('refuses resolving twice', () => {
    const done = resolveItem(open, '已调剂', actor);
    const e = violation(() => resolveItem(done, '再次', actor));
    expect(e.kind).toBe('conflict');
    expect(e.message).toContain('already resolved');
  });
});
