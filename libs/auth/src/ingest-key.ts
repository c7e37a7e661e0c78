import { isLocalRun } from '@duban/contracts';
import { IngestTrust } from './ingest-signature';

/** For local runs and tests only: anyone reading this repo can derive every department's key. */
export const DEV_INGEST_SECRET = 'duban-dev-ingest-secret-change-me';

const DEFAULT_REPLAY_WINDOW_SECONDS = 600;

/**
 * The secret every department's ingest key is derived from. Kept apart from
 * DUBAN_AUTH_SECRET so that rotating bearer tokens does not re-key every department system.
 */
export function ingestSecretFrom(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.DUBAN_INGEST_SECRET;
  if (secret) return secret;
  // The one NODE_ENV rule: only a declared local run (development, test) may use the dev secret.
  if (!isLocalRun(env)) {
    throw new Error('DUBAN_INGEST_SECRET must be set unless NODE_ENV is development or test');
  }
  return DEV_INGEST_SECRET;
}

/**
 * `DUBAN_INGEST_MIN_KEY_VERSIONS`, e.g. `511112:AGRI=2,511112:WATER=3`: a unit's keys below its
 * version are revoked. Read once at boot; a typo must stop the service, not silently revoke
 * nothing.
 */
export function parseMinKeyVersions(spec = ''): (region: string, unit: string) => number {
  const mins = new Map<string, number>();
  for (const entry of spec.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const m = /^(\d{6}:[A-Z0-9][A-Z0-9-]{1,31})=([1-9]\d{0,8})$/.exec(entry);
    if (!m) {
      throw new Error(`DUBAN_INGEST_MIN_KEY_VERSIONS: "${entry}" is not <region>:<unit>=<version>`);
    }
    mins.set(m[1], Number(m[2]));
  }
  return (region, unit) => mins.get(`${region}:${unit}`) ?? 1;
}

export function ingestTrustFrom(env: NodeJS.ProcessEnv = process.env): IngestTrust {
  const seconds = Number(env.DUBAN_INGEST_REPLAY_WINDOW_SECONDS ?? DEFAULT_REPLAY_WINDOW_SECONDS);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error('DUBAN_INGEST_REPLAY_WINDOW_SECONDS must be a positive whole number');
  }
  return {
    serverSecret: ingestSecretFrom(env),
    replayWindowMs: seconds * 1000,
    minKeyVersion: parseMinKeyVersions(env.DUBAN_INGEST_MIN_KEY_VERSIONS),
  };
}
