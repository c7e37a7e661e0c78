/**
 * Silences (静默): a supervisor's bounded pause of notification and escalation for one subject
 * or one unit. Pure rules, no framework.
 */

/** What a silence may name: a subject an alert is about, or every alert owned by a unit. */
export const silenceSubjectTypes = [
  'project',
  'park',
  'campaign-task',
  'transport-work',
  'honour',
  'unit',
] as const;
export type SilenceSubjectType = (typeof silenceSubjectTypes)[number];

export interface SilenceScope {
  subjectType: SilenceSubjectType;
  /** The subject's id; null for a unit silence. */
  subjectId: string | null;
  /** The unit's code for a unit silence; null otherwise. */
  unit: string | null;
  region: string;
  startsAt: Date;
  endsAt: Date;
  state: 'active' | 'ended';
}

export interface AlertSubject {
  subjectType: string;
  subjectId: string;
  ownerUnit: string;
  region: string;
}

/** Whether a silence covers an alert at `now`: active, in its window, same region and subject. */
export function silences(s: SilenceScope, alert: AlertSubject, now: Date): boolean {
  if (s.state !== 'active') return false;
  if (now.getTime() < s.startsAt.getTime() || now.getTime() >= s.endsAt.getTime()) return false;
  if (s.region !== alert.region) return false;
  if (s.subjectType === 'unit') return s.unit === alert.ownerUnit;
  return s.subjectType === alert.subjectType && s.subjectId === alert.subjectId;
}
