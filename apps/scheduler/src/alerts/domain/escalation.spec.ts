import {
  DEFAULT_ESCALATION,
  dueLevel,
  ESCALATION_LEVELS,
  EscalationPolicy,
  nextEscalationAt,
} from './escalation';

const HOUR = 60 * 60 * 1000;
const since = new Date('2026-07-01T00:00:00Z');
const after = (hours: number) => new Date(since.getTime() + hours * HOUR);

describe('escalation levels', () => {
  it('go from the owner unit to the supervisors office to the responsible leader', () => {
    expect(ESCALATION_LEVELS).toEqual(['owner-unit', 'supervisors-office', 'responsible-leader']);
  });

  it('wait 48 h and then 72 h by default', () => {
    expect(DEFAULT_ESCALATION.afterMs).toEqual([48 * HOUR, 72 * HOUR]);
  });
});

describe('nextEscalationAt', () => {
  it('is 48 h after reaching the owner unit', () => {
    expect(nextEscalationAt(0, since, false)).toEqual(after(48));
  });

  it('is 72 h after reaching the supervisors office', () => {
    expect(nextEscalationAt(1, since, false)).toEqual(after(72));
  });

  it('is null at the top level', () => {
    expect(nextEscalationAt(2, since, false)).toBeNull();
  });

  it('is null once acknowledged', () => {
    expect(nextEscalationAt(0, since, true)).toBeNull();
    expect(nextEscalationAt(1, since, true)).toBeNull();
  });

  it('follows a custom policy', () => {
    const quick: EscalationPolicy = { afterMs: [1 * HOUR, 2 * HOUR] };
    expect(nextEscalationAt(0, since, false, quick)).toEqual(after(1));
    expect(nextEscalationAt(1, since, false, quick)).toEqual(after(2));
  });
});

describe('dueLevel', () => {
  it('stays at the owner unit until 48 h have passed', () => {
    expect(dueLevel(0, since, false, new Date(after(48).getTime() - 1))).toBe(0);
  });

  it('rises to the supervisors office at 48 h', () => {
    expect(dueLevel(0, since, false, after(48))).toBe(1);
  });

  it('stays at the supervisors office until a further 72 h have passed', () => {
    expect(dueLevel(0, since, false, new Date(after(48 + 72).getTime() - 1))).toBe(1);
  });

  it('jumps from the owner unit straight to the leader after 48 h + 72 h', () => {
    expect(dueLevel(0, since, false, after(48 + 72))).toBe(2);
  });

  it('counts level 1 time from its own since', () => {
    expect(dueLevel(1, since, false, after(71))).toBe(1);
    expect(dueLevel(1, since, false, after(72))).toBe(2);
  });

  it('stays at the top level however long it waits', () => {
    expect(dueLevel(2, since, false, after(10_000))).toBe(2);
  });

  it('keeps an acknowledged alert where it is', () => {
    expect(dueLevel(0, since, true, after(10_000))).toBe(0);
    expect(dueLevel(1, since, true, after(10_000))).toBe(1);
  });

  it('never goes down, even if the clock reads before since', () => {
    expect(dueLevel(1, since, false, after(-100))).toBe(1);
    expect(dueLevel(2, since, false, after(-100))).toBe(2);
  });
});
