import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  GateInput,
  MilestoneEventTypes,
  RuleViolation,
  Topics,
  TransportGate,
  chinaDate,
} from '@duban/contracts';
import { Principal, actorName, assertMayActForAny } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import {
  Actor,
  EVENT_OF,
  MilestoneCommand,
  applyCommand,
  scheduleMilestone,
  unitsThatMayGive,
} from '@duban/milestones';
import { readableWork, writableWork } from '../works/access';
import { GATE_TERMS } from '../works/domain/phase';
import { TransportWork } from '../works/transport-work.entity';
import { Gate } from './gate.entity';
import { gateEvent } from './gate.events';

/**
 * Gates of a work's pre-work, kept as milestones with the projects service's rules (baseline
 * kept, every date change in history). The lead unit sets and reschedules them; a gate's owner
 * unit may also report its forecast and that it was met. Only an admin waives (cancels) one,
 * since a waived gate no longer blocks the phase it guards.
 */
@Injectable()
export class GatesService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  add(actor: Principal, workId: string, input: GateInput, manager?: EntityManager): Promise<Gate> {
    return inTransaction(this.ds, manager, async (m) => {
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
   * Forecast, complete, reschedule or waive (cancel) a gate. A waived gate no longer blocks a
   * phase, so only an admin may waive one: the lead unit would otherwise waive its way past it.
   */
  change(
    actor: Principal,
    workId: string,
    kind: TransportGate,
    command: MilestoneCommand,
    manager?: EntityManager,
  ): Promise<Gate> {
    if (command.kind === 'cancel' && actor.role !== 'admin') {
      throw new RuleViolation(
        `only an admin may waive (cancel) gate ${kind} (${GATE_TERMS[kind]}): ` +
          'a waived gate no longer blocks the phase it guards',
        'forbidden',
      );
    }
    return inTransaction(this.ds, manager, async (m) => {
      // The work's lock orders gate changes against phase moves that read them.
      const work = await readableWork(m, actor, workId, true);
      const gate = await m.findOneBy(Gate, { workId, gate: kind });
      if (!gate)
        throw new RuleViolation(`transport work ${workId} has no gate ${kind}`, 'not-found');
      assertMayActForAny(
        actor,
        unitsThatMayGive(command.kind, { ownerUnit: gate.ownerUnit, leadUnit: work.leadUnit }),
      );
      const today = chinaDate(this.clock.now());
      Object.assign(gate, applyCommand(gate, command, today, this.actor(actor)), {
        version: gate.version + 1,
      });
      await m.save(gate);
      await addToOutbox(m, Topics.transport, [gateEvent(EVENT_OF[command.kind], work, gate)]);
      return gate;
    });
  }

  private actor(p: Principal): Actor {
    return { by: actorName(p), at: this.clock.now().toISOString() };
  }
}
