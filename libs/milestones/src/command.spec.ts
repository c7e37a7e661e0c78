import { MilestoneEventTypes } from '@duban/contracts';
import { EVENT_OF, MilestoneCommand, applyCommand, unitsThatMayGive } from './command';
import { scheduleMilestone } from './milestone';

describe('milestone commands', () => {
  it('leaves forecast and completion to the owner unit too, rescheduling and cancelling to the lead unit', () => {
    const units = { ownerUnit: 'WATER', leadUnit: 'AGRI' };
    expect(unitsThatMayGive('forecast', units)).toEqual(['WATER', 'AGRI']);
    expect(unitsThatMayGive('complete', units)).toEqual(['WATER', 'AGRI']);
    expect(unitsThatMayGive('reschedule', units)).toEqual(['AGRI']);
    expect(unitsThatMayGive('cancel', units)).toEqual(['AGRI']);
  });

  it.each([
    [{ kind: 'forecast', forecastDate: '2026-07-10' }, 'forecast-changed'],
    [{ kind: 'complete', actualDate: '2026-06-15' }, 'completed'],
    [{ kind: 'reschedule', plannedDate: '2026-09-30', reason: '用地报批延后' }, 'rescheduled'],
    [{ kind: 'cancel', reason: '并入企业满园行动' }, 'cancelled'],
  ] as [MilestoneCommand, string][])('applies %o as a %s change', (command, kind) => {
    const actor = { by: 'ECON', at: '2026-06-15T02:00:00.000Z' };
    const m = scheduleMilestone(
      { name: '标准厂房二期竣工', ownerUnit: 'ECON', plannedDate: '2026-06-30' },
      actor,
    );
    expect(applyCommand(m, command, '2026-06-15', actor).history.at(-1)?.kind).toBe(kind);
    expect(EVENT_OF[command.kind]).toBe(`duban.milestone.${kind}`);
  });

  it('maps every command to one of the shared milestone events', () => {
    expect(
      Object.values(EVENT_OF).every((t) => Object.values(MilestoneEventTypes).includes(t)),
    ).toBe(true);
  });
});
