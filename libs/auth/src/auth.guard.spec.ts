import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { sign } from 'jsonwebtoken';
import { AuthGuard } from './auth.guard';
import { AuthenticatedRequest, CurrentPrincipal, Public, Roles } from './decorators';
import { Principal } from './principal';
import { signToken } from './token';

const SECRET = 'guard-test-secret';
const drc: Principal = { subject: 'drc-key', role: 'department', unit: 'DRC', region: '511112' };

@Roles('supervisor', 'admin')
class AlertsController {
  list(): void {}
  @Roles('department')
  acknowledge(): void {}
  open(): void {}
  read(@CurrentPrincipal() _principal: Principal): void {}
}

@Public()
class HealthController {
  live(): void {}
}

class OpenHandlerController {
  @Public()
  docs(): void {}
  guarded(): void {}
}

function httpContext(
  controller: { prototype: object },
  handler: string,
  request: AuthenticatedRequest,
): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => controller,
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

function bearer(principal: Principal, secret = SECRET): AuthenticatedRequest {
  return { headers: { authorization: `Bearer ${signToken(principal, secret)}` } };
}

function rejection(guard: AuthGuard, context: ExecutionContext): Error {
  try {
    guard.canActivate(context);
  } catch (error) {
    return error as Error;
  }
  throw new Error('guard let the request through');
}

describe('AuthGuard', () => {
  let guard: AuthGuard;

  beforeAll(() => {
    guard = new AuthGuard(new Reflector(), { secret: SECRET, maxTokenLifetimeSeconds: 12 * 3600 });
  });

  it('lets anyone into a @Public controller', () => {
    expect(guard.canActivate(httpContext(HealthController, 'live', { headers: {} }))).toBe(true);
  });

  it('lets anyone into a @Public handler but still guards its siblings', () => {
    const ctx = (handler: string): ExecutionContext =>
      httpContext(OpenHandlerController, handler, { headers: {} });
    expect(guard.canActivate(ctx('docs'))).toBe(true);
    expect(rejection(guard, ctx('guarded'))).toBeInstanceOf(UnauthorizedException);
  });

  it('answers 401 without an Authorization header', () => {
    const error = rejection(guard, httpContext(AlertsController, 'open', { headers: {} }));
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(error.message).toBe('missing bearer token');
  });

  it('answers 401 for another scheme', () => {
    const request = { headers: { authorization: 'Basic dXNlcjpwYXNz' } };
    const error = rejection(guard, httpContext(AlertsController, 'open', request));
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(error.message).toMatch(/Bearer <token>/);
  });

  it('answers 401 saying why the token is bad', () => {
    const forged = rejection(guard, httpContext(AlertsController, 'open', bearer(drc, 'other')));
    expect(forged).toBeInstanceOf(UnauthorizedException);
    expect(forged.message).toBe('invalid signature');

    const expired = {
      headers: { authorization: `Bearer ${signToken(drc, SECRET, { expiresIn: -10 })}` },
    };
    const late = rejection(guard, httpContext(AlertsController, 'open', expired));
    expect(late).toBeInstanceOf(UnauthorizedException);
    expect(late.message).toMatch(/^token expired at /);
  });

  it('answers 401 for a token without exp or living longer than the 12 h maximum', () => {
    const reason = (token: string): string => {
      const request = { headers: { authorization: `Bearer ${token}` } };
      const error = rejection(guard, httpContext(AlertsController, 'open', request));
      expect(error).toBeInstanceOf(UnauthorizedException);
      return error.message;
    };
    const claims = { role: 'admin' };
    expect(reason(sign(claims, SECRET, { issuer: 'duban', subject: 's' }))).toBe(
      'token has no expiry (exp claim)',
    );
    expect(reason(sign(claims, SECRET, { issuer: 'duban', subject: 's', expiresIn: '30d' }))).toBe(
      'token lifetime 30d exceeds the maximum of 12h',
    );
  });

  it('answers 403 naming the required roles for a valid token with another role', () => {
    const error = rejection(guard, httpContext(AlertsController, 'list', bearer(drc)));
    expect(error).toBeInstanceOf(ForbiddenException);
    expect(error.message).toMatch(/requires role supervisor or admin/);
  });

  it('lets the handler roles replace the controller roles', () => {
    const supervisor = bearer({ subject: 'office', role: 'supervisor' });
    expect(guard.canActivate(httpContext(AlertsController, 'acknowledge', bearer(drc)))).toBe(true);
    expect(
      rejection(guard, httpContext(AlertsController, 'acknowledge', supervisor)),
    ).toBeInstanceOf(ForbiddenException);
  });

  it('admits a valid token and attaches the principal', () => {
    const request = bearer(drc);
    expect(guard.canActivate(httpContext(OpenHandlerController, 'guarded', request))).toBe(true);
    expect(request.principal).toEqual(drc);
  });

  it('accepts the scheme in any case', () => {
    const request = {
      headers: {
        authorization: bearer(drc).headers.authorization!.toString().replace('Bearer', 'bearer'),
      },
    };
    expect(guard.canActivate(httpContext(OpenHandlerController, 'guarded', request))).toBe(true);
  });

  it('passes non-HTTP contexts (Kafka handlers) through untouched', () => {
    const rpc = {
      getType: () => 'rpc',
      getHandler: () => {
        throw new Error('must not look at the handler');
      },
    } as unknown as ExecutionContext;
    expect(guard.canActivate(rpc)).toBe(true);
  });
});

describe('@CurrentPrincipal', () => {
  type ParamFactory = (data: unknown, context: ExecutionContext) => unknown;
  const factory = (): ParamFactory => {
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, AlertsController, 'read') as Record<
      string,
      { factory: ParamFactory }
    >;
    return Object.values(args)[0].factory;
  };

  it('hands the handler the principal the guard attached', () => {
    const request: AuthenticatedRequest = { headers: {}, principal: drc };
    expect(factory()(undefined, httpContext(AlertsController, 'read', request))).toBe(drc);
  });

  it('fails loudly when no guard ran (a @Public route)', () => {
    expect(() =>
      factory()(undefined, httpContext(AlertsController, 'read', { headers: {} })),
    ).toThrow(/without authentication/);
  });
});
