import { FieldIssue, RuleViolation } from '@duban/contracts';
import { deadlineOf, TimetableEntry } from '../../timetable/domain/deadlines';
import { EscalationLevel, levelAbove } from './escalation';

export type AlertState = 'open' | 'acknowledged' | 'resolved' | 'closed';
export type ResolutionReason =
  'met' | 'cancelled' | 'rescheduled' | 'forecast-restored' | 'back-on-pace';

/**
 * The loop (督办闭环): open → acknowledged (the owner commits to a date) → open again, one level
 * up, if the date passes unmet (commitment-missed); open or acknowledged → resolved when the
 * rule no longer holds (met, cancelled, an approved change, a better forecast, back on pace, a
 * late report) — every resolution, whoever caused it, waits for verification; resolved →
 * closed by a supervisor (or after N working days without objection), or → open one level up
 * when a supervisor rejects it. Closed is final.
 */
export const LIVE_STATES: readonly AlertState[] = ['open', 'acknowledged'];

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

/** An acknowledgement (承诺): the measures taken, and the date the owner commits to. */
export interface Commitment {
  note: string;
  /** 承诺办结日期, a China calendar date. */
  commitDate: string;
}

/**
 * acknowledge: open → acknowledged with a note (non-blank, ≤ 1000 characters) and a commit date
 * from `today` to `latest` (both China dates, inclusive). Throws a 'conflict' RuleViolation
 * unless open, an 'invalid' one naming `note` or `commitDate` otherwise. Escalation stops; the
 * commitment clock (see loop.ts) takes over and the reminder clock starts again.
 */
export function acknowledge(
  state: AlertState,
  input: Commitment,
  by: string,
  at: Date,
  limits: { today: string; latest: string },
): {
  state: 'acknowledged';
  acknowledgedBy: string;
  acknowledgedAt: Date;
  note: string;
  commitDate: string;
  remindSince: Date;
} {
  if (state !== 'open') {
    throw new RuleViolation(
      `alert is ${state}; only an open alert can be acknowledged`,
      'conflict',
      {
        state,
      },
    );
  }
  const trimmed = input.note.trim();
  const errors = [...noteIssues(trimmed), ...commitIssues(input.commitDate, limits)];
  if (errors.length) throw new RuleViolation('invalid acknowledgement', 'invalid', { errors });
  return {
    state: 'acknowledged',
    acknowledgedBy: by,
    acknowledgedAt: at,
    note: trimmed,
    commitDate: input.commitDate,
    remindSince: at,
  };
}

function commitIssues(commitDate: string, limits: { today: string; latest: string }): FieldIssue[] {
  // ISO calendar dates compare correctly as strings.
  if (commitDate < limits.today)
    return [{ field: 'commitDate', message: `must not be before today (${limits.today})` }];
  if (commitDate > limits.latest)
    return [{ field: 'commitDate', message: `must be no later than ${limits.latest}` }];
  return [];
}

/** Verification (销号): resolved → closed by a supervisor with a note, or by nobody objecting. */
export function close(
  state: AlertState,
  note: string,
  by: string | null,
  at: Date,
): { state: 'closed'; closedAt: Date; closedBy: string | null; verificationNote: string } {
  if (state !== 'resolved') {
    throw new RuleViolation(`alert is ${state}; only a resolved alert can be closed`, 'conflict', {
      state,
    });
  }
  return { state: 'closed', closedAt: at, closedBy: by, verificationNote: verifiedNote(note) };
}

/**
 * A supervisor rejects a resolution: resolved → open again, one level up at once, its
 * escalation and reminder clocks starting now; the resolution is withdrawn (history keeps it).
 */
export function reopen(
  alert: { state: AlertState; escalationLevel: EscalationLevel },
  note: string,
  at: Date,
): {
  state: 'open';
  escalationLevel: EscalationLevel;
  levelSince: Date;
  remindSince: Date;
  resolvedAt: null;
  resolution: null;
  verificationNote: string;
} {
  if (alert.state !== 'resolved') {
    throw new RuleViolation(
      `alert is ${alert.state}; only a resolved alert can be re-opened`,
      'conflict',
      { state: alert.state },
    );
  }
  return {
    ...upALevel(alert.escalationLevel, at),
    resolvedAt: null,
    resolution: null,
    verificationNote: verifiedNote(note),
  };
}

/**
 * The commit date passed with the alert still acknowledged: open again, one level up at once.
 * The acknowledgement (note, commitDate) stays as the record of what was promised.
 */
export function missCommitment(
  alert: { state: AlertState; escalationLevel: EscalationLevel },
  at: Date,
) {
  if (alert.state !== 'acknowledged')
    throw new RuleViolation(`alert is ${alert.state}, not acknowledged`, 'conflict', {
      state: alert.state,
    });
  return upALevel(alert.escalationLevel, at);
}

const upALevel = (level: EscalationLevel, at: Date) => ({
  state: 'open' as const,
  escalationLevel: levelAbove(level),
  levelSince: at,
  remindSince: at,
});

function verifiedNote(note: string): string {
  const trimmed = note.trim();
  const errors = noteIssues(trimmed);
  if (errors.length) throw new RuleViolation('invalid verification', 'invalid', { errors });
  return trimmed;
}

function noteIssues(note: string): FieldIssue[] {
  if (!note) return [{ field: 'note', message: 'must not be blank' }];
  // Counted in code points, as PostgreSQL counts varchar length, not UTF-16 units.
  if ([...note].length > MAX_NOTE_LENGTH) {
    return [{ field: 'note', message: `must be at most ${MAX_NOTE_LENGTH} characters` }];
  }
  return [];
}
