import { sign } from 'jsonwebtoken';
import { Principal } from './principal';
import {
  DEV_AUTH_SECRET,
  InvalidTokenError,
  authConfigFrom,
  authSecretFrom,
  principalFromBearer,
  signToken,
  verifyToken,
} from './token';

const SECRET = 'test-secret';
const drc: Principal = { subject: 'drc-key', role: 'department', unit: 'DRC', region: '511112' };

const HOUR = 3600;
const MAX = 12 * HOUR;
const now = (): number => Math.floor(Date.now() / 1000);

function verifyError(token: string, secret = SECRET): InvalidTokenError {
  try {
    verifyToken(token, secret, MAX);
  } catch (error) {
    if (error instanceof InvalidTokenError) return error;
    throw error;
  }
  throw new Error('token verified but should not have');
}

/** Well-formed registered claims, for tokens forged to test the private ones. */
const claims = { issuer: 'duban', subject: 's', expiresIn: '1h' } as const;

describe('signToken / verifyToken', () => {
  it('round-trips the principal', () => {
    expect(verifyToken(signToken(drc, SECRET), SECRET, MAX)).toEqual(drc);
  });

  it('signs HS256 with issuer duban, claims sub/role/unit/region, a jti and the maximum lifetime by default', () => {
    const [header, payload] = signToken(drc, SECRET, { maxLifetimeSeconds: MAX })
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({
      iss: 'duban',
      sub: 'drc-key',
      role: 'department',
      unit: 'DRC',
    });
    expect(payload.region).toBe('511112');
    expect(payload.exp - payload.iat).toBe(MAX);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses to sign a token living longer than the maximum', () => {
    expect(() => signToken(drc, SECRET, { expiresIn: '13h', maxLifetimeSeconds: MAX })).toThrow(
      'a token may live at most 12h (DUBAN_AUTH_MAX_TOKEN_LIFETIME); 13h asked',
    );
    expect(() => signToken(drc, SECRET, { expiresIn: 'soon' })).toThrow(/got soon/);
  });

  it('refuses a token without exp', () => {
    const forever = sign({ role: 'admin' }, SECRET, { issuer: 'duban', subject: 's' });
    expect(verifyError(forever).message).toBe('token has no expiry (exp claim)');
  });

  it('refuses a token whose lifetime exceeds the maximum', () => {
    const month = sign({ role: 'admin' }, SECRET, {
      issuer: 'duban',
      subject: 's',
      expiresIn: '30d',
    });
    expect(verifyError(month).message).toBe('token lifetime 30d exceeds the maximum of 12h');
  });

  it('refuses a token without iat whose exp is further ahead than the maximum', () => {
    const undated = sign({ role: 'admin', exp: now() + 13 * HOUR }, SECRET, {
      issuer: 'duban',
      subject: 's',
      noTimestamp: true,
    });
    expect(verifyError(undated).message).toMatch(
      /^token expires at \S+, more than the maximum of 12h from now$/,
    );
  });

  it('refuses a token dated in the future to stretch its lifetime', () => {
    const backdated = sign({ role: 'admin', iat: now() + 24 * HOUR }, SECRET, {
      issuer: 'duban',
      subject: 's',
      expiresIn: '12h',
    });
    expect(verifyError(backdated).message).toMatch(/more than the maximum of 12h from now$/);
  });

  it('accepts a token within the maximum, with or without iat', () => {
    const undated = sign({ role: 'admin', exp: now() + HOUR }, SECRET, {
      issuer: 'duban',
      subject: 's',
      noTimestamp: true,
    });
    expect(verifyToken(undated, SECRET, MAX)).toEqual({ subject: 's', role: 'admin' });
  });

  it('holds bearer tokens to the configured maximum', () => {
    const day = signToken(drc, SECRET, { expiresIn: '1d', maxLifetimeSeconds: 2 * 24 * HOUR });
    expect(() => principalFromBearer(`Bearer ${day}`, SECRET, MAX)).toThrow(
      'token lifetime 1d exceeds the maximum of 12h',
    );
  });

  it('refuses an expired token', () => {
    expect(verifyError(signToken(drc, SECRET, { expiresIn: -10 })).message).toMatch(
      /^token expired at /,
    );
  });

  it('refuses a tampered signature', () => {
    const [header, payload, signature] = signToken(drc, SECRET).split('.');
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect(verifyError([header, payload, flipped].join('.')).message).toBe('invalid signature');
  });

  it('refuses a tampered payload', () => {
    const [header, , signature] = signToken(drc, SECRET).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', iss: 'duban' })).toString(
      'base64url',
    );
    expect(verifyError([header, forged, signature].join('.')).message).toBe('invalid signature');
  });

  it('refuses a token signed with another secret', () => {
    expect(verifyError(signToken(drc, 'other-secret')).message).toBe('invalid signature');
  });

  it('refuses a malformed token', () => {
    expect(verifyError('not-a-token').message).toBe('malformed token');
  });

  it('refuses an unsigned (alg none) token', () => {
    const unsigned = sign({ role: 'admin' }, '', {
      algorithm: 'none',
      issuer: 'duban',
      subject: 's',
    });
    expect(verifyError(unsigned).message).toMatch(/^invalid token: /);
  });

  it('refuses another issuer', () => {
    const foreign = sign({ role: 'admin' }, SECRET, { issuer: 'elsewhere', subject: 's' });
    expect(verifyError(foreign).message).toMatch(/issuer/);
  });

  it('refuses a department without a unit at sign time', () => {
    expect(() => signToken({ subject: 's', role: 'department' }, SECRET)).toThrow(
      /must carry a unit/,
    );
  });

  it('refuses a department without a unit at verify time', () => {
    const forged = sign({ role: 'department' }, SECRET, claims);
    expect(verifyError(forged).message).toBe(
      'invalid claims: a department principal must carry a unit',
    );
  });

  it('refuses a department without a region at sign and verify time', () => {
    expect(() => signToken({ subject: 's', role: 'department', unit: 'DRC' }, SECRET)).toThrow(
      'a department principal must carry a region',
    );
    const forged = sign({ role: 'department', unit: 'DRC' }, SECRET, claims);
    expect(verifyError(forged).message).toBe(
      'invalid claims: a department principal must carry a region',
    );
  });

  it('refuses an unknown role or a bad unit in the claims', () => {
    const boss = sign({ role: 'boss' }, SECRET, claims);
    expect(verifyError(boss).message).toMatch(/^invalid claims: role must be one of/);
    const badUnit = sign({ role: 'department', unit: 'drc', region: '511112' }, SECRET, claims);
    expect(verifyError(badUnit).message).toMatch(/^invalid claims: unit drc/);
  });

  it('refuses a token without a subject', () => {
    const anonymous = sign({ role: 'admin' }, SECRET, { issuer: 'duban', expiresIn: '1h' });
    expect(verifyError(anonymous).message).toMatch(/^invalid claims: subject/);
  });
});

