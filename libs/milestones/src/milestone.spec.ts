import { RuleViolation } from '@duban/contracts';
import {
  Actor,
  cancelMilestone,
  changeForecast,
  completeMilestone,
  daysLate,
  isOverdue,
  MilestoneState,
  MilestoneStatus,
  reschedule,
  scheduleMilestone,
} from './milestone';

const planner: Actor = { by: 'county-drc', at: '2026-01-05T09:00:00+08:00' };
const owner: Actor = { by: 'agri-bureau', at: '2026-03-10T10:00:00+08:00' };
const later: Actor = { by: 'agri-bureau', at: '2026-04-02T15:30:00+08:00' };

function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}

const fresh = (): MilestoneState =>
  scheduleMilestone(
    { name: '通过中期评估', ownerUnit: 'agri-bureau', plannedDate: '2026-06-30' },
    planner,
  );

const withStatus = (status: MilestoneStatus): MilestoneState => ({ ...fresh(), status });

describe('scheduling', () => {
  it('starts pending with the baseline as the current plan and one history entry', () => {
    expect(fresh()).toEqual({
      name: '通过中期评估',
      ownerUnit: 'agri-bureau',
      plannedDate: '2026-06-30',
      currentPlannedDate: '2026-06-30',
      forecastDate: null,
      actualDate: null,
      status: 'pending',
      history: [
        {
          kind: 'scheduled',
          at: planner.at,
          by: planner.by,
          from: null,
          to: '2026-06-30',
          reason: null,
        },
      ],
    });
  });
});

describe('forecast', () => {
  it('records the change and who made it', () => {
    const m = changeForecast(fresh(), '2026-07-15', owner);
    expect(m.forecastDate).toBe('2026-07-15');
    expect(m.history[1]).toEqual({
      kind: 'forecast-changed',
      at: owner.at,
      by: owner.by,
      from: null,
      to: '2026-07-15',
      reason: null,
    });
  });

  it('can be cleared', () => {
    const m = changeForecast(changeForecast(fresh(), '2026-07-15', owner), null, later);
    expect(m.forecastDate).toBeNull();
    expect(m.history[2]).toMatchObject({ from: '2026-07-15', to: null });
  });

  it('refuses an unchanged forecast', () => {
    const m = changeForecast(fresh(), '2026-07-15', owner);
    const e = violation(() => changeForecast(m, '2026-07-15', later));
    expect(e).toMatchObject({ kind: 'conflict', message: 'forecast unchanged' });
    expect(violation(() => changeForecast(fresh(), null, owner)).message).toBe(
      'forecast unchanged',
    );
  });

  it('leaves the input untouched', () => {
    const m = fresh();
    const before = structuredClone(m);
    changeForecast(m, '2026-07-15', owner);
    expect(m).toEqual(before);
  });
});

describe('reschedule', () => {
  it('moves the current plan but never the baseline, and history accumulates in order', () => {
    const once = reschedule(fresh(), '2026-09-30', '用地审批延迟', owner);
    const twice = reschedule(once, '2026-11-30', '专家评审改期', later);
    expect(twice.plannedDate).toBe('2026-06-30');
    expect(twice.currentPlannedDate).toBe('2026-11-30');
    expect(twice.history.map((h) => [h.kind, h.from, h.to, h.reason, h.by])).toEqual([
      ['scheduled', null, '2026-06-30', null, planner.by],
      ['rescheduled', '2026-06-30', '2026-09-30', '用地审批延迟', owner.by],
      ['rescheduled', '2026-09-30', '2026-11-30', '专家评审改期', later.by],
    ]);
    expect(once.history).toHaveLength(2);
  });

  it('may return to the baseline date, still keeping it as baseline', () => {
    const back = reschedule(
      reschedule(fresh(), '2026-09-30', '延迟', owner),
      '2026-06-30',
      '提前',
      later,
    );
    expect(back).toMatchObject({ plannedDate: '2026-06-30', currentPlannedDate: '2026-06-30' });
  });

  it.each(['', '   '])('refuses a blank reason %j', (reason) => {
    const e = violation(() => reschedule(fresh(), '2026-09-30', reason, owner));
    expect(e.kind).toBe('invalid');
    expect(e.details.errors).toEqual([{ field: 'reason', message: 'must not be blank' }]);
  });

  it('refuses the same date, together with a blank reason', () => {
    const e = violation(() => reschedule(fresh(), '2026-06-30', ' ', owner));
    expect(e.kind).toBe('invalid');
    expect(e.details.errors?.map((i) => i.field)).toEqual(['reason', 'plannedDate']);
  });

  it('does not mutate the input', () => {
    const m = fresh();
    const before = structuredClone(m);
    reschedule(m, '2026-09-30', '延迟', owner);
    expect(m).toEqual(before);
  });
});

