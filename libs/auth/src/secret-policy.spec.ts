import { productionSecretProblem } from './secret-policy';
import { DEV_AUTH_SECRET } from './token';

const STRONG = 'f3a9c2e87b1d4056a9e2c7b3d8f1e0a4c6b2d9e8f7a1c3b5';

describe('productionSecretProblem', () => {
  it('accepts 32 random bytes or more', () => {
    expect(productionSecretProblem(STRONG)).toBeNull();
  });

  it.each([undefined, ''])('refuses a missing secret (%p)', (secret) => {
    expect(productionSecretProblem(secret)).toBe('must be set in production');
  });

  it('refuses the development default', () => {
    expect(productionSecretProblem(DEV_AUTH_SECRET)).toBe('is the development default');
  });

  it.each([
    'change-me',
    'changeme',
    'secret',
    'SECRET',
    'change-me-local-compose-secret',
    'REPLACE_WITH_32_RANDOM_BYTES_HEX',
    'please-change-me-before-going-live-0123456789',
  ])('refuses the placeholder %p', (secret) => {
    expect(productionSecretProblem(secret)).toBe('is a known placeholder');
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(productionSecretProblem('a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5')).toMatch(/at least 32 bytes/);
  });

  it('never repeats the secret in its reason', () => {
    const short = 'k9x2m4p7q1w3';
    expect(productionSecretProblem(short)).not.toContain(short);
  });
});
