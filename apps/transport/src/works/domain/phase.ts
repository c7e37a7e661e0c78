import { RuleViolation, TRANSPORT_PHASES, type TransportGate } from '@duban/contracts';

// The wire enums in contracts are the one list of phases and gates; this module owns the rules.
export type TransportPhase = (typeof TRANSPORT_PHASES)[number];

/** The Chinese term of each gate, for messages a county official reads. */
export const GATE_TERMS: Readonly<Record<TransportGate, string>> = {
  'pre-feasibility': '预可研',
  'feasibility-study': '工可',
  approval: '立项/核准',
  'preliminary-design': '初步设计',
  'land-and-environment': '用地/环评',
};

/**
 * Which gates must be met (or formally waived, i.e. cancelled, which only an admin may do) before a work may leave a phase.
 * Tendering (招标) needs the approved preliminary design and everything before it; breaking
 * ground (在建) also needs the land and environmental approvals, which often come last and are
 * commonly pursued while the tender runs. No gate guards the later phases.
 *
 * A required gate that was never set blocks too: every work must account for each of its
 * gates, if only by waiving one that does not apply (e.g. 预可研 for a rural road).
 */
export const GATES_TO_LEAVE: Readonly<Partial<Record<TransportPhase, readonly TransportGate[]>>> = {
  'pre-work': ['pre-feasibility', 'feasibility-study', 'approval', 'preliminary-design'],
  tender: ['land-and-environment'],
};

export interface GateStanding {
  gate: TransportGate;
  status: 'pending' | 'met' | 'missed' | 'cancelled';
}

const PASSED: readonly GateStanding['status'][] = ['met', 'cancelled'];

export function nextPhase(phase: TransportPhase): TransportPhase | null {
  return TRANSPORT_PHASES[TRANSPORT_PHASES.indexOf(phase) + 1] ?? null;
}

export interface UnmetGate {
  gate: TransportGate;
  message: string;
}

/** The gates guarding `phase` that are neither met nor waived, each with why. */
export function unmetGates(phase: TransportPhase, gates: readonly GateStanding[]): UnmetGate[] {
  return (GATES_TO_LEAVE[phase] ?? []).flatMap((gate) => {
    const found = gates.find((g) => g.gate === gate);
    const named = `${gate} (${GATE_TERMS[gate]}) is not met`;
    if (!found) return [{ gate, message: `${named}: it was never set` }];
    return PASSED.includes(found.status) ? [] : [{ gate, message: named }];
  });
}

/**
 * Phases advance one step at a time and never go back: a work that reached 在建 stays there
 * even if a later review reopens a design question (that is a new gate date, not a phase).
 * Throws a conflict naming from, to and, when gates block, each unmet gate.
 */
export function advancePhase(
  from: TransportPhase,
  to: TransportPhase,
  gates: readonly GateStanding[],
): TransportPhase {
  const next = nextPhase(from);
  if (to !== next) {
    const allowed = next ? `only to ${next}` : 'none: opened is the last phase';
    throw new RuleViolation(
      `a transport work cannot move from ${from} to ${to}; one phase forward at a time, ` +
        `never back (allowed next: ${allowed})`,
      'conflict',
      { from, to, allowed: next ? [next] : [] },
    );
  }
  const unmet = unmetGates(from, gates);
  if (unmet.length) {
    throw new RuleViolation(
      `a transport work cannot move from ${from} to ${to}: ${unmet.map((u) => u.message).join('; ')}`,
      'conflict',
      { from, to, unmetGates: unmet.map((u) => u.gate) },
    );
  }
  return to;
}

export interface SectionStanding {
  name: string;
  openedOn: string | null;
}

/**
 * 通车/通航 means the whole work is open: a work with sections reaches it only once every
 * section has opened (a work without sections reports no sections to wait for). Throws a
 * conflict naming each section still unopened.
 */
export function requireSectionsOpened(
  to: TransportPhase,
  sections: readonly SectionStanding[],
): void {
  if (to !== 'opened') return;
  const unopened = sections.filter((s) => !s.openedOn).map((s) => s.name);
  if (unopened.length) {
    throw new RuleViolation(
      `a transport work cannot move to opened while ${unopened.length} of its sections ` +
        `${unopened.length === 1 ? 'is' : 'are'} not open: ${unopened.join(', ')}`,
      'conflict',
      { to, unopenedSections: unopened },
    );
  }
}
