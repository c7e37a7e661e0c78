import { z } from 'zod';
import { CalendarDate, UnitCode, Uuid } from './values';

/**
 * The one milestone shape shared by projects, parks, transport and evaluation (DESIGN.md
 * "Events"): the scheduler needs nothing else to keep its timetable.
 */
export const MilestoneSubjectType = z.enum([
  'project',
  'park',
  'campaign-task',
  'transport-work',
  'honour',
]);

export const MILESTONE_STATUSES = ['pending', 'met', 'missed', 'cancelled'] as const;
export const MilestoneStatus = z.enum(MILESTONE_STATUSES);

export const MilestoneEventData = z.object({
  subjectType: MilestoneSubjectType,
  subjectId: Uuid,
  milestoneId: Uuid,
  name: z.string().min(1).max(200),
  ownerUnit: UnitCode,
  /** The baseline (基准日期): never overwritten once set. */
  plannedDate: CalendarDate,
  /** The current planned date after any formal reschedule; equals plannedDate until then. */
  currentPlannedDate: CalendarDate,
  forecastDate: CalendarDate.nullable(),
  actualDate: CalendarDate.nullable(),
  status: MilestoneStatus,
  /** A campaign task's campaign (攻坚行动), so a whole campaign can be silenced; else absent. */
  campaignId: Uuid.optional(),
});
export type MilestoneEventData = z.infer<typeof MilestoneEventData>;

export const MilestoneEventTypes = {
  scheduled: 'duban.milestone.scheduled',
  forecastChanged: 'duban.milestone.forecast-changed',
  rescheduled: 'duban.milestone.rescheduled',
  completed: 'duban.milestone.completed',
  cancelled: 'duban.milestone.cancelled',
} as const;
export type MilestoneEventType = (typeof MilestoneEventTypes)[keyof typeof MilestoneEventTypes];
