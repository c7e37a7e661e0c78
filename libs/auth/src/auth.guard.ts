import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest, IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
import { Principal, Role } from './principal';
import { AuthConfig, InvalidTokenError, principalFromBearer } from './token';

/**
 * The guard's settings, provided by the service's validated configuration (libs/platform's
 * ServiceConfig.auth), so a bad DUBAN_AUTH_* value stops the start, not the first request.
 */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Kafka handlers are not called by users; the broker decides who may produce.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.authenticate(request.headers.authorization);
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !roles.includes(principal.role)) {
      throw new ForbiddenException(
        `requires role ${roles.join(' or ')}; the token has role ${principal.role}`,
      );
    }
    return true;
  }

  private authenticate(header: string | string[] | undefined): Principal {
    try {
      return principalFromBearer(
        typeof header === 'string' ? header : header?.[0],
        this.config.secret,
        this.config.maxTokenLifetimeSeconds,
      );
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
  }
}
