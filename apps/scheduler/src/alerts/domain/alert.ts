import { FieldIssue, RuleViolation } from '@duban/contracts';
import { deadlineOf, TimetableEntry } from '../../timetable/domain/deadlines';

export type AlertState = 'open' | 'acknowledged' | 'resolved' | 'closed';
export type ResolutionReason =
  'met' | 'cancelled' | 'rescheduled' | 'forecast-restored' | 'back-on-pace';

export const MAX_NOTE_LENGTH = 1000;

/** What resolutionFor needs of the alert: its rule and the plan date it was last judged against. */
export interface JudgedAlert {
  rule: 'overdue' | 'forecast-slip';
  currentPlannedDate: string;
}

/**
 * Why a milestone change resolves an alert, or null if it stays open: met → 'met'; cancelled →
 * 'cancelled'; an overdue alert whose deadline moved past `now` → 'rescheduled'; a
 * forecast-slip alert whose forecast is back on or before the current plan →
 * 'forecast-restored', or whose plan moved (an approved change) with no forecast beyond it →
 * 'rescheduled'. Clearing a forecast alone is silence, not a better forecast: the alert stays.
 */
export function resolutionFor(
  alert: JudgedAlert,
  e: TimetableEntry,
  now: Date,
): ResolutionReason | null {
  if (e.status === 'met') return 'met';
  if (e.status === 'cancelled') return 'cancelled';
  // A milestone declared missed keeps its alerts open: 督办 follows it until it is done.
  if (alert.rule === 'overdue')
    return deadlineOf(e).getTime() > now.getTime() ? 'rescheduled' : null;
  // ISO calendar dates compare correctly as strings.
  if (e.forecastDate !== null)
    return e.forecastDate <= e.currentPlannedDate ? 'forecast-restored' : null;
  // No forecast: only a plan moved by an approved change (a rescheduled milestone event; until a
  // change request is approved the plan keeps its date) answers the slip.
  return e.currentPlannedDate !== alert.currentPlannedDate ? 'rescheduled' : null;
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
