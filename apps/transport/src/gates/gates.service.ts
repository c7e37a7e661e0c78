import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  GateInput,
  MilestoneEventTypes,
  RuleViolation,
  Topics,
  TransportGate,
} from '@duban/contracts';
import { Principal, actorName } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import {
  Actor,
  ChangeOutcome,
  MILESTONE_CHANGE_FLOW,
  MilestoneCommand,
  scheduleMilestone,
} from '@duban/milestones';
import { readableWork, writableWork } from '../works/access';
import { GATE_TERMS } from '../works/domain/phase';
import { TransportWork } from '../works/transport-work.entity';
import { Gate } from './gate.entity';
import { gateEvent } from './gate.events';
import { GateChangeFlow } from './gate.port';

/**
 * Gates of a work's pre-work, kept as milestones with the projects service's rules (baseline
 * kept, every date change in history). The lead unit sets them and asks to reschedule them (a
 * supervisor approves); a gate's owner unit may also report its forecast and that it was met.
 * Only an admin waives (cancels) one, since a waived gate no longer blocks the phase it guards.
 */
@Injectable()
export class GatesService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(MILESTONE_CHANGE_FLOW) private readonly flow: GateChangeFlow,
  ) {}

  add(actor: Principal, workId: string, input: GateInput): Promise<Gate> {
    return inTransaction(this.ds, async (m) => {
      const work = await writableWork(m, actor, workId);
      return this.insert(m, actor, work, input);
    });
  }

  /** Sets a gate on a work the caller has already locked and may write. */
  async insert(
    m: EntityManager,
    actor: Principal,
    work: TransportWork,
    input: GateInput,
  ): Promise<Gate> {
    const clash = await m.findOneBy(Gate, { workId: work.id, gate: input.gate });
    if (clash) {
      throw new RuleViolation(
        `transport work ${work.id} already has gate ${input.gate}`,
        'conflict',
        {
          gateId: clash.id,
        },
      );
    }
    const state = scheduleMilestone(
      {
        name: `${work.name} ${GATE_TERMS[input.gate]}`,
        ownerUnit: input.ownerUnit ?? work.leadUnit,
        plannedDate: input.plannedDate,
      },
      this.actor(actor),
    );
    const gate = m.create(Gate, {
      ...state,
      id: uuidv7(),
      workId: work.id,
      gate: input.gate,
      version: 1,
    });
    await m.insert(Gate, gate);
    await addToOutbox(m, Topics.transport, [gateEvent(MilestoneEventTypes.scheduled, work, gate)]);
    return gate;
  }

  /** 404 for a work in another region than the caller's token is bound to. */
  async list(actor: Principal, workId: string): Promise<Gate[]> {
    await readableWork(this.ds.manager, actor, workId);
    return this.ds.manager.find(Gate, {
      where: { workId },
      order: { currentPlannedDate: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Forecast, complete, reschedule or waive (cancel) a gate, through the one change flow: a
   * lead unit's reschedule waits for a supervisor's approval, and only an admin waives a gate
   * (the change policy says so and why).
   */
  change(
    actor: Principal,
    workId: string,
    gate: TransportGate,
    command: MilestoneCommand,
  ): Promise<ChangeOutcome<Gate>> {
    return this.flow.change(actor, { workId, gate }, command);
  }

  private actor(p: Principal): Actor {
    return { by: actorName(p), at: this.clock.now().toISOString() };
  }
}
