import { RuleViolation } from '@duban/contracts';
import type { TransportPhase } from '../../works/domain/phase';

/**
 * A section (标段) may open once its work is under construction (在建) or later: sections of a
 * long road open one by one (分段通车) while the rest is still being built, so waiting for the
 * whole work's 交工 would understate the county's operating mileage. Before construction
 * nothing has been built that could open.
 */
export const PHASES_WHERE_SECTIONS_OPEN: readonly TransportPhase[] = [
  'construction',
  'handover',
  'opened',
];

/**
 * Sections are added until the work opens (通车/通航): an opened work has every section open, and
 * a new, unopened one would contradict that.
 */
export function requireSectionsMayBeAdded(phase: TransportPhase): void {
  if (phase === 'opened') {
    throw new RuleViolation(
      'a section cannot be added to a transport work that has opened; ' +
        'sections are added until the work opens',
      'conflict',
      { phase },
    );
  }
}

export interface SectionState {
  progressPct: number;
  openedOn: string | null;
}

/** Opening completes the section: its progress becomes 100 and it stays open for good. */
export function openSection(
  s: SectionState,
  phase: TransportPhase,
  openedOn: string,
  today: string,
): SectionState {
  requireNotOpened(s, 'open');
  if (!PHASES_WHERE_SECTIONS_OPEN.includes(phase)) {
    throw new RuleViolation(
      `a section cannot open while its work is in ${phase}; ` +
        `only in ${PHASES_WHERE_SECTIONS_OPEN.join(', ')}`,
      'conflict',
      { phase },
    );
  }
  if (openedOn > today) {
    throw new RuleViolation('openedOn cannot be in the future', 'invalid', {
      errors: [{ field: 'openedOn', message: 'cannot be in the future' }],
    });
  }
  return { progressPct: 100, openedOn };
}

/** Progress is reported until the section opens; after that it is 100 and final. */
export function reportProgress(s: SectionState, progressPct: number): SectionState {
  requireNotOpened(s, 'report progress of');
  if (progressPct === s.progressPct) {
    throw new RuleViolation(`progress is already ${progressPct}%`, 'conflict');
  }
  return { ...s, progressPct };
}

function requireNotOpened(s: SectionState, action: string): void {
  if (s.openedOn) {
    throw new RuleViolation(`cannot ${action} a section that opened on ${s.openedOn}`, 'conflict', {
      openedOn: s.openedOn,
    });
  }
}
