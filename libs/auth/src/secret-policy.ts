import { DEV_AUTH_SECRET } from './token';

/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output, 256 bits. */
export const MIN_SECRET_BYTES = 32;

/**
 * Values published in this repo (the dev default, the compose default, the k8s template) or in
 * every tutorial: a service keyed with one accepts tokens minted by anyone who has read them.
 */
const PLACEHOLDERS = [
  DEV_AUTH_SECRET,
  'change-me-local-compose-secret',
  'REPLACE_WITH_32_RANDOM_BYTES_HEX',
  'secret',
  'changeme',
  'change-me',
  'password',
];
const PLACEHOLDER_MARKS = /change[-_ ]?me|replace[-_ ]?with|placeholder|your[-_ ]?secret|example/i;

/**
 * Why `secret` must not sign production tokens, or null when it may. Says nothing of the
 * value itself, so the reason can go to logs.
 */
export function productionSecretProblem(secret: string | undefined): string | null {
  if (!secret) return 'must be set in production';
  if (secret === DEV_AUTH_SECRET) return 'is the development default';
  const placeholder = PLACEHOLDERS.some((p) => p.toLowerCase() === secret.toLowerCase());
  if (placeholder || PLACEHOLDER_MARKS.test(secret)) return 'is a known placeholder';
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    return `must be at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -hex 32)`;
  }
  return null;
}
