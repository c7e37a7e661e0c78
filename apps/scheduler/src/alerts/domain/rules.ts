import { daysBetween } from '@duban/contracts';
import { deadlineOf, TimetableEntry } from '../../timetable/domain/deadlines';

export const ALERT_RULES = ['overdue', 'forecast-slip', 'behind-pace', 'report-missing'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const SEVERITIES = ['info', 'minor', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Which milestone rules hold for a timetable entry at `now`: overdue when pending and
 * now ≥ deadline; forecast-slip when pending and forecastDate > currentPlannedDate.
 */
export function firingRules(e: TimetableEntry, now: Date): ('overdue' | 'forecast-slip')[] {
  // Only a pending milestone raises new alerts; a missed one keeps those already open.
  if (e.status !== 'pending') return [];
  const rules: ('overdue' | 'forecast-slip')[] = [];
  if (now.getTime() >= deadlineOf(e).getTime()) rules.push('overdue');
  // ISO calendar dates compare correctly as strings.
  if (e.forecastDate !== null && e.forecastDate > e.currentPlannedDate) rules.push('forecast-slip');
  return rules;
}

// Lower bounds, highest first. A forecast slip tops out at major because the date has not
// actually been missed yet; behind-pace and overdue reach critical.
const SEVERITY_STEPS: Record<AlertRule, readonly (readonly [number, Severity])[]> = {
  overdue: [
    [30, 'critical'],
    [7, 'major'],
  ],
  'forecast-slip': [
    [30, 'major'],
    [7, 'minor'],
  ],
  'behind-pace': [
    [40, 'critical'],
    [20, 'major'],
  ],
  // Measured in days past the reporting deadline: a month's silence is a major matter.
  'report-missing': [[30, 'major']],
};
const SEVERITY_FLOOR: Record<AlertRule, Severity> = {
  overdue: 'minor',
  'forecast-slip': 'info',
  'behind-pace': 'minor',
  'report-missing': 'minor',
};

/**
 * Severity for a rule's measure: days overdue (1–6 minor, 7–29 major, ≥30 critical), days of
 * forecast slip (<7 info, 7–29 minor, ≥30 major), or points behind pace (<20 minor, 20–39
 * major, ≥40 critical).
 */
export function severityFor(rule: AlertRule, measure: number): Severity {
  const step = SEVERITY_STEPS[rule].find(([atLeast]) => measure >= atLeast);
  return step ? step[1] : SEVERITY_FLOOR[rule];
}

/** Days a forecast lies beyond the current plan (the forecast-slip measure). */
export function slipDays(e: Pick<TimetableEntry, 'currentPlannedDate' | 'forecastDate'>): number {
  if (e.forecastDate === null) return 0;
  return Math.max(0, daysBetween(e.currentPlannedDate, e.forecastDate));
}

export interface PaceInput {
  plannedStartDate: string;
  plannedEndDate: string;
  physicalProgressPct: number;
  today: string;
  marginPct: number;
}

/**
 * Linear plan: expected % = elapsed days / total days × 100 (clamped 0–100; before start 0,
 * after end 100). Returns how many points behind (0 if on or ahead of pace) and whether that
 * exceeds the margin.
 */
export function paceGap(input: PaceInput): {
  expectedPct: number;
  behindBy: number;
  firing: boolean;
} {
  const expectedPct = expectedProgress(input.plannedStartDate, input.plannedEndDate, input.today);
  const behindBy = roundPct(Math.max(0, expectedPct - input.physicalProgressPct));
  return { expectedPct, behindBy, firing: behindBy > input.marginPct };
}

// Both plan dates are inclusive working days, as a due date is: the work is only expected to
// be complete once the end date is over, and a one-day plan (start = end) spans one day
// rather than zero, so there is never a division by zero.
function expectedProgress(start: string, end: string, today: string): number {
  const total = daysBetween(start, end) + 1;
  const elapsed = daysBetween(start, today); // whole days over before today began
  if (total <= 0) return 100; // an end before the start: treat the work as already due
  return roundPct(Math.min(100, Math.max(0, (elapsed / total) * 100)));
}

// Rounded so float noise (e.g. 20.000000000000004) cannot tip a comparison with the margin.
const roundPct = (pct: number): number => Math.round(pct * 100) / 100;
