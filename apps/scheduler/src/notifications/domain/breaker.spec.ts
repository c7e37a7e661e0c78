import { CLOSED, afterFailure, gate } from './breaker';

const policy = { failures: 3, coolDownMs: 60_000 };
const t0 = new Date('2026-11-29T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('subscription circuit breaker', () => {
  it('stays closed below the threshold', () => {
    const twice = afterFailure(afterFailure(CLOSED, t0, policy), t0, policy);
    expect(twice).toEqual({ consecutiveFailures: 2, pausedUntil: null });
    expect(gate(twice, t0, policy)).toEqual({ go: 'now' });
  });

  it('opens for the cool-down at the threshold, then lets one probe through', () => {
    let state = CLOSED;
    for (let i = 0; i < 3; i++) state = afterFailure(state, t0, policy);
    expect(state.pausedUntil).toEqual(at(60_000));
    expect(gate(state, at(1_000), policy)).toEqual({ go: 'later', waitMs: 59_000 });
    expect(gate(state, at(60_000), policy)).toEqual({ go: 'as-probe', probeUntil: at(120_000) });
  });

  it('opens again at once when the probe fails', () => {
    let state = CLOSED;
    for (let i = 0; i < 3; i++) state = afterFailure(state, t0, policy);
    state = afterFailure(state, at(61_000), policy);
    expect(state).toEqual({ consecutiveFailures: 4, pausedUntil: at(121_000) });
  });
});
