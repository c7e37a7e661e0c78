import { RuleViolation } from '@duban/contracts';
import {
  EnterpriseStatus,
  allowedNext,
  changeEnterpriseStatus,
  checkChangeDate,
} from './enterprise-lifecycle';

function refusal(from: EnterpriseStatus, to: EnterpriseStatus): RuleViolation {
  try {
    changeEnterpriseStatus(from, to);
  } catch (e) {
    return e as RuleViolation;
  }
  throw new Error(`${from} → ${to} was allowed`);
}

describe('enterprise lifecycle', () => {
  it.each([
    ['signed', 'under-construction'],
    ['under-construction', 'in-production'],
    ['in-production', 'exited'],
    ['signed', 'exited'],
    ['under-construction', 'exited'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(changeEnterpriseStatus(from, to)).toBe(to);
  });

  it.each([
    ['in-production', 'signed'],
    ['in-production', 'under-construction'],
    ['under-construction', 'signed'],
    ['signed', 'signed'],
    ['in-production', 'in-production'],
    ['signed', 'in-production'],
  ] as const)('refuses %s → %s as a conflict naming from and to', (from, to) => {
    const e = refusal(from, to);
    expect(e).toBeInstanceOf(RuleViolation);
    expect(e.kind).toBe('conflict');
    expect(e.details).toMatchObject({ from, to, allowed: allowedNext(from) });
    expect(e.message).toContain(`from ${from} to ${to}`);
  });

  it('skips no step: a signed enterprise is built before it produces', () => {
    expect(allowedNext('signed')).toEqual(['under-construction', 'exited']);
    expect(refusal('signed', 'in-production').message).toBe(
      'an enterprise cannot go from signed to in-production; allowed next: under-construction, exited',
    );
  });

  it('keeps exited final', () => {
    for (const to of ['signed', 'under-construction', 'in-production', 'exited'] as const) {
      const e = refusal('exited', to);
      expect(e.details).toMatchObject({ from: 'exited', to, allowed: [] });
      expect(e.message).toContain('exited is final');
    }
  });

  it('dates a change no later than today and no earlier than the previous change', () => {
    expect(() => checkChangeDate('2026-05-01', '2026-04-01', '2026-05-01')).not.toThrow();
    expect(() => checkChangeDate('2026-05-02', '2026-04-01', '2026-05-01')).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        details: {
          errors: [{ field: 'changedOn', message: 'must not be after today (2026-05-01)' }],
        },
      }),
    );
    expect(() => checkChangeDate('2026-03-31', '2026-04-01', '2026-05-01')).toThrow(
      expect.objectContaining({ kind: 'invalid' }),
    );
  });
});
