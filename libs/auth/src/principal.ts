import { RegionCode, UnitCode } from '@duban/contracts';

export const ROLES = ['department', 'supervisor', 'integrator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: taken from a verified token, never from the request body. */
export interface Principal {
  subject: string;
  role: Role;
  unit?: string;
  region?: string;
}

export class InvalidPrincipalError extends Error {
  override readonly name = 'InvalidPrincipalError';
}

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/**
 * Checks a candidate (e.g. decoded token claims) and returns it as a Principal.
 * Throws InvalidPrincipalError naming the first rule it breaks.
 */
export function toPrincipal(candidate: {
  subject?: unknown;
  role?: unknown;
  unit?: unknown;
  region?: unknown;
}): Principal {
  const { subject, role, unit, region } = candidate;
  if (typeof subject !== 'string' || subject.trim() === '') {
    throw new InvalidPrincipalError('subject must be a non-empty string');
  }
  if (!isRole(role)) {
    throw new InvalidPrincipalError(`role must be one of ${ROLES.join(', ')}; got ${String(role)}`);
  }
  // A department writes only what its unit owns, so without a unit it could write nothing.
  if (role === 'department' && unit === undefined) {
    throw new InvalidPrincipalError('a department principal must carry a unit');
  }
  // Unit codes repeat in every county: a department is only known by its unit and region.
  if (role === 'department' && region === undefined) {
    throw new InvalidPrincipalError('a department principal must carry a region');
  }
  if (unit !== undefined && !matches(UnitCode, unit)) {
    throw new InvalidPrincipalError(
      `unit ${String(unit)} must be 2-32 upper-case letters, digits or hyphens`,
    );
  }
  if (region !== undefined && !matches(RegionCode, region)) {
    throw new InvalidPrincipalError(`region ${String(region)} must be a 6-digit division code`);
  }
  return {
    subject,
    role,
    ...(unit !== undefined && { unit }),
    ...(region !== undefined && { region }),
  };
}

function matches(
  schema: { safeParse(value: unknown): { success: boolean } },
  value: unknown,
): value is string {
  return schema.safeParse(value).success;
}

/** Who did it, as histories and events record it: the unit, or the token's subject. */
export const actorName = (p: Principal): string => p.unit ?? p.subject;

/** Whether the principal may write data owned by the given unit. */
export function mayActFor(principal: Principal, unitCode: string): boolean {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'department':
      return principal.unit === unitCode;
    // Supervisors and integrators read across units but own none.
    case 'supervisor':
    case 'integrator':
      return false;
  }
}
