import type { AddressPolicy } from './domain/address-policy';
import type { BreakerPolicy } from './domain/breaker';

/**
 * The webhook knobs (README, configuration). Kept apart from SchedulerConfig while that moves
 * to a validated schema; the one NODE_ENV read is `localReceiversAllowed`.
 */
export interface WebhookConfig extends AddressPolicy {
  /** Deliveries one replica runs at once. */
  concurrency: number;
  timeoutMs: number;
  /** Subscriptions one owner (unit or token subject, per region) may hold. */
  maxPerOwner: number;
  breaker: BreakerPolicy;
  /** Delivered and dead rows older than this are pruned. */
  retentionMs: number;
  pruneEveryMs: number;
}

const DAY = 86_400_000;
const num = (v: string | undefined, fallback: number): number =>
  v === undefined || v === '' ? fallback : Number(v);

export function webhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  return {
    allowLoopback: localReceiversAllowed(env),
    concurrency: num(env.DUBAN_WEBHOOK_CONCURRENCY, 8),
    timeoutMs: num(env.DUBAN_WEBHOOK_TIMEOUT_MS, 5000),
    maxPerOwner: num(env.DUBAN_WEBHOOK_MAX_PER_OWNER, 20),
    breaker: {
      failures: num(env.DUBAN_WEBHOOK_BREAKER_FAILURES, 5),
      coolDownMs: num(env.DUBAN_WEBHOOK_BREAKER_COOLDOWN_SECONDS, 300) * 1000,
    },
    retentionMs: num(env.DUBAN_WEBHOOK_RETENTION_DAYS, 30) * DAY,
    pruneEveryMs: num(env.DUBAN_WEBHOOK_PRUNE_MINUTES, 60) * 60_000,
  };
}

/**
 * Webhooks to loopback over http (the tests' and a developer's own receivers) only when
 * NODE_ENV says development or test, and even then `DUBAN_WEBHOOK_ALLOW_LOOPBACK=false` turns it
 * off; production, or an unset NODE_ENV, never has it.
 */
export function localReceiversAllowed(env: NodeJS.ProcessEnv): boolean {
  const local = env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
  return local && env.DUBAN_WEBHOOK_ALLOW_LOOPBACK !== 'false';
}

export const WEBHOOK_CONFIG = Symbol('WEBHOOK_CONFIG');
