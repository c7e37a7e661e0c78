import { Module, Provider } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { RuleViolation, Topics, TransportGate } from '@duban/contracts';
import { Principal } from '@duban/auth';
import {
  CHANGE_POLICY,
  ChangeRequestRecord,
  MILESTONE_CHANGE_FLOW,
  MilestoneChangeFlow,
  MilestonePort,
  MilestoneTarget,
  TypeOrmChangeRequestStore,
} from '@duban/milestones';
import { Clock } from '@duban/platform';
import { readableWork } from '../works/access';
import { GATE_TERMS } from '../works/domain/phase';
import { TransportWork } from '../works/transport-work.entity';
import { Gate } from './gate.entity';
import { gateData } from './gate.events';

export interface GateRef {
  workId: string;
  gate: TransportGate;
}

/**
 * A work's gates for the shared change flow. The work's lock orders gate changes against the
 * phase moves that read them.
 */
export class WorkGates implements MilestonePort<EntityManager, GateRef, Gate> {
  readonly service = 'transport' as const;

  async lock(m: EntityManager, actor: Principal, ref: GateRef) {
    const work = await readableWork(m, actor, ref.workId, true);
    const gate = await m.findOneBy(Gate, { workId: work.id, gate: ref.gate });
    if (!gate)
      throw new RuleViolation(`transport work ${work.id} has no gate ${ref.gate}`, 'not-found');
    return target(work, gate);
  }

  async lockFor(m: EntityManager, r: ChangeRequestRecord) {
    const work = await m.findOne(TransportWork, {
      where: { id: r.aggregateId },
      lock: { mode: 'pessimistic_write' },
    });
    const gate = work && (await m.findOneBy(Gate, { workId: work.id, id: r.milestoneId }));
    if (!work || !gate) {
      throw new RuleViolation(
        `transport work ${r.aggregateId} has no gate ${r.milestoneId}`,
        'not-found',
      );
    }
    return target(work, gate);
  }

  async save(m: EntityManager, gate: Gate): Promise<void> {
    await m.save(gate);
  }
}

function target(work: TransportWork, gate: Gate): MilestoneTarget<Gate> {
  return {
    milestone: gate,
    aggregateId: work.id,
    regionCode: work.regionCode,
    leadUnit: work.leadUnit,
    label: `gate ${gate.gate} (${GATE_TERMS[gate.gate]})`,
    data: () => gateData(work, gate),
  };
}

export type GateChangeFlow = MilestoneChangeFlow<EntityManager, GateRef, Gate>;

const gateChangeFlow: Provider = {
  provide: MILESTONE_CHANGE_FLOW,
  inject: [DataSource, Clock],
  useFactory: (ds: DataSource, clock: Clock): GateChangeFlow =>
    new MilestoneChangeFlow(
      'transport-work',
      new WorkGates(),
      new TypeOrmChangeRequestStore(ds, Topics.transport),
      CHANGE_POLICY,
      () => clock.now(),
      uuidv7,
    ),
};

/** The transport service's change flow, for the gates and for /api/v1/change-requests. */
@Module({ providers: [gateChangeFlow], exports: [MILESTONE_CHANGE_FLOW] })
export class GateChangeModule {}
