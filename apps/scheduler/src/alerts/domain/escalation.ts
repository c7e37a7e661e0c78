import { WorkingCalendar, workingDaysLater } from '@duban/calendar';

/** 0 = the owner unit, 1 = the supervisors' office (督查室), 2 = the responsible county leader (包抓领导). */
export const ESCALATION_LEVELS = [
  'owner-unit',
  'supervisors-office',
  'responsible-leader',
] as const;
export type EscalationLevel = 0 | 1 | 2;

export const TOP_LEVEL = 2;

/** The owner unit gets two working days to act, the supervisors' office three more. */
export const DEFAULT_ESCALATION_WORKING_DAYS: readonly [number, number] = [2, 3];

export interface EscalationPolicy {
  /** Working days at level 0 before level 1, then at level 1 before level 2. */
  afterWorkingDays: readonly [number, number];
  calendar: WorkingCalendar;
}

/** One level up, no higher than the top: a re-opened alert goes to the next person up at once. */
export const levelAbove = (level: EscalationLevel): EscalationLevel =>
  Math.min(level + 1, TOP_LEVEL) as EscalationLevel;

/**
 * When the alert should next escalate, or null at the top level or once acknowledged.
 * `since` = when it reached its current level; the clock counts working days (a holiday or a
 * weekend does not eat into the owner's time; a 调休 Saturday does count).
 */
export function nextEscalationAt(
  level: EscalationLevel,
  since: Date,
  acknowledged: boolean,
  policy: EscalationPolicy,
): Date | null {
  // Acknowledging means someone owns the problem and committed to a date: the commitment
  // clock takes over from escalation.
  if (acknowledged || level === TOP_LEVEL) return null;
  return workingDaysLater(since, policy.afterWorkingDays[level], policy.calendar);
}

/**
 * The level an open alert should be at by `now` (may jump two levels after a long outage);
 * never goes down; acknowledged alerts stay where they are.
 */
export function dueLevel(
  level: EscalationLevel,
  since: Date,
  acknowledged: boolean,
  now: Date,
  policy: EscalationPolicy,
): EscalationLevel {
  // Each level's clock starts when the previous one would have run out, not when the timer
  // finally fired, so a missed timer costs no extra grace.
  let due = level;
  let at = nextEscalationAt(due, since, acknowledged, policy);
  while (at !== null && now.getTime() >= at.getTime()) {
    due = (due + 1) as EscalationLevel;
    at = nextEscalationAt(due, at, acknowledged, policy);
  }
  return due;
}
