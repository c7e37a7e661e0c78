/**
 * The supervisors' office (督查室) and the supervised units closing the loop, as pure decisions:
 * a supervisor approves or rejects a change request, an owner unit acknowledges an open alert
 * with a commitment date, a supervisor verifies a resolved alert (销号) or sends it back. Nothing
 * here does I/O or reads the clock; `supervisor-io.ts` does.
 */
import { addDays } from '@duban/contracts';
import type { Rng } from './actions';
import type { Domain } from './mix';

export interface SimChangeRequest {
  id: string;
  domain: Domain;
  kind: 'reschedule' | 'cancel';
  proposedDate: string | null;
  reason: string;
  requestingUnit: string | null;
}

export interface SimAlert {
  id: string;
  rule: string;
  state: string;
  ownerUnit: string;
  region: string;
  milestoneName: string;
}

/** What the supervision pass read this tick. */
export interface Supervision {
  requests: SimChangeRequest[];
  openAlerts: SimAlert[];
  resolvedAlerts: SimAlert[];
}

export type SupervisorAction =
  | { kind: 'approve' | 'reject'; request: SimChangeRequest; body: { note: string } }
  | { kind: 'acknowledge'; alert: SimAlert; body: { note: string; commitDate: string } }
  | { kind: 'close' | 'reopen'; alert: SimAlert; body: { note: string } };

export const SUPERVISOR_KINDS = ['approve', 'reject', 'acknowledge', 'close', 'reopen'] as const;

const APPROVE_NOTES = ['同意调整，请按新节点推进', '理由充分，同意', '同意，请加强调度'];
const REJECT_NOTES = ['理由不充分，请按原计划推进', '不同意延期，请制定赶工措施'];
const MEASURES = [
  '已召开专题调度会，增加施工力量',
  '已协调自然资源局加快用地报批',
  '已督促施工单位倒排工期、挂图作战',
  '已落实专人跟踪，每周报告进展',
];
const CLOSE_NOTES = ['经核实已办结，同意销号', '现场核查属实，予以销号'];
const REOPEN_NOTES = ['核查发现未实际完成，退回重办'];

/**
 * One decision for this tick, or null when there is nothing to decide. Requests are decided
 * first (a unit waits on them), then resolutions are verified, then an open alert is answered;
 * about one decision in four is a refusal, so a screen sees both outcomes.
 */
export function chooseSupervision(
  s: Supervision,
  rng: Rng,
  today: string,
): SupervisorAction | null {
  const options: (() => SupervisorAction)[] = [];
  if (s.requests.length) options.push(() => decideRequest(rng.pick(s.requests), rng));
  if (s.resolvedAlerts.length) options.push(() => verify(rng.pick(s.resolvedAlerts), rng));
  if (s.openAlerts.length) options.push(() => acknowledge(rng.pick(s.openAlerts), rng, today));
  return options.length ? rng.pick(options)() : null;
}

function decideRequest(request: SimChangeRequest, rng: Rng): SupervisorAction {
  return rng.chance(0.75)
    ? { kind: 'approve', request, body: { note: rng.pick(APPROVE_NOTES) } }
    : { kind: 'reject', request, body: { note: rng.pick(REJECT_NOTES) } };
}

function verify(alert: SimAlert, rng: Rng): SupervisorAction {
  return rng.chance(0.85)
    ? { kind: 'close', alert, body: { note: rng.pick(CLOSE_NOTES) } }
    : { kind: 'reopen', alert, body: { note: rng.pick(REOPEN_NOTES) } };
}

/** A commitment a few days to two weeks out: short enough that some are missed while watched. */
function acknowledge(alert: SimAlert, rng: Rng, today: string): SupervisorAction {
  return {
    kind: 'acknowledge',
    alert,
    body: { note: rng.pick(MEASURES), commitDate: addDays(today, rng.int(2, 14)) },
  };
}
