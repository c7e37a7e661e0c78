import {
  ChangeRequestEventTypes,
  DubanEvent,
  MilestoneChangeRequestData,
  MilestoneEventData,
  ServiceName,
  ProjectLevel,
  RuleViolation,
  chinaDate,
  createEvent,
} from '@duban/contracts';
import { Principal, actorName, assertMayActForAny } from '@duban/auth';
import { z } from 'zod';
import { EVENT_OF, MilestoneCommand, applyCommand, unitsThatMayGive } from './command';
import {
  ChangeDecision,
  ChangeRequestRecord,
  assertMayDecide,
  assertNoOpenRequest,
  commandOf,
  decide,
  isChangeRequestKind,
  mayReadRequest,
  requestChange,
} from './change-request';
import { ChangePolicy, routeChange } from './change-policy';
import { Actor, MilestoneState } from './milestone';

/** A stored milestone: the shared state plus its id and optimistic version. */
export type StoredMilestone = MilestoneState & { id: string; version: number };

/** A milestone found under its owning aggregate's lock, with what the flow needs to know of it. */
export interface MilestoneTarget<M extends StoredMilestone> {
  milestone: M;
  /** The locked aggregate (project, transport work, campaign). */
  aggregateId: string;
  regionCode: string;
  leadUnit: string;
  /** A project's level (国家/省/市/县), for the approval policy. */
  level?: z.infer<typeof ProjectLevel>;
  /** How messages name the milestone (`gate feasibility-study (工可)`). */
  label: string;
  /** The milestone as it stands now, in the shared shape the service's milestone events carry. */
  data(): MilestoneEventData;
}

/**
 * What a service provides for its kind of milestone. The one locking rule: `lock` and
 * `lockFor` take the owning aggregate's row lock (pessimistic_write) before reading the
 * milestone, so changes to a milestone, decisions on its requests and the aggregate's own moves
 * are ordered, and so are their outbox rows.
 */
export interface MilestonePort<Tx, Ref, M extends StoredMilestone> {
  /** The target the caller names; 404 when it may not see the aggregate or it has no such milestone. */
  lock(tx: Tx, actor: Principal, ref: Ref): Promise<MilestoneTarget<M>>;
  /** The target of a stored request (its caller was already found to see the request). */
  lockFor(tx: Tx, request: ChangeRequestRecord): Promise<MilestoneTarget<M>>;
  save(tx: Tx, milestone: M): Promise<void>;
  /** The service that owns the milestone, as events name their source. */
  readonly service: ServiceName;
}

/** Change requests as a service stores them, and its outbox. Written once, for TypeORM. */
export interface ChangeRequestStore<Tx> {
  /** Runs `work` in the caller's transaction when there is one (an inbox's), else in a new one. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  find(tx: Tx, id: string): Promise<ChangeRequestRecord | null>;
  openFor(tx: Tx, milestoneId: string): Promise<ChangeRequestRecord | null>;
  insert(tx: Tx, r: ChangeRequestRecord): Promise<void>;
  update(tx: Tx, r: ChangeRequestRecord): Promise<void>;
  publish(tx: Tx, events: DubanEvent[]): Promise<void>;
}

export type ChangeOutcome<M> =
  { outcome: 'applied'; milestone: M } | { outcome: 'requested'; request: ChangeRequestRecord };

/**
 * The milestone change flow of every service (projects, campaign tasks, transport gates):
 * forecast and completion are applied at once; a reschedule or cancellation is applied or
 * becomes a change request as the policy says, and a request is applied only when approved.
 */
export class MilestoneChangeFlow<Tx, Ref, M extends StoredMilestone> {
  constructor(
    private readonly subjectType: MilestoneChangeRequestData['subjectType'],
    private readonly port: MilestonePort<Tx, Ref, M>,
    private readonly store: ChangeRequestStore<Tx>,
    private readonly policy: ChangePolicy,
    private readonly now: () => Date,
    private readonly newId: () => string,
  ) {}

  change(actor: Principal, ref: Ref, command: MilestoneCommand): Promise<ChangeOutcome<M>> {
    return this.store.transaction(async (tx) => {
      const target = await this.port.lock(tx, actor, ref);
      const { milestone } = target;
      assertMayActForAny(
        actor,
        unitsThatMayGive(command.kind, {
          ownerUnit: milestone.ownerUnit,
          leadUnit: target.leadUnit,
        }),
      );
      // Checked as if applied now, so a request that could never be applied is refused at once.
      const next = applyCommand(milestone, command, this.today(), this.actorOf(actorName(actor)));
      if (!isChangeRequestKind(command.kind)) {
        const outcome = await this.apply(tx, target, next, command.kind);
        if (next.status !== 'pending') await this.lapseOpenRequest(tx, target, actor);
        return outcome;
      }
      assertNotIntoThePast(actor, command, this.today());
      assertNoOpenRequest(await this.store.openFor(tx, milestone.id), milestone.id);
      const route = routeChange(this.policy, actor, {
        subjectType: this.subjectType,
        level: target.level,
        kind: command.kind,
        label: target.label,
      });
      if (route === 'apply') return this.apply(tx, target, next, command.kind);
      const request = requestChange(
        {
          id: this.newId(),
          subjectType: this.subjectType,
          subjectId: target.data().subjectId,
          aggregateId: target.aggregateId,
          milestoneId: milestone.id,
          regionCode: target.regionCode,
        },
        command as Extract<MilestoneCommand, { kind: 'reschedule' | 'cancel' }>,
        actor,
        this.now().toISOString(),
      );
      await this.store.insert(tx, request);
      await this.store.publish(tx, [
        this.requestEvent(ChangeRequestEventTypes.requested, target, request),
      ]);
      return { outcome: 'requested', request };
    });
  }

