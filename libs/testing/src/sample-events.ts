import { randomUUID } from 'node:crypto';
import { DubanEvent, MilestoneEventData, MilestoneEventTypes, createEvent } from '@duban/contracts';

/** A valid milestone event for tests; `step` lands in the name so tests can check order. */
export function sampleMilestoneEvent(
  subjectId: string = randomUUID(),
  step = 0,
  overrides: Partial<MilestoneEventData> = {},
  type: string = MilestoneEventTypes.scheduled,
): DubanEvent<MilestoneEventData> {
  return createEvent<MilestoneEventData>({
    type,
    service: 'projects',
    subject: subjectId,
    region: '511112',
    data: {
      subjectType: 'project',
      subjectId,
      milestoneId: randomUUID(),
      name: `step-${step}`,
      ownerUnit: 'DRC',
      plannedDate: '2026-12-31',
      currentPlannedDate: '2026-12-31',
      forecastDate: null,
      actualDate: null,
      status: 'pending',
      ...overrides,
    },
  });
}
