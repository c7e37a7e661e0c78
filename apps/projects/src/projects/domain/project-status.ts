import { PROJECT_STATUSES, RuleViolation } from '@duban/contracts';

// The wire enum in contracts is the one list of statuses; this module owns the moves between them.
export { PROJECT_STATUSES };
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface StatusChange {
  status: ProjectStatus;
  suspendedFrom: ProjectStatus | null;
}

// The lifecycle only moves forward one stage at a time; a finished project is never
// 停缓建, because there is no construction left to halt.
const FORWARD: Record<ProjectStatus, ProjectStatus | null> = {
  reserve: 'pre-work',
  'pre-work': 'under-construction',
  'under-construction': 'completed',
  completed: 'in-operation',
  'in-operation': null,
  suspended: null,
};

const SUSPENDABLE: readonly ProjectStatus[] = ['reserve', 'pre-work', 'under-construction'];

/** 储备 reserve → 前期 pre-work → 在建 under-construction → 竣工 completed → 投产 in-operation; 停缓建 suspended from reserve, pre-work or under-construction, resuming only to the state it left. */
export function allowedNextStatuses(
  status: ProjectStatus,
  suspendedFrom: ProjectStatus | null,
): ProjectStatus[] {
  if (status === 'suspended') return suspendedFrom ? [suspendedFrom] : [];
  const next = FORWARD[status];
  const allowed: ProjectStatus[] = next ? [next] : [];
  if (SUSPENDABLE.includes(status)) allowed.push('suspended');
  return allowed;
}

/** Throws RuleViolation('conflict') whose message names from, to and the allowed next states, with details { from, to, allowed } */
export function changeStatus(
  status: ProjectStatus,
  suspendedFrom: ProjectStatus | null,
  target: ProjectStatus,
): StatusChange {
  const allowed = allowedNextStatuses(status, suspendedFrom);
  if (!allowed.includes(target)) {
    const options = allowed.length ? allowed.join(', ') : 'none';
    throw new RuleViolation(
      `a project cannot move from ${status} to ${target}; allowed next: ${options}`,
      'conflict',
      { from: status, to: target, allowed },
    );
  }
  if (target === 'suspended') return { status: target, suspendedFrom: status };
  return { status: target, suspendedFrom: null };
}
