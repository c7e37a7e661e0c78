import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Principal, Role } from './principal';

export const IS_PUBLIC_KEY = 'duban:auth:public';
export const ROLES_KEY = 'duban:auth:roles';

/** The HTTP request as the guard leaves it; structural so no HTTP platform is assumed. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** Opens a handler or controller to callers without a token (health, metrics, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** Restricts a handler or controller to these roles; a handler's list replaces its controller's. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Only reachable on a @Public route, where no token was read: a wiring bug, not a 401.
    if (!principal) throw new Error('@CurrentPrincipal() used on a route without authentication');
    return principal;
  },
);
