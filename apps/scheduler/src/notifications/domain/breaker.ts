/**
 * A circuit breaker per subscription: after `failures` consecutive failed attempts its
 * deliveries wait out a cool-down instead of occupying the worker, so one dead receiver delays
 * no other. The first attempt after the cool-down is the probe: a success closes the breaker,
 * a failure opens it again at once.
 */
export interface BreakerPolicy {
  failures: number;
  coolDownMs: number;
}

export interface BreakerState {
  consecutiveFailures: number;
  pausedUntil: Date | null;
}

export const CLOSED: BreakerState = { consecutiveFailures: 0, pausedUntil: null };

export function afterFailure(state: BreakerState, now: Date, policy: BreakerPolicy): BreakerState {
  const consecutiveFailures = state.consecutiveFailures + 1;
  return {
    consecutiveFailures,
    pausedUntil:
      consecutiveFailures >= policy.failures
        ? new Date(now.getTime() + policy.coolDownMs)
        : state.pausedUntil,
  };
}

/**
 * Whether a delivery may go now. Once a cool-down has passed, the delivery that claims the
 * probe goes alone; the others wait for its outcome rather than all hitting a dead receiver.
 */
export type Gate =
  { go: 'now' } | { go: 'as-probe'; probeUntil: Date } | { go: 'later'; waitMs: number };

export function gate(state: BreakerState, now: Date, policy: BreakerPolicy): Gate {
  if (!state.pausedUntil) return { go: 'now' };
  const waitMs = state.pausedUntil.getTime() - now.getTime();
  if (waitMs > 0) return { go: 'later', waitMs };
  return { go: 'as-probe', probeUntil: new Date(now.getTime() + policy.coolDownMs) };
}
