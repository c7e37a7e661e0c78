import { RuleViolation, TRANSPORT_GATES, TRANSPORT_PHASES } from '@duban/contracts';
import {
  GATES_TO_LEAVE,
  GateStanding,
  TransportPhase,
  advancePhase,
  nextPhase,
  requireSectionsOpened,
} from './phase';

const all = (status: GateStanding['status']): GateStanding[] =>
  TRANSPORT_GATES.map((gate) => ({ gate, status }));

function refusal(from: TransportPhase, to: TransportPhase, gates: GateStanding[]): RuleViolation {
  try {
    advancePhase(from, to, gates);
  } catch (err) {
    if (err instanceof RuleViolation) return err;
    throw err;
  }
  throw new Error(`expected ${from} → ${to} to be refused`);
}

describe('transport work phases', () => {
  it('walks planning → pre-work → tender → construction → handover → opened when every gate is met', () => {
    let phase: TransportPhase = 'planning';
    const walked: TransportPhase[] = [phase];
    for (let next = nextPhase(phase); next; next = nextPhase(phase)) {
      phase = advancePhase(phase, next, all('met'));
      walked.push(phase);
    }
    expect(walked).toEqual([...TRANSPORT_PHASES]);
  });

  it('guards leaving pre-work with 预可研, 工可, 立项/核准, 初步设计 and leaving tender with 用地/环评', () => {
    expect(GATES_TO_LEAVE).toEqual({
      'pre-work': ['pre-feasibility', 'feasibility-study', 'approval', 'preliminary-design'],
      tender: ['land-and-environment'],
    });
  });

  const guarded = Object.entries(GATES_TO_LEAVE).flatMap(([from, gates]) =>
    gates!.map((gate) => [from as TransportPhase, gate] as const),
  );

  it.each(guarded)('refuses to leave %s while %s is pending, naming it', (from, gate) => {
    const gates = all('met').map((g) =>
      g.gate === gate ? { gate, status: 'pending' as const } : g,
    );
    const err = refusal(from, nextPhase(from)!, gates);
    expect(err.kind).toBe('conflict');
    expect(err.message).toContain(`${gate} (`);
    expect(err.message).toContain('is not met');
    expect(err.details).toMatchObject({ from, to: nextPhase(from), unmetGates: [gate] });
  });

  it.each(guarded)('refuses to leave %s while %s was never set', (from, gate) => {
    const err = refusal(
      from,
      nextPhase(from)!,
      all('met').filter((g) => g.gate !== gate),
    );
    expect(err.message).toContain(`${gate}`);
    expect(err.message).toContain('never set');
  });

  it('names every unmet gate with its Chinese term', () => {
    const err = refusal('pre-work', 'tender', all('pending'));
    expect(err.message).toBe(
      'a transport work cannot move from pre-work to tender: ' +
        'pre-feasibility (预可研) is not met; feasibility-study (工可) is not met; ' +
        'approval (立项/核准) is not met; preliminary-design (初步设计) is not met',
    );
    expect(err.details.unmetGates).toEqual([
      'pre-feasibility',
      'feasibility-study',
      'approval',
      'preliminary-design',
    ]);
  });

  it('counts a waived (cancelled) gate as passed, and a missed one as not', () => {
    const waived = all('cancelled');
    expect(advancePhase('pre-work', 'tender', waived)).toBe('tender');
    expect(advancePhase('tender', 'construction', waived)).toBe('construction');
    expect(refusal('tender', 'construction', all('missed')).details.unmetGates).toEqual([
      'land-and-environment',
    ]);
  });

  it('does not ask for 用地/环评 to leave pre-work', () => {
    const gates = all('met').map((g) =>
      g.gate === 'land-and-environment' ? { ...g, status: 'pending' as const } : g,
    );
    expect(advancePhase('pre-work', 'tender', gates)).toBe('tender');
  });

  it('lets planning, construction and handover go on with no gate at all', () => {
    expect(advancePhase('planning', 'pre-work', [])).toBe('pre-work');
    expect(advancePhase('construction', 'handover', [])).toBe('handover');
    expect(advancePhase('handover', 'opened', [])).toBe('opened');
  });

  it.each([
    ['planning', 'tender', 'only to pre-work'],
    ['pre-work', 'construction', 'only to tender'],
    ['construction', 'opened', 'only to handover'],
    ['tender', 'pre-work', 'only to construction'],
    ['construction', 'planning', 'only to handover'],
    ['pre-work', 'pre-work', 'only to tender'],
    ['opened', 'handover', 'none'],
  ] as const)('refuses %s → %s (no skips, never back), naming both', (from, to, allowed) => {
    const err = refusal(from, to, all('met'));
    expect(err.kind).toBe('conflict');
    expect(err.message).toContain(`from ${from} to ${to}`);
    expect(err.message).toContain(allowed);
    expect(err.details).toMatchObject({ from, to });
  });

  it('checks the order of the move before the gates', () => {
    const err = refusal('pre-work', 'construction', all('pending'));
    expect(err.details.unmetGates).toBeUndefined();
  });
});

describe('opening a work that has sections', () => {
  const section = (name: string, openedOn: string | null) => ({ name, openedOn });

  it('refuses opened while any section is unopened, naming each', () => {
    const sections = [section('TJ1', '2026-10-01'), section('TJ2', null), section('TJ3', null)];
    let err: unknown;
    try {
      requireSectionsOpened('opened', sections);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuleViolation);
    expect(err).toMatchObject({
      kind: 'conflict',
      message:
        'a transport work cannot move to opened while 2 of its sections are not open: TJ2, TJ3',
      details: { to: 'opened', unopenedSections: ['TJ2', 'TJ3'] },
    });
  });

  it('allows opened once every section is open, or when the work has none', () => {
    expect(() => requireSectionsOpened('opened', [section('TJ1', '2026-10-01')])).not.toThrow();
    expect(() => requireSectionsOpened('opened', [])).not.toThrow();
  });

  it('does not hold back the earlier phases', () => {
    expect(() => requireSectionsOpened('handover', [section('TJ1', null)])).not.toThrow();
  });
});
