import { scheduleMilestone } from '@duban/milestones';
import { MAY_GIVE, TaskCommand, changeTask } from './campaign-task';

// The milestone rules themselves are tested in @duban/milestones; here only what is the
// campaign's own: who may give which command, and which change each command makes.
describe('campaign task commands', () => {
  it('leaves forecast and completion to the owner unit, rescheduling and cancelling to the lead unit', () => {
    expect(MAY_GIVE).toEqual({
      forecast: 'owner or lead',
      complete: 'owner or lead',
      reschedule: 'lead',
      cancel: 'lead',
    });
  });

  it.each([
    [{ kind: 'forecast', forecastDate: '2026-07-10' }, 'forecast-changed'],
    [{ kind: 'complete', actualDate: '2026-06-15' }, 'completed'],
    [{ kind: 'reschedule', plannedDate: '2026-09-30', reason: '用地报批延后' }, 'rescheduled'],
    [{ kind: 'cancel', reason: '并入企业满园行动' }, 'cancelled'],
  ] as [TaskCommand, string][])('applies %o as a %s change', (command, kind) => {
    const actor = { by: 'ECON', at: '2026-06-15T02:00:00.000Z' };
    const task = scheduleMilestone(
      { name: '标准厂房二期竣工', ownerUnit: 'ECON', plannedDate: '2026-06-30' },
      actor,
    );
    expect(changeTask(task, command, '2026-06-15', actor).history.at(-1)?.kind).toBe(kind);
  });
});
