import type { TrafficLight } from '@duban/contracts';
import { LIVE_STATES } from '../../alerts/domain/alert';
import type { AlertRule, Severity } from '../../alerts/domain/rules';

/**
 * Alert states that count for a colour. A resolved alert waits for a supervisor's
 * verification (销号) but the subject has done its part; a closed one is history.
 */
export const OPEN_FOR_COLOUR = LIVE_STATES;

export const isOpenForColour = (state: string): boolean =>
  (OPEN_FOR_COLOUR as readonly string[]).includes(state);

export interface ColourInput {
  /** The subject's alerts in state open or acknowledged (any rule). */
  openAlerts: readonly { rule: AlertRule; severity: Severity }[];
  /** The most whole days any pending milestone of the subject is overdue (0 when none). */
  maxDaysOverdue: number;
  /** Overdue more than this many days is red whatever the alerts say. */
  redOverdueDays: number;
}

/**
 * The traffic light (红黄绿灯) of one subject:
 * - red: an open major or critical alert, or a pending milestone overdue more than N days;
 * - yellow: any other open alert (info or minor: a forecast slip, behind pace, a missing
 *   report, a fresh overdue);
 * - green: no open alert.
 * Overdue counts from the timetable, not from an alert, so a subject stays red while its
 * milestone is late even if the alert was acknowledged or silenced.
 */
export function colourOf(input: ColourInput): TrafficLight {
  const serious = input.openAlerts.some((a) => a.severity === 'major' || a.severity === 'critical');
  if (serious || input.maxDaysOverdue > input.redOverdueDays) return 'red';
  return input.openAlerts.length > 0 ? 'yellow' : 'green';
}

export type ColourCounts = Record<TrafficLight, number>;

/** Counts per colour, every colour present (0 when none). */
export function countColours(rows: readonly { colour: TrafficLight; n: number }[]): ColourCounts {
  const counts: ColourCounts = { red: 0, yellow: 0, green: 0 };
  for (const r of rows) counts[r.colour] += r.n;
  return counts;
}