describe('completion', () => {
  it('on time is met and records the actual date', () => {
    const m = completeMilestone(fresh(), '2026-06-28', '2026-06-29', owner);
    expect(m).toMatchObject({ status: 'met', actualDate: '2026-06-28' });
    expect(m.history[1]).toEqual({
      kind: 'completed',
      at: owner.at,
      by: owner.by,
      from: '2026-06-30',
      to: '2026-06-28',
      reason: null,
    });
    expect(daysLate(m, '2026-12-31')).toBe(0);
  });

  it('late is still met, with the days it slipped', () => {
    const m = completeMilestone(fresh(), '2026-07-03', '2026-07-10', owner);
    expect(m.status).toBe('met');
    expect(daysLate(m, '2026-12-31')).toBe(3);
  });

  it('today is allowed but tomorrow is the future', () => {
    expect(completeMilestone(fresh(), '2026-06-30', '2026-06-30', owner).status).toBe('met');
    const e = violation(() => completeMilestone(fresh(), '2026-07-01', '2026-06-30', owner));
    expect(e.kind).toBe('invalid');
    expect(e.details.errors).toEqual([{ field: 'actualDate', message: 'cannot be in the future' }]);
  });
});

describe('cancellation', () => {
  it('records the reason and leaves the dates', () => {
    const m = cancelMilestone(fresh(), ' 项目调整 ', owner);
    expect(m).toMatchObject({ status: 'cancelled', currentPlannedDate: '2026-06-30' });
    expect(m.history[1]).toMatchObject({ kind: 'cancelled', reason: '项目调整', by: owner.by });
  });

  it('refuses a blank reason', () => {
    const e = violation(() => cancelMilestone(fresh(), '\t', owner));
    expect(e.kind).toBe('invalid');
    expect(e.details.errors).toEqual([{ field: 'reason', message: 'must not be blank' }]);
  });
});

describe('only a pending milestone changes', () => {
  const ops: [string, (m: MilestoneState) => unknown][] = [
    ['changeForecast', (m) => changeForecast(m, '2026-07-15', owner)],
    ['reschedule', (m) => reschedule(m, '2026-09-30', '延迟', owner)],
    ['completeMilestone', (m) => completeMilestone(m, '2026-06-30', '2026-07-01', owner)],
    ['cancelMilestone', (m) => cancelMilestone(m, '调整', owner)],
  ];
  const closed: MilestoneStatus[] = ['met', 'missed', 'cancelled'];

  it.each(ops.flatMap(([name, op]) => closed.map((s) => [name, s, op] as const)))(
    '%s refuses a %s milestone',
    (_name, status, op) => {
      const e = violation(() => op(withStatus(status)));
      expect(e.kind).toBe('conflict');
      expect(e.message).toContain(status);
      expect(e.details).toEqual({ milestoneStatus: status });
    },
  );

  it('a not-pending refusal wins over a bad reason', () => {
    expect(violation(() => cancelMilestone(withStatus('met'), '', owner)).kind).toBe('conflict');
  });
});

describe('overdue and days late', () => {
  const due = (currentPlannedDate: string, status: MilestoneStatus = 'pending') => ({
    status,
    currentPlannedDate,
    actualDate: null,
  });

  it('is not overdue on the due date, overdue the day after', () => {
    expect(isOverdue(due('2026-06-30'), '2026-06-30')).toBe(false);
    expect(isOverdue(due('2026-06-30'), '2026-07-01')).toBe(true);
    expect(daysLate(due('2026-06-30'), '2026-06-30')).toBe(0);
    expect(daysLate(due('2026-06-30'), '2026-07-01')).toBe(1);
  });

  it('counts from the rescheduled date, not the baseline', () => {
    const m = reschedule(fresh(), '2026-09-30', '延迟', owner);
    expect(isOverdue(m, '2026-08-01')).toBe(false);
    expect(daysLate(m, '2026-08-01')).toBe(0);
    expect(daysLate(m, '2026-10-05')).toBe(5);
  });

  it('is never overdue or late once closed', () => {
    for (const status of ['met', 'missed', 'cancelled'] as const) {
      expect(isOverdue(due('2026-06-30', status), '2027-01-01')).toBe(false);
    }
    expect(daysLate(due('2026-06-30', 'missed'), '2027-01-01')).toBe(0);
    expect(daysLate(due('2026-06-30', 'cancelled'), '2027-01-01')).toBe(0);
  });

  it('is not negative before the due date', () => {
    expect(daysLate(due('2026-06-30'), '2026-06-01')).toBe(0);
  });

  it.each([
    ['2026-01-31', '2026-02-01', 1],
    ['2026-01-20', '2026-03-01', 40],
    ['2026-12-31', '2027-01-01', 1],
    ['2026-12-25', '2027-01-05', 11],
    ['2028-02-28', '2028-03-01', 2],
    ['2027-02-28', '2027-03-01', 1],
    ['2028-02-29', '2029-03-01', 366],
  ])('due %s, today %s → %i days late', (plan, today, days) => {
    expect(isOverdue(due(plan), today)).toBe(true);
    expect(daysLate(due(plan), today)).toBe(days);
    const met = { status: 'met' as const, currentPlannedDate: plan, actualDate: today };
    expect(daysLate(met, '2030-01-01')).toBe(days);
  });
});