describe('authSecretFrom', () => {
  it('uses DUBAN_AUTH_SECRET when set', () => {
    expect(authSecretFrom({ DUBAN_AUTH_SECRET: 'real', NODE_ENV: 'production' })).toBe('real');
  });

  it('falls back to the development secret on a declared local run only', () => {
    expect(authSecretFrom({ NODE_ENV: 'test' })).toBe(DEV_AUTH_SECRET);
    expect(authSecretFrom({ DUBAN_AUTH_SECRET: '', NODE_ENV: 'development' })).toBe(
      'duban-dev-secret-change-me',
    );
  });

  it('refuses to run production on the development secret', () => {
    expect(() => authSecretFrom({ NODE_ENV: 'production' })).toThrow(/DUBAN_AUTH_SECRET/);
    // NODE_ENV unset is production, as the services read it.
    expect(() => authSecretFrom({})).toThrow(/unless NODE_ENV is development or test/);
  });
});

describe('authConfigFrom', () => {
  it('caps token lifetime at 12 hours unless DUBAN_AUTH_MAX_TOKEN_LIFETIME says otherwise', () => {
    expect(authConfigFrom({ NODE_ENV: 'test' }).maxTokenLifetimeSeconds).toBe(MAX);
    expect(
      authConfigFrom({ NODE_ENV: 'test', DUBAN_AUTH_MAX_TOKEN_LIFETIME: '30m' })
        .maxTokenLifetimeSeconds,
    ).toBe(1800);
    expect(
      authConfigFrom({ NODE_ENV: 'test', DUBAN_AUTH_MAX_TOKEN_LIFETIME: '600' })
        .maxTokenLifetimeSeconds,
    ).toBe(600);
  });

  it.each(['12 hours', '0', '-5m'])('refuses DUBAN_AUTH_MAX_TOKEN_LIFETIME=%s', (value) => {
    expect(() =>
      authConfigFrom({ NODE_ENV: 'test', DUBAN_AUTH_MAX_TOKEN_LIFETIME: value }),
    ).toThrow(/DUBAN_AUTH_MAX_TOKEN_LIFETIME must be a positive number of seconds/);
  });
});
