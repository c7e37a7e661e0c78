/** 0 = the owner unit, 1 = the supervisors' office (督查室), 2 = the responsible county leader (包抓领导). */
export const ESCALATION_LEVELS = [
  'owner-unit',
  'supervisors-office',
  'responsible-leader',
] as const;
export type EscalationLevel = 0 | 1 | 2;

const TOP_LEVEL = 2;
const HOUR_MS = 60 * 60 * 1000;

export interface EscalationPolicy {
  /** Time at level 0 before level 1, then time at level 1 before level 2. */
  afterMs: readonly [number, number];
}

/** The owner unit gets two days to act, the supervisors' office three more. */
export const DEFAULT_ESCALATION: EscalationPolicy = { afterMs: [48 * HOUR_MS, 72 * HOUR_MS] };

/**
 * When the alert should next escalate, or null at the top level or once acknowledged.
 * `since` = when it reached its current level.
 */
export function nextEscalationAt(
  level: EscalationLevel,
  since: Date,
  acknowledged: boolean,
  policy: EscalationPolicy = DEFAULT_ESCALATION,
): Date | null {
  // Acknowledging means someone owns the problem, so nobody above needs chasing in.
  if (acknowledged || level === TOP_LEVEL) return null;
  return new Date(since.getTime() + policy.afterMs[level]);
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
  policy: EscalationPolicy = DEFAULT_ESCALATION,
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
