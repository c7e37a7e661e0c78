import { type Designation, RuleViolation } from '@duban/contracts';

export interface ParkAreas {
  plannedAreaMu: number;
  developedAreaMu: number;
}

/**
 * Developed land (已开发) is part of the planned land (规划): an update may change either, so
 * the rule is checked on the result, not only on the body.
 */
export function checkAreas(next: ParkAreas): void {
  if (next.developedAreaMu > next.plannedAreaMu) {
    throw new RuleViolation('developedAreaMu must not exceed plannedAreaMu', 'invalid', {
      errors: [
        {
          field: 'developedAreaMu',
          message: `must not exceed plannedAreaMu (${next.plannedAreaMu} mu)`,
        },
      ],
    });
  }
}

/** A park earns a title once; it cannot be earned in the future. Returns the new list. */
export function earnDesignation(
  held: readonly Designation[],
  earned: Designation,
  today: string,
  field = 'earnedOn',
): Designation[] {
  if (earned.earnedOn > today) {
    throw new RuleViolation('a designation cannot be earned in the future', 'invalid', {
      errors: [{ field, message: `must not be after today (${today})` }],
    });
  }
  const same = held.find((d) => d.title === earned.title);
  if (same) {
    throw new RuleViolation(
      `the park already holds ${earned.title} (earned ${same.earnedOn})`,
      'conflict',
      { designation: same },
    );
  }
  return [...held, earned].sort((a, b) => a.earnedOn.localeCompare(b.earnedOn));
}
