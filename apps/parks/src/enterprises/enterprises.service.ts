import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  ChangeEnterpriseStatusBody,
  CreateEnterpriseBody,
  ParksEventTypes,
  RuleViolation,
  Topics,
  UpdateEnterpriseBody,
  assertVersion,
  chinaDate,
} from '@duban/contracts';
import { Principal, assertMayActFor, mayReadRegion, regionFilter } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { Page, inTransaction, keysetPage } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { referencedPark, writablePark } from '../access';
import { changeEnterpriseStatus, checkChangeDate } from './domain/enterprise-lifecycle';
import { EnterpriseListQuery } from './enterprise-list.query';
import { Enterprise } from './enterprise.entity';
import { enterpriseEvent, statusChangedEvent } from './enterprise.events';

/**
 * Enterprises settled in parks. The park's managing unit writes them (an admin anywhere); the
 * park row is locked for the write, so one park's events leave in commit order.
 */
@Injectable()
export class EnterprisesService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  create(actor: Principal, body: CreateEnterpriseBody) {
    return inTransaction(this.ds, async (m) => {
      const park = await referencedPark(m, actor, body.parkId, 'parkId', true);
      assertMayActFor(actor, park.managingUnit);
      await assertUsccFree(m, body.uscc);
      const today = chinaDate(this.clock.now());
      const { signedOn = today, ...fields } = body;
      checkChangeDate(signedOn, signedOn, today, 'signedOn');
      const enterprise = m.create(Enterprise, {
        ...fields,
        id: uuidv7(),
        regionCode: park.regionCode,
        status: 'signed',
        statusChangedOn: signedOn,
        version: 1,
      });
      await m.insert(Enterprise, enterprise).catch((e: unknown) => usccRace(e, body.uscc));
      await addToOutbox(m, Topics.parks, [
        enterpriseEvent(ParksEventTypes.enterpriseRegistered, enterprise),
      ]);
      return enterprise;
    });
  }

  get(actor: Principal, id: string): Promise<Enterprise> {
    return readableEnterprise(this.ds.manager, actor, id);
  }

  /** A region-bound token sees its own region only; asking for another one is a 403. */
  async list(actor: Principal, query: EnterpriseListQuery): Promise<Page<Enterprise>> {
    const region = regionFilter(actor, query.regionCode);
    const qb = this.ds.getRepository(Enterprise).createQueryBuilder('e');
    if (region) qb.andWhere('e.region_code = :region', { region });
    if (query.parkId) qb.andWhere('e.park_id = :parkId', { parkId: query.parkId });
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    if (query.uscc) qb.andWhere('e.uscc = :uscc', { uscc: query.uscc });
    if (query.aboveDesignatedSize) {
      qb.andWhere('e.above_designated_size = :above', {
        above: query.aboveDesignatedSize === 'true',
      });
    }
    return keysetPage(qb, query);
  }

  update(actor: Principal, id: string, body: UpdateEnterpriseBody) {
    return inTransaction(this.ds, async (m) => {
      const enterprise = await writableEnterprise(m, actor, id);
      assertVersion(enterprise, body.version, `enterprise ${id}`);
      const { version: _version, ...changes } = body;
      Object.assign(enterprise, changes, { version: enterprise.version + 1 });
      await m.save(enterprise);
      await addToOutbox(m, Topics.parks, [
        enterpriseEvent(ParksEventTypes.enterpriseUpdated, enterprise),
      ]);
      return enterprise;
    });
  }

  changeStatus(actor: Principal, id: string, body: ChangeEnterpriseStatusBody) {
    return inTransaction(this.ds, async (m) => {
      const enterprise = await writableEnterprise(m, actor, id);
      assertVersion(enterprise, body.version, `enterprise ${id}`);
      const previous = enterprise.status;
      const status = changeEnterpriseStatus(previous, body.status);
      const today = chinaDate(this.clock.now());
      const changedOn = body.changedOn ?? today;
      checkChangeDate(changedOn, enterprise.statusChangedOn, today);
      Object.assign(enterprise, {
        status,
        statusChangedOn: changedOn,
        version: enterprise.version + 1,
      });
      await m.save(enterprise);
      await addToOutbox(m, Topics.parks, [statusChangedEvent(enterprise, previous)]);
      return enterprise;
    });
  }
}

async function findEnterprise(m: EntityManager, id: string): Promise<Enterprise> {
  const enterprise = await m.findOneBy(Enterprise, { id });
  if (!enterprise) throw new RuleViolation(`no enterprise ${id}`, 'not-found');
  return enterprise;
}

/** An enterprise in another region than the caller's token is bound to is a 404. */
async function readableEnterprise(m: EntityManager, actor: Principal, id: string) {
  const enterprise = await findEnterprise(m, id);
  if (!mayReadRegion(actor, enterprise.regionCode)) {
    throw new RuleViolation(`no enterprise ${id}`, 'not-found');
  }
  return enterprise;
}

/** Checked through its park: the park's managing unit owns its enterprises. */
async function writableEnterprise(m: EntityManager, actor: Principal, id: string) {
  const { parkId } = await readableEnterprise(m, actor, id);
  await writablePark(m, actor, parkId);
  // Read again under the park's lock, so no concurrent change is overwritten.
  return findEnterprise(m, id);
}

async function assertUsccFree(m: EntityManager, uscc: string): Promise<void> {
  const holder = await m.findOneBy(Enterprise, { uscc });
  if (holder) throw usccTaken(uscc, holder.id);
}

const usccTaken = (uscc: string, enterpriseId?: string) =>
  new RuleViolation(`USCC ${uscc} is already registered`, 'conflict', {
    ...(enterpriseId ? { enterpriseId } : {}),
    errors: [{ field: 'uscc', message: 'is already registered' }],
  });

/** Two registrations of one code at once (in different parks): the unique index decides. */
function usccRace(e: unknown, uscc: string): never {
  if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
    throw usccTaken(uscc);
  }
  throw e;
}
