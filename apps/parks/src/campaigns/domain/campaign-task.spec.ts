import { RuleViolation } from '@duban/contracts';
import { TaskState, changeTask, planTask, taskView } from './campaign-task';

const TODAY = '2026-06-15';
const actor = { by: 'ECON', at: '2026-06-15T02:00:00.000Z' };
const input = { name: '标准厂房二期竣工', ownerUnit: 'ECON', plannedDate: '2026-06-30' };

const task = (): TaskState => planTask(input, actor);

function refused(apply: () => unknown): RuleViolation {
  try {
    apply();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('campaign task rules', () => {
  it('plans a pending task whose baseline is its planned date', () => {
    expect(task()).toMatchObject({
      plannedDate: '2026-06-30',
      currentPlannedDate: '2026-06-30',
      status: 'pending',
      forecastDate: null,
      actualDate: null,
      history: [{ kind: 'scheduled', to: '2026-06-30', by: 'ECON' }],
    });
  });

  it('accepts a task planned in the past: it is overdue from the start', () => {
    const late = planTask({ ...input, plannedDate: '2026-06-01' }, actor);
    expect(taskView(late, TODAY)).toEqual({ overdue: true, daysLate: 14 });
  });

  it('reschedules without touching the baseline, and records why', () => {
    const moved = changeTask(
      task(),
      { kind: 'reschedule', plannedDate: '2026-09-30', reason: '用地报批延后' },
      TODAY,
      actor,
    );
    expect(moved).toMatchObject({ plannedDate: '2026-06-30', currentPlannedDate: '2026-09-30' });
    expect(moved.history.at(-1)).toMatchObject({
      kind: 'rescheduled',
      from: '2026-06-30',
      to: '2026-09-30',
      reason: '用地报批延后',
    });
    expect(
      refused(() =>
        changeTask(
          task(),
          { kind: 'reschedule', plannedDate: '2026-09-30', reason: ' ' },
          TODAY,
          actor,
        ),
      ).details.errors,
    ).toEqual([{ field: 'reason', message: 'must not be blank' }]);
  });

  it('takes a forecast, and completes on a day not in the future', () => {
    const forecast = changeTask(
      task(),
      { kind: 'forecast', forecastDate: '2026-07-10' },
      TODAY,
      actor,
    );
    expect(forecast.forecastDate).toBe('2026-07-10');
    const done = changeTask(forecast, { kind: 'complete', actualDate: TODAY }, TODAY, actor);
    expect(done).toMatchObject({ status: 'met', actualDate: TODAY });
    const future = refused(() =>
      changeTask(task(), { kind: 'complete', actualDate: '2026-06-16' }, TODAY, actor),
    );
    expect(future.details.errors).toEqual([
      { field: 'actualDate', message: 'cannot be in the future' },
    ]);
  });

  it('keeps completed and cancelled tasks final', () => {
    const cancelled = changeTask(
      task(),
      { kind: 'cancel', reason: '并入企业满园行动' },
      TODAY,
      actor,
    );
    expect(cancelled.status).toBe('cancelled');
    const done = changeTask(task(), { kind: 'complete', actualDate: TODAY }, TODAY, actor);
    for (const final of [cancelled, done]) {
      const e = refused(() =>
        changeTask(final, { kind: 'forecast', forecastDate: '2026-08-01' }, TODAY, actor),
      );
      expect(e.kind).toBe('conflict');
      expect(e.message).toContain(`a ${final.status} milestone`);
    }
  });

  it('counts a pending task late from the day after its current planned date', () => {
    expect(taskView(task(), '2026-06-30')).toEqual({ overdue: false, daysLate: 0 });
    expect(taskView(task(), '2026-07-03')).toEqual({ overdue: true, daysLate: 3 });
    const moved = changeTask(
      task(),
      { kind: 'reschedule', plannedDate: '2026-07-31', reason: '调整' },
      TODAY,
      actor,
    );
    expect(taskView(moved, '2026-07-03')).toEqual({ overdue: false, daysLate: 0 });
  });
});
