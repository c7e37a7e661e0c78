import { z } from 'zod';
import { define, EventDefinition } from './event-definition';
import { MilestoneSubjectType } from './milestone.events';
import { RegionCode, UnitCode, Uuid } from './values';

/** Traffic lights (红黄绿灯) the scheduler keeps per subject for leaders. */
export const TrafficLight = z.enum(['red', 'yellow', 'green']);
export type TrafficLight = z.infer<typeof TrafficLight>;

export const StatusChangedData = z.object({
  subjectType: MilestoneSubjectType,
  subjectId: Uuid,
  ownerUnit: UnitCode,
  region: RegionCode,
  colour: TrafficLight,
  previousColour: TrafficLight.nullable(),
  openAlerts: z.number().int().min(0),
});
export type StatusChangedData = z.infer<typeof StatusChangedData>;

export const StatusEventTypes = { changed: 'duban.status.changed' } as const;

export const STATUS_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  define(
    StatusEventTypes.changed,
    StatusChangedData,
    "A subject's traffic light changed colour (keyed by the subject)",
  ),
];
