import { sign } from 'jsonwebtoken';
import { Principal } from './principal';
import {
  DEV_AUTH_SECRET,
  InvalidTokenError,
  authSecretFrom,
  signToken,
  verifyToken,
} from './token';

const SECRET = 'test-secret';
const drc: Principal = { subject: 'drc-key', role: 'department', unit: 'DRC', region: '511112' };

function verifyError(token: string, secret = SECRET): InvalidTokenError {
  try {
    verifyToken(token, secret);
  } catch (error) {
    if (error instanceof InvalidTokenError) return error;
    throw error;
  }
  throw new Error('token verified but should not have');
}

describe('signToken / verifyToken', () => {
  it('round-trips the principal', () => {
    expect(verifyToken(signToken(drc, SECRET), SECRET)).toEqual(drc);
  });

  it('signs HS256 with issuer duban, claims sub/role/unit/region and a 30-day default expiry', () => {
    const [header, payload] = signToken(drc, SECRET)
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
    expect(payload.exp - payload.iat).toBe(30 * 24 * 3600);
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
    const forged = sign({ role: 'department' }, SECRET, { issuer: 'duban', subject: 's' });
    expect(verifyError(forged).message).toBe(
      'invalid claims: a department principal must carry a unit',
    );
  });

  it('refuses an unknown role or a bad unit in the claims', () => {
    const boss = sign({ role: 'boss' }, SECRET, { issuer: 'duban', subject: 's' });
    expect(verifyError(boss).message).toMatch(/^invalid claims: role must be one of/);
    const badUnit = sign({ role: 'department', unit: 'drc' }, SECRET, {
      issuer: 'duban',
      subject: 's',
    });
    expect(verifyError(badUnit).message).toMatch(/^invalid claims: unit drc/);
  });

  it('refuses a token without a subject', () => {
    const anonymous = sign({ role: 'admin' }, SECRET, { issuer: 'duban' });
    expect(verifyError(anonymous).message).toMatch(/^invalid claims: subject/);
  });
});

describe('authSecretFrom', () => {
  it('uses DUBAN_AUTH_SECRET when set', () => {
    expect(authSecretFrom({ DUBAN_AUTH_SECRET: 'real', NODE_ENV: 'production' })).toBe('real');
  });

  it('falls back to the development secret outside production', () => {
    expect(authSecretFrom({})).toBe(DEV_AUTH_SECRET);
    expect(authSecretFrom({ DUBAN_AUTH_SECRET: '', NODE_ENV: 'development' })).toBe(
      'duban-dev-secret-change-me',
    );
  });

  it('refuses to run production on the development secret', () => {
    expect(() => authSecretFrom({ NODE_ENV: 'production' })).toThrow(/DUBAN_AUTH_SECRET/);
  });
});