  /**
   * Approve, reject or withdraw. The request is read again under the aggregate's lock, so two
   * supervisors deciding at once are ordered: the second sees the first's decision (409, or the
   * approved request again when both approved).
   */
  decide(
    actor: Principal,
    id: string,
    decision: ChangeDecision,
    note: string | null,
  ): Promise<ChangeRequestRecord> {
    return this.store.transaction(async (tx) => {
      const seen = await this.visible(tx, actor, id);
      const target = await this.port.lockFor(tx, seen);
      const current = (await this.store.find(tx, id))!;
      assertMayDecide(actor, current, decision);
      const at = this.now().toISOString();
      const { request, changed } = decide(current, decision, { by: actorName(actor), at, note });
      if (!changed) return request;
      await this.store.update(tx, request);
      const type = EVENT_TYPE_OF[decision];
      if (decision !== 'approve') {
        await this.store.publish(tx, [this.requestEvent(type, target, request)]);
        return request;
      }
      // The change is the requester's, made as asked; the history records who asked and why.
      const command = commandOf(request);
      const by = this.actorOf(request.requestedBy);
      const next = applyCommand(target.milestone, command, this.today(), by);
      await this.apply(tx, target, next, command.kind, [this.requestEvent(type, target, request)]);
      return request;
    });
  }

  /**
   * A milestone met while a change of it waits: nothing is left to decide, so the request is
   * withdrawn on the milestone's behalf rather than lingering in every supervisor's queue.
   */
  private async lapseOpenRequest(tx: Tx, target: MilestoneTarget<M>, actor: Principal) {
    const open = await this.store.openFor(tx, target.milestone.id);
    if (!open) return;
    const note = `the milestone is ${target.milestone.status}; nothing is left to decide`;
    const at = this.now().toISOString();
    const { request } = decide(open, 'withdraw', { by: actorName(actor), at, note });
    await this.store.update(tx, request);
    await this.store.publish(tx, [
      this.requestEvent(ChangeRequestEventTypes.withdrawn, target, request),
    ]);
  }

  /** The request if the caller may see it; otherwise 404, as if it did not exist. */
  async visible(tx: Tx, actor: Principal, id: string): Promise<ChangeRequestRecord> {
    const r = await this.store.find(tx, id);
    if (!r || !mayReadRequest(actor, r)) {
      throw new RuleViolation(`no change request ${id}`, 'not-found');
    }
    return r;
  }

  /** Stores the milestone's next state and publishes its event, after any that lead to it. */
  private async apply(
    tx: Tx,
    target: MilestoneTarget<M>,
    next: MilestoneState,
    kind: MilestoneCommand['kind'],
    before: DubanEvent[] = [],
  ): Promise<ChangeOutcome<M>> {
    const m = target.milestone;
    Object.assign(m, next, { version: m.version + 1 });
    await this.port.save(tx, m);
    await this.store.publish(tx, [...before, this.event(EVENT_OF[kind], target, target.data())]);
    return { outcome: 'applied', milestone: m };
  }

  private requestEvent(
    type: string,
    target: MilestoneTarget<M>,
    r: ChangeRequestRecord,
  ): DubanEvent {
    const data: MilestoneChangeRequestData = {
      ...target.data(),
      requestId: r.id,
      kind: r.kind,
      state: r.state,
      reason: r.reason,
      proposedDate: r.proposedDate,
      requestedBy: r.requestedBy,
      decidedBy: r.decidedBy,
      decisionNote: r.decisionNote,
    };
    return this.event(type, target, data);
  }

  /** Keyed by the milestone, like every milestone event, so a consumer sees them in order. */
  private event(type: string, target: MilestoneTarget<M>, data: MilestoneEventData): DubanEvent {
    return createEvent({
      type,
      service: this.port.service,
      subject: target.milestone.id,
      region: target.regionCode,
      data,
    });
  }

  private today(): string {
    return chinaDate(this.now());
  }

  private actorOf(by: string): Actor {
    return { by, at: this.now().toISOString() };
  }
}

const EVENT_TYPE_OF: Readonly<Record<ChangeDecision, string>> = {
  approve: ChangeRequestEventTypes.approved,
  reject: ChangeRequestEventTypes.rejected,
  withdraw: ChangeRequestEventTypes.withdrawn,
};

/**
 * Nobody but an admin moves a deadline to a day already gone: approved, it would be overdue the
 * moment it moved while its old alert resolved as "rescheduled". (Admins load history, e.g. seeds.)
 */
function assertNotIntoThePast(actor: Principal, command: MilestoneCommand, today: string): void {
  if (command.kind !== 'reschedule' || actor.role === 'admin' || command.plannedDate >= today) {
    return;
  }
  throw new RuleViolation('invalid milestone change', 'invalid', {
    errors: [{ field: 'plannedDate', message: `must not be before today (${today})` }],
  });
}
