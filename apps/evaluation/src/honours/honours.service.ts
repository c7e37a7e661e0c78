import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  ChangeHonourStatusBody,
  CreateHonourBody,
  DubanEvent,
  MilestoneEventTypes,
  RuleViolation,
  Topics,
  chinaDate,
} from '@duban/contracts';
import {
  Principal,
  actorName,
  assertMayActFor,
  assertRegion,
  mayReadRegion,
  regionFilter,
} from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { Page, inTransaction, keysetPage } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { changeHonourStatus, settleDeadlines } from './domain/honour-status';
import { HonourListQuery } from './honour-list.query';
import { Honour } from './honour.entity';
import { deadlineEvent, honourStatusChangedEvent, honourTargetedEvent } from './honour.events';

/** Supervisors, admins and the owner unit itself pursue honours and move their status. */
function assertMayManage(actor: Principal, ownerUnit: string): void {
  if (actor.role !== 'supervisor') assertMayActFor(actor, ownerUnit);
}

@Injectable()
export class HonoursService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  create(actor: Principal, body: CreateHonourBody): Promise<Honour> {
    assertMayManage(actor, body.ownerUnit);
    assertRegion(actor, body.regionCode);
    return inTransaction(this.ds, async (m) => {
      const { regionCode, name, targetYear } = body;
      const clash = await m.findOneBy(Honour, { regionCode, name, targetYear });
      if (clash) {
        throw new RuleViolation(`${name} is already pursued for ${targetYear}`, 'conflict', {
          honourId: clash.id,
        });
      }
      const honour = m.create(Honour, {
        ...body,
        id: uuidv7(),
        status: 'targeted',
        deadlines: body.deadlines.map((d) => ({
          ...d,
          milestoneId: uuidv7(),
          status: 'pending' as const,
          actualDate: null,
        })),
        history: [],
        version: 1,
      });
      await m.insert(Honour, honour);
      await addToOutbox(m, Topics.evaluation, [
        honourTargetedEvent(honour),
        ...honour.deadlines.map((d) => deadlineEvent(MilestoneEventTypes.scheduled, honour, d)),
      ]);
      return honour;
    });
  }

  get(actor: Principal, id: string): Promise<Honour> {
    return readableHonour(this.ds.manager, actor, id);
  }

  /** Keyset pagination on the time-ordered id; a region-bound token sees its region only. */
  async list(actor: Principal, q: HonourListQuery): Promise<Page<Honour>> {
    const region = regionFilter(actor, q.regionCode);
    const qb = this.ds.getRepository(Honour).createQueryBuilder('h');
    if (region) qb.andWhere('h.region_code = :region', { region });
    if (q.status) qb.andWhere('h.status = :status', { status: q.status });
    return keysetPage(qb, q);
  }

  changeStatus(actor: Principal, id: string, body: ChangeHonourStatusBody): Promise<Honour> {
    return inTransaction(this.ds, async (m) => {
      const honour = await readableHonour(m, actor, id, true);
      assertMayManage(actor, honour.ownerUnit);
      const today = chinaDate(this.clock.now());
      const on = body.on ?? today;
      if (on > today) {
        throw new RuleViolation(`on ${on} is in the future`, 'invalid', {
          errors: [{ field: 'on', message: `must not be after today (${today})` }],
        });
      }
      const previous = honour.status;
      honour.status = changeHonourStatus(previous, body.status);
      const settled = settleDeadlines(honour.deadlines, honour.status, on);
      honour.deadlines = settled.deadlines;
      const note = body.note ?? null;
      honour.history = [
        ...honour.history,
        { from: previous, to: honour.status, on, by: actorName(actor), note },
      ];
      honour.version += 1;
      await m.save(honour);
      const events: DubanEvent[] = [honourStatusChangedEvent(honour, previous, on, note)];
      for (const d of settled.changed) {
        const type =
          d.status === 'met' ? MilestoneEventTypes.completed : MilestoneEventTypes.cancelled;
        events.push(deadlineEvent(type, honour, d));
      }
      await addToOutbox(m, Topics.evaluation, events);
      return honour;
    });
  }
}

/** One in another region is as good as absent (404), for writes as for reads. */
async function readableHonour(
  m: EntityManager,
  actor: Principal,
  id: string,
  lock = false,
): Promise<Honour> {
  const honour = await m.findOne(Honour, {
    where: { id },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!honour || !mayReadRegion(actor, honour.regionCode)) {
    throw new RuleViolation(`no honour ${id}`, 'not-found');
  }
  return honour;
}
