import { RuleViolation } from '@duban/contracts';
import { Principal } from './principal';

/**
 * One deployment may serve a whole city (DOMAIN.md "Regions"): a token bound to a region (a
 * county) reads and writes only there. Admins and tokens without a region see every region.
 */
const boundRegion = (actor: Principal): string | undefined =>
  actor.role === 'admin' ? undefined : actor.region;

/** Call before writing anything in a region: a 403 over HTTP, `rule-forbidden` over Kafka. */
export function assertRegion(actor: Principal, regionCode: string): void {
  const bound = boundRegion(actor);
  if (bound && bound !== regionCode) {
    throw new RuleViolation(
      `a token for region ${bound} may not write in region ${regionCode}`,
      'forbidden',
    );
  }
}

/** Whether the caller may see something in `regionCode` (if not, it answers 404). */
export function mayReadRegion(actor: Principal, regionCode: string): boolean {
  const bound = boundRegion(actor);
  return !bound || bound === regionCode;
}

/**
 * The region a list must be filtered to: the one asked for, or the caller's own when it is
 * bound to one. Asking a bound token for another region is a 403 rather than an empty page,
 * so a misconfigured client learns why it sees nothing.
 */
export function regionFilter(actor: Principal, requested?: string): string | undefined {
  const bound = boundRegion(actor);
  if (bound && requested && requested !== bound) {
    throw new RuleViolation(
      `a token for region ${bound} may not read region ${requested}`,
      'forbidden',
    );
  }
  return bound ?? requested;
}
