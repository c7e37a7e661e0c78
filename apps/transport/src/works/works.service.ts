import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  AdvancePhaseBody,
  RegisterTransportWorkBody,
  RuleViolation,
  Topics,
  TransportEventTypes,
  UpdateTransportWorkBody,
  assertVersion,
} from '@duban/contracts';
import { Principal, assertMayActFor, assertRegion } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Gate } from '../gates/gate.entity';
import { GatesService } from '../gates/gates.service';
import { findWork, writableWork } from './access';
import { advancePhase } from './domain/phase';
import { TransportWork } from './transport-work.entity';
import { phaseChangedEvent, workEvent } from './work.events';
import { Page, WorkListQuery } from './work-list.query';

/** Registering transport works and moving them through their phases; events via the outbox. */
@Injectable()
export class WorksService {
  constructor(
    private readonly ds: DataSource,
    private readonly gates: GatesService,
  ) {}

  /** A new work starts in planning (规划), with the gates given, each a scheduled milestone. */
  register(
    actor: Principal,
    body: RegisterTransportWorkBody,
    manager?: EntityManager,
  ): Promise<{ work: TransportWork; gates: Gate[] }> {
    assertMayActFor(actor, body.leadUnit);
    assertRegion(actor, body.regionCode);
    return inTransaction(this.ds, manager, async (m) => {
      const { gates: gateInputs, ...fields } = body;
      const clash = await m.findOneBy(TransportWork, {
        regionCode: body.regionCode,
        name: body.name,
      });
      if (clash) {
        throw new RuleViolation(
          `a transport work named ${body.name} already exists in region ${body.regionCode}`,
          'conflict',
          { workId: clash.id },
        );
      }
      const work = m.create(TransportWork, {
        ...fields,
        id: uuidv7(),
        phase: 'planning',
        version: 1,
      });
      await m.insert(TransportWork, work);
      await addToOutbox(m, Topics.transport, [workEvent(TransportEventTypes.workRegistered, work)]);
      const gates: Gate[] = [];
      for (const input of gateInputs) gates.push(await this.gates.insert(m, actor, work, input));
      return { work, gates };
    });
  }

  get(id: string): Promise<TransportWork> {
    return findWork(this.ds.manager, id);
  }

  /** Keyset pagination on the time-ordered id: stable while works are being added. */
  async list(query: WorkListQuery): Promise<Page<TransportWork>> {
    const qb = this.ds
      .getRepository(TransportWork)
      .createQueryBuilder('w')
      .orderBy('w.id', 'ASC')
      .take(query.limit + 1);
    if (query.cursor) qb.andWhere('w.id > :cursor', { cursor: query.cursor });
    if (query.kind) qb.andWhere('w.kind = :kind', { kind: query.kind });
    if (query.phase) qb.andWhere('w.phase = :phase', { phase: query.phase });
    if (query.unit) qb.andWhere('w.lead_unit = :unit', { unit: query.unit });
    if (query.regionCode) qb.andWhere('w.region_code = :region', { region: query.regionCode });
    const rows = await qb.getMany();
    const items = rows.slice(0, query.limit);
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].id : null };
  }

  update(
    actor: Principal,
    id: string,
    body: UpdateTransportWorkBody,
    manager?: EntityManager,
  ): Promise<TransportWork> {
    return inTransaction(this.ds, manager, async (m) => {
      const work = await writableWork(m, actor, id);
      assertVersion(work, body.version, `transport work ${id}`);
      const { version: _version, ...changes } = body;
      Object.assign(work, changes, { version: work.version + 1 });
      await m.save(work);
      await addToOutbox(m, Topics.transport, [workEvent(TransportEventTypes.workUpdated, work)]);
      return work;
    });
  }

  /** One phase forward, once the gates guarding the current phase are met or waived. */
  advance(
    actor: Principal,
    id: string,
    body: AdvancePhaseBody,
    manager?: EntityManager,
  ): Promise<TransportWork> {
    return inTransaction(this.ds, manager, async (m) => {
      const work = await writableWork(m, actor, id);
      assertVersion(work, body.version, `transport work ${id}`);
      const gates = await m.findBy(Gate, { workId: id });
      const previous = work.phase;
      work.phase = advancePhase(previous, body.phase, gates);
      work.version += 1;
      await m.save(work);
      await addToOutbox(m, Topics.transport, [phaseChangedEvent(work, previous)]);
      return work;
    });
  }
}
