import { deadlineAfter } from '@duban/contracts';
import { workingDaysLater } from '@duban/calendar';
import { AlertState } from './alert';
import { EscalationLevel, EscalationPolicy, nextEscalationAt } from './escalation';
import { Severity } from './rules';

/**
 * The clocks of the loop (督办闭环), all but the commit date counted in working days:
 * - escalate: an open alert goes up a level (escalation.ts);
 * - commitment: an acknowledged alert whose commit date is over (the start of the next China
 *   day, as a milestone deadline) re-opens one level up;
 * - remind (催办): open and acknowledged alerts every N working days for their severity, counted
 *   from the last of raised, reminded, acknowledged or re-opened;
 * - auto-close: a resolved alert nobody objected to within N working days closes itself.
 * A commit date on a holiday stays as declared: the rule is about clocks, not dates.
 */
export interface LoopPolicy {
  escalation: EscalationPolicy;
  /** Working days between reminders per severity; 0 = never. */
  reminderWorkingDays: Readonly<Record<Severity, number>>;
  /** 0 = a resolved alert waits for a supervisor for ever. */
  autoCloseWorkingDays: number;
}

export interface AlertClocks {
  state: AlertState;
  severity: Severity;
  escalationLevel: EscalationLevel;
  levelSince: Date;
  commitDate: string | null;
  remindSince: Date;
  resolvedAt: Date | null;
}

export type LoopStep = 'commitment' | 'escalate' | 'remind' | 'auto-close';

/** When each of the alert's clocks runs out next, earliest first (commitment before the rest). */
export function nextSteps(a: AlertClocks, policy: LoopPolicy): { step: LoopStep; at: Date }[] {
  const steps: { step: LoopStep; at: Date | null }[] = [];
  const calendar = policy.escalation.calendar;
  if (a.state === 'acknowledged' && a.commitDate !== null)
    steps.push({ step: 'commitment', at: deadlineAfter(a.commitDate) });
  if (a.state === 'open')
    steps.push({
      step: 'escalate',
      at: nextEscalationAt(a.escalationLevel, a.levelSince, false, policy.escalation),
    });
  const every = policy.reminderWorkingDays[a.severity];
  if ((a.state === 'open' || a.state === 'acknowledged') && every > 0)
    steps.push({ step: 'remind', at: workingDaysLater(a.remindSince, every, calendar) });
  if (a.state === 'resolved' && a.resolvedAt !== null && policy.autoCloseWorkingDays > 0)
    steps.push({
      step: 'auto-close',
      at: workingDaysLater(a.resolvedAt, policy.autoCloseWorkingDays, calendar),
    });
  return steps.filter((s): s is { step: LoopStep; at: Date } => s.at !== null);
}

/** The steps due by `now`, in the order they must be taken. */
export function dueSteps(a: AlertClocks, policy: LoopPolicy, now: Date): LoopStep[] {
  return nextSteps(a, policy)
    .filter((s) => s.at.getTime() <= now.getTime())
    .map((s) => s.step);
}
