/**
 * Plays the supervision loop against the running services: reads the change requests waiting
 * in each domain and the scheduler's open and resolved alerts, then plays one decision of
 * `supervisor-actions.ts` as the supervisor (decisions, verification) or as the alert's owner
 * unit (an acknowledgement with its commitment date).
 */
import { Answer, Reader, Tokens, call, describeRefusal, errorText, say, warn } from './client';
import type { Rng } from './actions';
import type { Domain } from './mix';
import {
  SimAlert,
  SimChangeRequest,
  Supervision,
  SupervisorAction,
  chooseSupervision,
} from './supervisor-actions';

export interface SupervisionTargets {
  domains: ReadonlyMap<Domain, Reader>;
  scheduler: Reader;
  tokens: Tokens;
}

export async function superviseOnce(t: SupervisionTargets, rng: Rng, today: string): Promise<void> {
  const world = await readSupervision(t);
  const action = chooseSupervision(world, rng, today);
  if (action) await playSupervision(t, action);
}

async function readSupervision(t: SupervisionTargets): Promise<Supervision> {
  const requests = await Promise.all(
    [...t.domains].map(async ([domain, reader]) =>
      (
        await reader.all<Omit<SimChangeRequest, 'domain'>>(
          '/api/v1/change-requests?state=requested',
        )
      ).map((r) => ({ ...r, domain })),
    ),
  ).catch((err) => {
    warn(`could not read change requests: ${errorText(err)}`);
    return [];
  });
  const alerts = async (state: string) =>
    t.scheduler.all<SimAlert>(`/api/v1/alerts?state=${state}`).catch((err) => {
      warn(`could not read ${state} alerts: ${errorText(err)}`);
      return [];
    });
  const [openAlerts, resolvedAlerts] = await Promise.all([alerts('open'), alerts('resolved')]);
  return { requests: requests.flat(), openAlerts, resolvedAlerts };
}

async function playSupervision(t: SupervisionTargets, action: SupervisorAction): Promise<void> {
  switch (action.kind) {
    case 'approve':
    case 'reject': {
      const r = action.request;
      const target = r.proposedDate ? `to ${r.proposedDate}` : 'cancellation';
      const reader = t.domains.get(r.domain);
      if (!reader) return;
      return send(
        'supervisor',
        await attempt(
          reader.base,
          `/api/v1/change-requests/${r.id}/${action.kind}`,
          t.tokens.reader,
          action.body,
        ),
        `${action.kind === 'approve' ? 'approved' : 'rejected'} ${r.requestingUnit ?? ''}'s ${r.kind} ${target}「${action.body.note}」`,
      );
    }
    case 'acknowledge': {
      const a = action.alert;
      const token = t.tokens.forUnit(a.ownerUnit, a.region);
      return send(
        a.ownerUnit,
        await attempt(t.scheduler.base, `/api/v1/alerts/${a.id}/acknowledge`, token, action.body),
        `acknowledged the ${a.rule} alert on ${a.milestoneName}, committing to ${action.body.commitDate}「${action.body.note}」`,
      );
    }
    case 'close':
    case 'reopen': {
      const a = action.alert;
      return send(
        'supervisor',
        await attempt(
          t.scheduler.base,
          `/api/v1/alerts/${a.id}/${action.kind}`,
          t.tokens.reader,
          action.body,
        ),
        `${action.kind === 'close' ? 'closed (销号)' : 'sent back'} the ${a.rule} alert on ${a.milestoneName}「${action.body.note}」`,
      );
    }
  }
}

async function attempt(
  base: string,
  path: string,
  token: string,
  body: unknown,
): Promise<Answer | Error> {
  return call(base, 'POST', path, token, body).catch((err: unknown) =>
    err instanceof Error ? err : new Error(String(err)),
  );
}

function send(who: string, answer: Answer | Error, what: string): void {
  if (answer instanceof Error) warn(`${who} could not send: ${what}: ${errorText(answer)}`);
  else if (answer.status < 300) say(`${who} ${what}`);
  else say(`${who} was refused: ${what}: ${describeRefusal(answer)}`);
}
