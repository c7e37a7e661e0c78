import { FieldIssue, RuleViolation } from '@duban/contracts';
import { deadlineOf, TimetableEntry } from '../../timetable/domain/deadlines';

export type AlertState = 'open' | 'acknowledged' | 'resolved' | 'closed';
export type ResolutionReason =
  'met' | 'cancelled' | 'rescheduled' | 'forecast-restored' | 'back-on-pace';

export const MAX_NOTE_LENGTH = 1000;

/**
 * Why a milestone change closes an open alert of `rule`, or null if it stays open: met → 'met';
 * cancelled → 'cancelled'; an overdue alert whose deadline moved past `now` → 'rescheduled'; a
 * forecast-slip alert whose forecast is no longer after the current plan → 'forecast-restored'.
 */
export function resolutionFor(
  rule: 'overdue' | 'forecast-slip',
  e: TimetableEntry,
  now: Date,
): ResolutionReason | null {
  if (e.status === 'met') return 'met';
  if (e.status === 'cancelled') return 'cancelled';
  // A milestone declared missed keeps its alerts open: 督办 follows it until it is done.
  if (rule === 'overdue') return deadlineOf(e).getTime() > now.getTime() ? 'rescheduled' : null;
  return e.forecastDate === null || e.forecastDate <= e.currentPlannedDate
    ? 'forecast-restored'
    : null;
}

/**
 * acknowledge: open → acknowledged with a note (non-blank, ≤ 1000 characters). Throws a
 * 'conflict' RuleViolation unless open, an 'invalid' one naming `note` otherwise.
 */
export function acknowledge(
  state: AlertState,
  note: string,
  by: string,
  at: Date,
): { state: 'acknowledged'; acknowledgedBy: string; acknowledgedAt: Date; note: string } {
  if (state !== 'open') {
    throw new RuleViolation(
      `alert is ${state}; only an open alert can be acknowledged`,
      'conflict',
      {
        state,
      },
    );
  }
  const trimmed = note.trim();
  const errors = noteIssues(trimmed);
  if (errors.length) throw new RuleViolation('invalid acknowledgement', 'invalid', { errors });
  return { state: 'acknowledged', acknowledgedBy: by, acknowledgedAt: at, note: trimmed };
}

function noteIssues(note: string): FieldIssue[] {
  if (!note) return [{ field: 'note', message: 'must not be blank' }];
  // Counted in code points, as PostgreSQL counts varchar length, not UTF-16 units.
  if ([...note].length > MAX_NOTE_LENGTH) {
    return [{ field: 'note', message: `must be at most ${MAX_NOTE_LENGTH} characters` }];
  }
  return [];
}
