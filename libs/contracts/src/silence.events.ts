import { z } from 'zod';
import { define, EventDefinition } from './event-definition';
import { MilestoneSubjectType } from './milestone.events';
import { Instant, RegionCode, UnitCode, Uuid } from './values';

/**
 * What a silence (静默) names: the subject an alert is about (as alerts name it), or `unit` for
 * every alert a unit owns. A whole campaign is not a subject here: the scheduler only knows its
 * tasks (milestones name the task, not its campaign), so a campaign is silenced task by task or
 * through its lead unit.
 */
/** A subject as alerts name it, a whole campaign (its tasks' alerts), or a unit. */
export const SilenceSubjectType = z.enum([...MilestoneSubjectType.options, 'campaign', 'unit']);
export type SilenceSubjectType = z.infer<typeof SilenceSubjectType>;

export const SilenceData = z.object({
  silenceId: Uuid,
  subjectType: SilenceSubjectType,
  /** The subject's id; null for a unit silence. */
  subjectId: Uuid.nullable(),
  /** The unit whose alerts are silenced; null for a subject silence. */
  unit: UnitCode.nullable(),
  region: RegionCode,
  startsAt: Instant,
  endsAt: Instant,
  reason: z.string().min(1).max(1000),
  createdBy: z.string().min(1),
  state: z.enum(['active', 'ended']),
  endedAt: Instant.nullable(),
  endedBy: z.string().min(1).nullable(),
  /** Why it ended: its end time came (`expired`) or a supervisor ended it early (`deleted`). */
  endReason: z.enum(['expired', 'deleted']).nullable(),
});
export type SilenceData = z.infer<typeof SilenceData>;

export const SilenceEventTypes = {
  created: 'duban.silence.created',
  ended: 'duban.silence.ended',
} as const;

export const SILENCE_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  define(
    SilenceEventTypes.created,
    SilenceData,
    "A supervisor silenced a subject's or a unit's alerts for a bounded period",
  ),
  define(
    SilenceEventTypes.ended,
    SilenceData,
    'A silence ended (expired or ended early); notification and escalation resume',
  ),
];
