import { RuleViolation, SilenceSubjectType } from '@duban/contracts';

/**
 * Silences (静默): a supervisor's bounded pause of notification and escalation for one subject
 * or for every alert one unit owns, e.g. an approved pause in flood season. Pure rules, no
 * framework; time is passed in.
 */
export type { SilenceSubjectType };

export const MAX_REASON_LENGTH = 1000;
const DAY = 86_400_000;

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

/** What matching needs of an alert (as alerts and alert events name their subject). */
export interface AlertSubject {
  subjectType: string;
  subjectId: string;
  ownerUnit: string;
  region: string;
  /** The campaign of a campaign task's alert; null otherwise. */
  campaignId: string | null;
}

/**
 * Whether a silence covers an alert at `now`: not ended, `now` in [startsAt, endsAt), same
 * region (unit codes repeat across counties), and either the alert's own subject, the campaign
 * of a campaign task's alert, or a unit silence of the alert's owner unit.
 */
export function silences(s: SilenceScope, alert: AlertSubject, now: Date): boolean {
  if (s.state !== 'active') return false;
  if (now.getTime() < s.startsAt.getTime() || now.getTime() >= s.endsAt.getTime()) return false;
  if (s.region !== alert.region) return false;
  if (s.subjectType === 'unit') return s.unit === alert.ownerUnit;
  if (s.subjectType === 'campaign') return s.subjectId === alert.campaignId;
  return s.subjectType === alert.subjectType && s.subjectId === alert.subjectId;
}

/** Whether an active silence's time is up, so the expiry pass ends it (`expired`). */
export function isExpired(s: Pick<SilenceScope, 'state' | 'endsAt'>, now: Date): boolean {
  return s.state === 'active' && s.endsAt.getTime() <= now.getTime();
}

export interface SilenceRequest {
  subjectType: SilenceSubjectType;
  subjectId?: string;
  unit?: string;
  startsAt?: Date;
  endsAt: Date;
  reason: string;
}

/**
 * The window a request asks for, checked: a unit silence names a unit and no subject, any other
 * names a subject and no unit; it ends after it starts and in the future, and lasts at most
 * `maxDays`. Starts now unless asked later (a silence may be set ahead of a flood season).
 * Throws a RuleViolation naming the field.
 */
export function silenceWindow(
  req: SilenceRequest,
  now: Date,
  maxDays: number,
): { startsAt: Date; endsAt: Date; subjectId: string | null; unit: string | null } {
  const invalid = (field: string, message: string) =>
    new RuleViolation(`${field}: ${message}`, 'invalid', { errors: [{ field, message }] });
  if (req.subjectType === 'unit') {
    if (!req.unit) throw invalid('unit', 'is required for a unit silence');
    if (req.subjectId) throw invalid('subjectId', 'must be left out for a unit silence');
  } else {
    if (!req.subjectId) throw invalid('subjectId', `is required for a ${req.subjectType} silence`);
    if (req.unit) throw invalid('unit', 'is only for a unit silence');
  }
  const startsAt = req.startsAt && req.startsAt.getTime() > now.getTime() ? req.startsAt : now;
  if (req.endsAt.getTime() <= now.getTime()) throw invalid('endsAt', 'must be in the future');
  if (req.endsAt.getTime() <= startsAt.getTime()) throw invalid('endsAt', 'must be after startsAt');
  if (req.endsAt.getTime() - startsAt.getTime() > maxDays * DAY)
    throw invalid('endsAt', `a silence lasts at most ${maxDays} days`);
  return {
    startsAt,
    endsAt: req.endsAt,
    subjectId: req.subjectType === 'unit' ? null : req.subjectId!,
    unit: req.subjectType === 'unit' ? req.unit! : null,
  };
}

/** The expiry job's id: one per silence and end time (BullMQ ids may not contain ':'). */
export const expiryJobId = (s: { id: string; endsAt: Date }): string =>
  `silence-expiry_${s.id}_${s.endsAt.getTime()}`;
