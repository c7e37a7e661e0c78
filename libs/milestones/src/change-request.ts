import { z } from 'zod';
import {
  type ChangeRequestKind,
  type ChangeRequestState,
  MilestoneSubjectType,
  RuleViolation,
} from '@duban/contracts';
import { Principal, actorName, mayReadRegion } from '@duban/auth';
import type { MilestoneCommand } from './command';

export type ChangeDecision = 'approve' | 'reject' | 'withdraw';

/**
 * A change request (变更申请): a unit asked to move or drop a deadline. The milestone keeps its
 * date until a supervisor of the region (or an admin) approves; only then is the stored command
 * applied, so an alert on the old date stays open meanwhile.
 */
export interface ChangeRequestRecord {
  id: string;
  subjectType: z.infer<typeof MilestoneSubjectType>;
  /** The subject as the milestone events name it (a project, a transport work, a task). */
  subjectId: string;
  /** The aggregate whose lock orders every change of the milestone (project, work, campaign). */
  aggregateId: string;
  milestoneId: string;
  regionCode: string;
  kind: ChangeRequestKind;
  /** The planned date asked for; null for a cancellation. */
  proposedDate: string | null;
  reason: string;
  state: ChangeRequestState;
  requestedBy: string;
  /** The unit that asked (null for a token without a unit); it alone may withdraw. */
  requestingUnit: string | null;
  requestedAt: string;
  decidedBy: string | null;
  decisionNote: string | null;
  decidedAt: string | null;
}

export type NewChangeRequest = Pick<
  ChangeRequestRecord,
  'id' | 'subjectType' | 'subjectId' | 'aggregateId' | 'milestoneId' | 'regionCode'
>;

/** The request a reschedule or cancel command becomes when it needs approval. */
export function requestChange(
  subject: NewChangeRequest,
  command: Extract<MilestoneCommand, { kind: ChangeRequestKind }>,
  actor: Principal,
  at: string,
): ChangeRequestRecord {
  return {
    ...subject,
    kind: command.kind,
    proposedDate: command.kind === 'reschedule' ? command.plannedDate : null,
    reason: command.reason.trim(),
    state: 'requested',
    requestedBy: actorName(actor),
    requestingUnit: actor.unit ?? null,
    requestedAt: at,
    decidedBy: null,
    decisionNote: null,
    decidedAt: null,
  };
}

/** The command the request stands for, applied as asked once approved. */
export function commandOf(r: ChangeRequestRecord): MilestoneCommand {
  return r.kind === 'reschedule'
    ? { kind: 'reschedule', plannedDate: r.proposedDate!, reason: r.reason }
    : { kind: 'cancel', reason: r.reason };
}

export function isChangeRequestKind(kind: MilestoneCommand['kind']): kind is ChangeRequestKind {
  return kind === 'reschedule' || kind === 'cancel';
}

/**
 * Whether the caller may see the request at all (if not, it answers 404): a department only the
 * requests its unit made in its region; supervisors and integrators their region; admins all.
 */
export function mayReadRequest(actor: Principal, r: ChangeRequestRecord): boolean {
  if (!mayReadRegion(actor, r.regionCode)) return false;
  return actor.role !== 'department' || actor.unit === r.requestingUnit;
}

const DECIDED_BY: Readonly<Record<ChangeDecision, string>> = {
  approve: 'a supervisor of the region or an admin',
  reject: 'a supervisor of the region or an admin',
  withdraw: 'the requesting unit or an admin',
};

/** 403 unless the caller may take this decision; visibility (404) is checked before. */
export function assertMayDecide(actor: Principal, r: ChangeRequestRecord, d: ChangeDecision): void {
  if (mayDecide(actor, r, d)) return;
  throw new RuleViolation(
    `change request ${r.id} may be ${PAST[d]} only by ${DECIDED_BY[d]}`,
    'forbidden',
  );
}

function mayDecide(actor: Principal, r: ChangeRequestRecord, d: ChangeDecision): boolean {
  if (actor.role === 'admin') return true;
  // The supervised never decide their own requests: a department only withdraws.
  if (d === 'withdraw') return actor.role === 'department' && actor.unit === r.requestingUnit;
  return actor.role === 'supervisor' && mayReadRegion(actor, r.regionCode);
}

const PAST: Readonly<Record<ChangeDecision, ChangeRequestState>> = {
  approve: 'approved',
  reject: 'rejected',
  withdraw: 'withdrawn',
};

export interface Decided {
  request: ChangeRequestRecord;
  /** False for a repeated approval: nothing to store, apply or publish again. */
  changed: boolean;
}

/**
 * requested → approved | rejected | withdrawn, and nothing after. Approving an approved request
 * again answers it unchanged, so a supervisor's retry is harmless; any other decision on a
 * decided request is a 409 naming its state. A rejection must say why (the note).
 */
export function decide(
  r: ChangeRequestRecord,
  d: ChangeDecision,
  who: { by: string; at: string; note: string | null },
): Decided {
  if (d === 'approve' && r.state === 'approved') return { request: r, changed: false };
  if (r.state !== 'requested') {
    throw new RuleViolation(
      `change request ${r.id} is already ${r.state}; it cannot be ${PAST[d]}`,
      'conflict',
      { state: r.state },
    );
  }
  const note = who.note?.trim() || null;
  if (d === 'reject' && !note) {
    throw new RuleViolation('a rejection must say why', 'invalid', {
      errors: [{ field: 'note', message: 'must not be blank' }],
    });
  }
  return {
    request: { ...r, state: PAST[d], decidedBy: who.by, decisionNote: note, decidedAt: who.at },
    changed: true,
  };
}

/** At most one open request per milestone: a second one is a 409 naming the first. */
export function assertNoOpenRequest(open: ChangeRequestRecord | null, milestoneId: string): void {
  if (!open) return;
  throw new RuleViolation(
    `milestone ${milestoneId} already has an open change request ${open.id}`,
    'conflict',
    { changeRequestId: open.id },
  );
}
