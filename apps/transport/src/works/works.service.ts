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
import { Principal, assertMayActFor, assertRegion, regionFilter } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Gate } from '../gates/gate.entity';
import { GatesService } from '../gates/gates.service';
import { Page, keysetPage } from '@duban/persistence';
import { Section } from '../sections/section.entity';
import { readableWork, writableWork } from './access';
import { advancePhase, requireSectionsOpened } from './domain/phase';
import { TransportWork } from './transport-work.entity';
import { phaseChangedEvent, workEvent } from './work.events';
import { WorkListQuery } from './work-list.query';

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
  ): Promise<{ work: TransportWork; gates: Gate[] }> {
    assertMayActFor(actor, body.leadUnit);
    assertRegion(actor, body.regionCode);
    return inTransaction(this.ds, async (m) => {
      const { gates: gateInputs, ...fields } = body;
      await refuseNameClash(m, body.regionCode, body.name);
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

  /** 404 for a work in another region than the caller's token is bound to. */
  get(actor: Principal, id: string): Promise<TransportWork> {
    return readableWork(this.ds.manager, actor, id);
  }

  /** A region-bound token sees its own region only; asking for another is a 403. */
  list(actor: Principal, query: WorkListQuery): Promise<Page<TransportWork>> {
    const region = regionFilter(actor, query.regionCode);
    const qb = this.ds.getRepository(TransportWork).createQueryBuilder('w');
    if (region) qb.andWhere('w.region_code = :region', { region });
    if (query.kind) qb.andWhere('w.kind = :kind', { kind: query.kind });
    if (query.phase) qb.andWhere('w.phase = :phase', { phase: query.phase });
    if (query.unit) qb.andWhere('w.lead_unit = :unit', { unit: query.unit });
    return keysetPage(qb, query);
  }

  update(actor: Principal, id: string, body: UpdateTransportWorkBody): Promise<TransportWork> {
    return inTransaction(this.ds, async (m) => {
      const work = await writableWork(m, actor, id);
      assertVersion(work, body.version, `transport work ${id}`);
      const { version: _version, ...changes } = body;
      if (changes.name !== undefined && changes.name !== work.name) {
        await refuseNameClash(m, work.regionCode, changes.name);
      }
      Object.assign(work, changes, { version: work.version + 1 });
      await m.save(work);
      await addToOutbox(m, Topics.transport, [workEvent(TransportEventTypes.workUpdated, work)]);
      return work;
    });
  }

  /** One phase forward, once the gates guarding the current phase are met or waived. */
  advance(actor: Principal, id: string, body: AdvancePhaseBody): Promise<TransportWork> {
    return inTransaction(this.ds, async (m) => {
      const work = await writableWork(m, actor, id);
      assertVersion(work, body.version, `transport work ${id}`);
      const gates = await m.findBy(Gate, { workId: id });
      const previous = work.phase;
      const next = advancePhase(previous, body.phase, gates);
      requireSectionsOpened(next, await m.findBy(Section, { workId: id }));
      work.phase = next;
      work.version += 1;
      await m.save(work);
      await addToOutbox(m, Topics.transport, [phaseChangedEvent(work, previous)]);
      return work;
    });
  }
}

/** One name per region: registering or renaming onto another work's name is a 409 naming it. */
async function refuseNameClash(m: EntityManager, regionCode: string, name: string): Promise<void> {
  const clash = await m.findOneBy(TransportWork, { regionCode, name });
  if (clash) {
    throw new RuleViolation(
      `a transport work named ${name} already exists in region ${regionCode}`,
      'conflict',
      { workId: clash.id },
    );
  }
}
