import { type FieldIssue, MILESTONE_STATUSES, RuleViolation, daysBetween } from '@duban/contracts';

// One list of statuses, the shared milestone event's.
export { MILESTONE_STATUSES };
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export type MilestoneChangeKind =
  'scheduled' | 'forecast-changed' | 'rescheduled' | 'completed' | 'cancelled';

export interface MilestoneChange {
  kind: MilestoneChangeKind;
  at: string;
  by: string;
  from: string | null;
  to: string | null;
  reason: string | null;
}

export interface MilestoneState {
  name: string;
  ownerUnit: string;
  /** The baseline (基准): kept as first agreed so slippage is always measurable against it. */
  plannedDate: string;
  /** Moves only by an explicit, reasoned reschedule. */
  currentPlannedDate: string;
  forecastDate: string | null;
  actualDate: string | null;
  status: MilestoneStatus;
  /** Every date change, oldest first: the audit trail 督办 relies on. */
  history: MilestoneChange[];
}

/** Who (unit code or subject) and when (ISO instant). */
export interface Actor {
  by: string;
  at: string;
}

export function scheduleMilestone(
  input: { name: string; ownerUnit: string; plannedDate: string },
  actor: Actor,
): MilestoneState {
  return {
    name: input.name,
    ownerUnit: input.ownerUnit,
    plannedDate: input.plannedDate,
    currentPlannedDate: input.plannedDate,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
    history: [change('scheduled', actor, null, input.plannedDate, null)],
  };
}

export function changeForecast(
  m: MilestoneState,
  forecastDate: string | null,
  actor: Actor,
): MilestoneState {
  requirePending(m, 'change the forecast of');
  if (m.forecastDate === forecastDate) throw new RuleViolation('forecast unchanged', 'conflict');
  const entry = change('forecast-changed', actor, m.forecastDate, forecastDate, null);
  return { ...m, forecastDate, history: [...m.history, entry] };
}

export function reschedule(
  m: MilestoneState,
  newDate: string,
  reason: string,
  actor: Actor,
): MilestoneState {
  requirePending(m, 'reschedule');
  const errors = reasonIssues(reason);
  if (newDate === m.currentPlannedDate) {
    errors.push({ field: 'plannedDate', message: `is already ${newDate}` });
  }
  refuseIfAny(errors);
  const entry = change('rescheduled', actor, m.currentPlannedDate, newDate, reason.trim());
  return { ...m, currentPlannedDate: newDate, history: [...m.history, entry] };
}

/** A late completion is still 'met'; the lateness shows in daysLate, not in the status. */
export function completeMilestone(
  m: MilestoneState,
  actualDate: string,
  today: string,
  actor: Actor,
): MilestoneState {
  requirePending(m, 'complete');
  if (actualDate > today) {
    refuseIfAny([{ field: 'actualDate', message: 'cannot be in the future' }]);
  }
  // `from` keeps the date it was due, so the history alone shows whether it slipped.
  const entry = change('completed', actor, m.currentPlannedDate, actualDate, null);
  return { ...m, actualDate, status: 'met', history: [...m.history, entry] };
}

export function cancelMilestone(m: MilestoneState, reason: string, actor: Actor): MilestoneState {
  requirePending(m, 'cancel');
  refuseIfAny(reasonIssues(reason));
  const entry = change('cancelled', actor, m.currentPlannedDate, null, reason.trim());
  return { ...m, status: 'cancelled', history: [...m.history, entry] };
}

/** Due dates are inclusive: a milestone due today is not yet overdue. */
export function isOverdue(
  m: Pick<MilestoneState, 'status' | 'currentPlannedDate'>,
  today: string,
): boolean {
  return m.status === 'pending' && m.currentPlannedDate < today;
}

export function daysLate(
  m: Pick<MilestoneState, 'status' | 'currentPlannedDate' | 'actualDate'>,
  today: string,
): number {
  if (m.status === 'met' && m.actualDate) {
    return Math.max(0, daysBetween(m.currentPlannedDate, m.actualDate));
  }
  if (m.status === 'pending') return Math.max(0, daysBetween(m.currentPlannedDate, today));
  return 0;
}

function change(
  kind: MilestoneChangeKind,
  actor: Actor,
  from: string | null,
  to: string | null,
  reason: string | null,
): MilestoneChange {
  return { kind, at: actor.at, by: actor.by, from, to, reason };
}

function requirePending(m: MilestoneState, action: string): void {
  if (m.status !== 'pending') {
    throw new RuleViolation(
      `cannot ${action} a ${m.status} milestone; only a pending one`,
      'conflict',
      { milestoneStatus: m.status },
    );
  }
}

function reasonIssues(reason: string): FieldIssue[] {
  return reason.trim() ? [] : [{ field: 'reason', message: 'must not be blank' }];
}

function refuseIfAny(errors: FieldIssue[]): void {
  if (errors.length) throw new RuleViolation('invalid milestone change', 'invalid', { errors });
}
