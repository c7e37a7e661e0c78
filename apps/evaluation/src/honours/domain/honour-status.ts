import { HonourStatus, RuleViolation } from '@duban/contracts';

/** 目标 → 已申报 → 入围 → 获评 | 未获评: where each status may go next. */
const NEXT: Readonly<Record<HonourStatus, readonly HonourStatus[]>> = {
  targeted: ['applied', 'not-awarded'],
  applied: ['shortlisted', 'awarded', 'not-awarded'],
  shortlisted: ['awarded', 'not-awarded'],
  awarded: [],
  'not-awarded': [],
};

/** How far along the way a status is: reaching it meets every deadline of an earlier stage. */
const STAGE_ORDER: Readonly<Record<HonourStatus, number>> = {
  targeted: 0,
  applied: 1,
  shortlisted: 2,
  awarded: 3,
  'not-awarded': -1,
};

export function changeHonourStatus(from: HonourStatus, to: HonourStatus): HonourStatus {
  if (!NEXT[from].includes(to)) {
    const allowed = NEXT[from];
    throw new RuleViolation(
      `an honour cannot go from ${from} to ${to}` +
        (allowed.length
          ? `; from ${from} it may go to ${allowed.join(', ')}`
          : `: ${from} is final`),
      'conflict',
      { from, to, allowed },
    );
  }
  return to;
}

export interface DeadlineState {
  milestoneId: string;
  name: string;
  plannedDate: string;
  stage: 'applied' | 'shortlisted' | 'awarded';
  status: 'pending' | 'met' | 'cancelled';
  actualDate: string | null;
}

/**
 * The deadlines after reaching `status` on `on`: pending ones of a stage reached are met that
 * day; when the honour is not awarded, those still pending no longer apply (cancelled).
 * Returns the new list and the deadlines that changed.
 */
export function settleDeadlines(
  deadlines: readonly DeadlineState[],
  status: HonourStatus,
  on: string,
): { deadlines: DeadlineState[]; changed: DeadlineState[] } {
  const changed: DeadlineState[] = [];
  const next = deadlines.map((d) => {
    if (d.status !== 'pending') return d;
    let settled: DeadlineState | null = null;
    if (status === 'not-awarded') settled = { ...d, status: 'cancelled' };
    else if (STAGE_ORDER[status] >= STAGE_ORDER[d.stage])
      settled = { ...d, status: 'met', actualDate: on };
    if (settled) changed.push(settled);
    return settled ?? d;
  });
  return { deadlines: next, changed };
}
