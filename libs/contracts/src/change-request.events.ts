import { z } from 'zod';
import { define, EventDefinition } from './event-definition';
import { MilestoneEventData } from './milestone.events';
import { CalendarDate, Uuid } from './values';

/**
 * Change requests (变更申请): the supervised side may ask to move or drop a deadline, but the
 * milestone keeps its date until a supervisor of the region (or an admin) approves.
 */
export const ChangeRequestKind = z.enum(['reschedule', 'cancel']);
export type ChangeRequestKind = z.infer<typeof ChangeRequestKind>;
export const ChangeRequestState = z.enum(['requested', 'approved', 'rejected', 'withdrawn']);
export type ChangeRequestState = z.infer<typeof ChangeRequestState>;

/**
 * The shared milestone shape plus the request. The milestone is as it stood when the request
 * was made or decided: an approval's own event still shows the old date, and the milestone's
 * rescheduled or cancelled event that applies it follows, keyed by the same milestone.
 */
export const MilestoneChangeRequestData = MilestoneEventData.extend({
  requestId: Uuid,
  kind: ChangeRequestKind,
  state: ChangeRequestState,
  reason: z.string().min(1),
  /** The planned date asked for; null when the request is to cancel. */
  proposedDate: CalendarDate.nullable(),
  requestedBy: z.string(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type MilestoneChangeRequestData = z.infer<typeof MilestoneChangeRequestData>;

export const ChangeRequestEventTypes = {
  requested: 'duban.milestone.change-requested',
  approved: 'duban.milestone.change-approved',
  rejected: 'duban.milestone.change-rejected',
  withdrawn: 'duban.milestone.change-withdrawn',
} as const;

export const CHANGE_REQUEST_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  define(
    ChangeRequestEventTypes.requested,
    MilestoneChangeRequestData,
    'A unit asked to reschedule or cancel a milestone; it keeps its date until approved',
  ),
  define(
    ChangeRequestEventTypes.approved,
    MilestoneChangeRequestData,
    'A supervisor approved the change; the milestone event that applies it follows',
  ),
  define(
    ChangeRequestEventTypes.rejected,
    MilestoneChangeRequestData,
    'A supervisor rejected the change; the milestone is unchanged',
  ),
  define(
    ChangeRequestEventTypes.withdrawn,
    MilestoneChangeRequestData,
    'The requesting side withdrew its change request',
  ),
];
