import { ForbiddenException } from '@nestjs/common';
import { Principal, mayActFor } from './principal';

/** Call before writing anything a unit owns; the HTTP layer turns the throw into a 403. */
export function assertMayActFor(principal: Principal, unitCode: string): void {
  if (!mayActFor(principal, unitCode)) {
    throw new ForbiddenException(
      `unit ${principal.unit ?? principal.role} may not act for unit ${unitCode}`,
    );
  }
}
