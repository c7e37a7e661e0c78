import { RuleViolation } from '@duban/contracts';
import { Principal, mayActFor } from './principal';

/** Call before writing anything a unit owns: a 403 over HTTP, `rule-forbidden` over Kafka. */
export function assertMayActFor(principal: Principal, unitCode: string): void {
  if (!mayActFor(principal, unitCode)) {
    throw new RuleViolation(
      `unit ${principal.unit ?? principal.role} may not act for unit ${unitCode}`,
      'forbidden',
    );
  }
}

/**
 * For a write more than one unit may make (a milestone's owner unit or the lead unit): passes
 * when the principal may act for any of them; the 403 names the last, who may always act.
 */
export function assertMayActForAny(principal: Principal, unitCodes: readonly string[]): void {
  if (unitCodes.some((unit) => mayActFor(principal, unit))) return;
  assertMayActFor(principal, unitCodes[unitCodes.length - 1]);
}
