import { addDays } from '@duban/contracts';

/**
 * A demo date relative to the day the seed runs (so the demo always has something late, due
 * soon and met), or a fixed one for what the report dates.
 */
export type DemoDay = { inDays: number } | { on: string };

export function resolveDay(day: DemoDay, today: string): string {
  return 'on' in day ? day.on : addDays(today, day.inDays);
}
