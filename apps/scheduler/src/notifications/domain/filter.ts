import type { AlertData } from '@duban/contracts';

const RANK = { info: 0, minor: 1, major: 2, critical: 3 } as const;

export interface AlertFilter {
  unit?: string;
  region?: string;
  minSeverity?: keyof typeof RANK;
}

/** Whether a subscription (or a live screen) wants this alert. */
export function matches(
  filter: AlertFilter,
  alert: Pick<AlertData, 'ownerUnit' | 'region' | 'severity'>,
): boolean {
  if (filter.unit && filter.unit !== alert.ownerUnit) return false;
  if (filter.region && filter.region !== alert.region) return false;
  return !filter.minSeverity || RANK[alert.severity] >= RANK[filter.minSeverity];
}
