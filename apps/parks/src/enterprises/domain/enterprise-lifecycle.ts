import { ENTERPRISE_STATUSES, RuleViolation } from '@duban/contracts';

export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];

/**
 * 签约 signed → 在建 under construction → 投产 in production, one step at a time, and 退出
 * exited from any of them. No step is skipped (an enterprise goes into production only after
 * its construction), nothing goes back, and exited is terminal.
 */
const NEXT: Readonly<Record<EnterpriseStatus, readonly EnterpriseStatus[]>> = {
  signed: ['under-construction', 'exited'],
  'under-construction': ['in-production', 'exited'],
  'in-production': ['exited'],
  exited: [],
};

export const allowedNext = (from: EnterpriseStatus): readonly EnterpriseStatus[] => NEXT[from];

/** Returns the new status, or throws a 409 naming from, to and what is allowed instead. */
export function changeEnterpriseStatus(
  from: EnterpriseStatus,
  to: EnterpriseStatus,
): EnterpriseStatus {
  const allowed = NEXT[from];
  if (allowed.includes(to)) return to;
  const instead = allowed.length ? `allowed next: ${allowed.join(', ')}` : `${from} is final`;
  throw new RuleViolation(`an enterprise cannot go from ${from} to ${to}; ${instead}`, 'conflict', {
    from,
    to,
    allowed: [...allowed],
  });
}

/** The day of a status change: never in the future, never before the previous change. */
export function checkChangeDate(
  changedOn: string,
  previousOn: string,
  today: string,
  field = 'changedOn',
): void {
  const message =
    changedOn > today
      ? `must not be after today (${today})`
      : changedOn < previousOn
        ? `must not be before the previous status change (${previousOn})`
        : null;
  if (message) {
    throw new RuleViolation('invalid status change date', 'invalid', {
      errors: [{ field, message }],
    });
  }
}
