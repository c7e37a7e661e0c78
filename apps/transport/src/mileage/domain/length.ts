import { RuleViolation } from '@duban/contracts';

/**
 * Lengths are kept in whole metres (integers), so a region's operating mileage is an exact
 * integer sum however many sections open: 0.1 km + 0.2 km is 300 m, never 0.30000000000000004.
 * Kilometres appear only at the edges (HTTP bodies and event data), with at most three decimals.
 */
export function kmToMetres(km: number, field = 'lengthKm'): number {
  const metres = Math.round(km * 1000);
  if (!Number.isSafeInteger(metres) || metres / 1000 !== km) {
    throw new RuleViolation(`${field} must have at most three decimals`, 'invalid', {
      errors: [{ field, message: 'must have at most three decimals' }],
    });
  }
  return metres;
}

/** Exact for whole metres: n / 1000 is the double nearest the decimal n/1000 and prints as it. */
export const metresToKm = (metres: number): number => metres / 1000;

/** A region's mileage of one kind: what predates the system plus what opened through it. */
export interface Mileage {
  baselineMetres: number;
  openedMetres: number;
}

export const operatingMetres = (m: Mileage): number => m.baselineMetres + m.openedMetres;
