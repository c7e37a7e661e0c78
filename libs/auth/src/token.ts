import { isLocalRun } from '@duban/contracts';
import { KeyObject, createSecretKey, randomUUID } from 'node:crypto';
import { JsonWebTokenError, JwtPayload, TokenExpiredError, sign, verify } from 'jsonwebtoken';
import { InvalidPrincipalError, Principal, toPrincipal } from './principal';

const ISSUER = 'duban';
const ALGORITHM = 'HS256';

/**
 * A leaked token is good until it expires, so none may live longer than this: a working day
 * for a person, after which `npm run token` (or the department system) issues a fresh one.
 */
export const DEFAULT_MAX_TOKEN_LIFETIME = '12h';

/** Clocks of the issuer and the service may disagree a little; more than this is refused. */
const CLOCK_SKEW_SECONDS = 60;

/** For local runs and tests only: anyone reading this repo can mint tokens with it. */
export const DEV_AUTH_SECRET = 'duban-dev-secret-change-me';

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

export interface AuthConfig {
  /** HS256 key shared by every service and the token issuer. */
  secret: string;
  /** The longest `exp - iat` a token may have (and how far ahead its `exp` may be). */
  maxTokenLifetimeSeconds: number;
}

/**
 * Every setting of token signing and checking, read from the environment in this one place:
 * `DUBAN_AUTH_SECRET` and `DUBAN_AUTH_MAX_TOKEN_LIFETIME` (seconds, or `30m`, `12h`, `7d`).
 */
export function authConfigFrom(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const lifetime = env.DUBAN_AUTH_MAX_TOKEN_LIFETIME || DEFAULT_MAX_TOKEN_LIFETIME;
  const maxTokenLifetimeSeconds = parseLifetime(lifetime);
  if (maxTokenLifetimeSeconds === undefined || maxTokenLifetimeSeconds <= 0) {
    throw new Error(
      `DUBAN_AUTH_MAX_TOKEN_LIFETIME must be a positive number of seconds or a span such as 12h; got ${lifetime}`,
    );
  }
  return { secret: secretFrom(env), maxTokenLifetimeSeconds };
}

/** The HMAC secret; production must set DUBAN_AUTH_SECRET so tokens cannot be forged. */
export const authSecretFrom = (env: NodeJS.ProcessEnv = process.env): string =>
  authConfigFrom(env).secret;

function secretFrom(env: NodeJS.ProcessEnv): string {
  const secret = env.DUBAN_AUTH_SECRET;
  if (secret) return secret;
  // The one NODE_ENV rule: only a declared local run (development, test) may use the dev secret.
  if (!isLocalRun(env)) {
    throw new Error('DUBAN_AUTH_SECRET must be set unless NODE_ENV is development or test');
  }
  return DEV_AUTH_SECRET;
}

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in `90`, `90s`, `30m`, `12h` or `7d`; undefined for anything else. */
export function parseLifetime(text: string): number | undefined {
  const match = /^(-?\d+)\s*([smhd]?)$/.exec(text.trim());
  return match ? Number(match[1]) * UNIT_SECONDS[match[2]] : undefined;
}

/** `12h`, `90m` or `45s`: the largest whole unit, so error messages read like the setting. */
export function formatLifetime(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0 && Math.abs(seconds) >= size) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

export interface SignTokenOptions {
  /** Seconds, or a span such as `30m` or `12h`; the maximum lifetime when absent. */
  expiresIn?: string | number;
  /** Defaults to the configured maximum (authConfigFrom). */
  maxLifetimeSeconds?: number;
}

/** Signs a token with a unique id (`jti`), so each issued token can be told apart in logs. */
export function signToken(
  principal: Principal,
  secret: string,
  options: SignTokenOptions = {},
): string {
  const { subject, role, unit, region } = toPrincipal(principal);
  const max = options.maxLifetimeSeconds ?? authConfigFrom().maxTokenLifetimeSeconds;
  const lifetime = lifetimeSeconds(options.expiresIn ?? max);
  if (lifetime > max) {
    throw new RangeError(
      `a token may live at most ${formatLifetime(max)} (DUBAN_AUTH_MAX_TOKEN_LIFETIME); ` +
        `${formatLifetime(lifetime)} asked`,
    );
  }
  return sign({ role, unit, region }, secret, {
    algorithm: ALGORITHM,
    issuer: ISSUER,
    subject,
    jwtid: randomUUID(),
    expiresIn: lifetime,
  });
}

function lifetimeSeconds(expiresIn: string | number): number {
  const seconds = typeof expiresIn === 'number' ? expiresIn : parseLifetime(expiresIn);
  if (seconds === undefined || !Number.isInteger(seconds)) {
    throw new RangeError(
      `expiry must be whole seconds or a span such as 30m, 12h or 7d; got ${expiresIn}`,
    );
  }
  return seconds;
}

/**
 * The HMAC key of a secret, made once. Given a string, jsonwebtoken first tries to read it as a
 * PEM public key (createPublicKey throws) and only then makes a secret key: that failed parse on
 * every request was about 8 % of the projects service's CPU under a write load.
 */
const verifyKeys = new Map<string, KeyObject>();
function verifyKey(secret: string): KeyObject {
  let key = verifyKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret));
    verifyKeys.set(secret, key);
  }
  return key;
}

export function verifyToken(
  token: string,
  secret: string,
  maxLifetimeSeconds = authConfigFrom().maxTokenLifetimeSeconds,
): Principal {
  let claims: string | JwtPayload;
  try {
    // Pinning the algorithm rejects `alg: none` and key-confusion tricks.
    claims = verify(token, verifyKey(secret), { algorithms: [ALGORITHM], issuer: ISSUER });
  } catch (error) {
    throw new InvalidTokenError(describe(error));
  }
  if (typeof claims === 'string')
    throw new InvalidTokenError('malformed token: claims are not an object');
  checkLifetime(claims, maxLifetimeSeconds);
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

/**
 * A token without `exp` would be good forever, and one minted for a year outlives any leak
 * response; `iat` may be absent or forged, so `exp` is also held against the clock.
 */
function checkLifetime(claims: JwtPayload, max: number): void {
  const { exp, iat } = claims;
  if (typeof exp !== 'number') throw new InvalidTokenError('token has no expiry (exp claim)');
  const cap = formatLifetime(max);
  if (typeof iat === 'number' && exp - iat > max) {
    throw new InvalidTokenError(
      `token lifetime ${formatLifetime(exp - iat)} exceeds the maximum of ${cap}`,
    );
  }
  const now = Math.floor(Date.now() / 1000);
  if (exp - now > max + CLOCK_SKEW_SECONDS) {
    throw new InvalidTokenError(
      `token expires at ${new Date(exp * 1000).toISOString()}, more than the maximum of ${cap} from now`,
    );
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

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The principal behind an `Authorization: Bearer <token>` value, from an HTTP request or a
 * Kafka ingest message alike; InvalidTokenError says what is wrong.
 */
export function principalFromBearer(
  header: string | undefined,
  secret: string,
  maxLifetimeSeconds = authConfigFrom().maxTokenLifetimeSeconds,
): Principal {
  if (header === undefined) throw new InvalidTokenError('missing bearer token');
  const match = BEARER.exec(header);
  if (!match) throw new InvalidTokenError('Authorization header must be "Bearer <token>"');
  return verifyToken(match[1], secret, maxLifetimeSeconds);
}
