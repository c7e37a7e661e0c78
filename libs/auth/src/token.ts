import {
  JsonWebTokenError,
  JwtPayload,
  SignOptions,
  TokenExpiredError,
  sign,
  verify,
} from 'jsonwebtoken';
import { InvalidPrincipalError, Principal, toPrincipal } from './principal';

const ISSUER = 'duban';
const ALGORITHM = 'HS256';
const DEFAULT_EXPIRES_IN = '30d';

/** For local runs and tests only: anyone reading this repo can mint tokens with it. */
export const DEV_AUTH_SECRET = 'duban-dev-secret-change-me';

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

export interface SignTokenOptions {
  /** Seconds, or a timespan such as `30d` or `12h`. */
  expiresIn?: string | number;
}

export function signToken(
  principal: Principal,
  secret: string,
  options: SignTokenOptions = {},
): string {
  const { subject, role, unit, region } = toPrincipal(principal);
  return sign({ role, unit, region }, secret, {
    algorithm: ALGORITHM,
    issuer: ISSUER,
    subject,
    // jsonwebtoken types timespans as a template literal; it validates the string at runtime.
    expiresIn: (options.expiresIn ?? DEFAULT_EXPIRES_IN) as SignOptions['expiresIn'],
  });
}

export function verifyToken(token: string, secret: string): Principal {
  let claims: string | JwtPayload;
  try {
    // Pinning the algorithm rejects `alg: none` and key-confusion tricks.
    claims = verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER });
  } catch (error) {
    throw new InvalidTokenError(describe(error));
  }
  if (typeof claims === 'string')
    throw new InvalidTokenError('malformed token: claims are not an object');
  try {
    return toPrincipal({
      subject: claims.sub,
      role: claims.role,
      unit: claims.unit,
      region: claims.region,
    });
  } catch (error) {
    if (error instanceof InvalidPrincipalError) {
      throw new InvalidTokenError(`invalid claims: ${error.message}`);
    }
    throw error;
  }
}

function describe(error: unknown): string {
  if (error instanceof TokenExpiredError)
    return `token expired at ${error.expiredAt.toISOString()}`;
  if (error instanceof JsonWebTokenError) {
    if (error.message === 'invalid signature') return 'invalid signature';
    if (error.message === 'jwt malformed') return 'malformed token';
    return `invalid token: ${error.message}`;
  }
  return `invalid token: ${String(error)}`;
}

/** The HMAC secret; production must set DUBAN_AUTH_SECRET so tokens cannot be forged. */
export function authSecretFrom(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.DUBAN_AUTH_SECRET;
  if (secret) return secret;
  if (env.NODE_ENV === 'production') {
    throw new Error('DUBAN_AUTH_SECRET must be set when NODE_ENV=production');
  }
  return DEV_AUTH_SECRET;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The principal behind an `Authorization: Bearer <token>` value, from an HTTP request or a
 * Kafka ingest message alike; InvalidTokenError says what is wrong.
 */
export function principalFromBearer(header: string | undefined, secret: string): Principal {
  if (header === undefined) throw new InvalidTokenError('missing bearer token');
  const match = BEARER.exec(header);
  if (!match) throw new InvalidTokenError('Authorization header must be "Bearer <token>"');
  return verifyToken(match[1], secret);
}
