import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  CreateParkBody,
  DesignationBody,
  ParkEventTypes,
  RuleViolation,
  Topics,
  UpdateParkBody,
  assertVersion,
  chinaDate,
} from '@duban/contracts';
import { Principal, assertMayActFor, assertRegion, regionFilter } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { Page, inTransaction, keysetPage } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { readablePark, writablePark } from '../access';
import { checkAreas, earnDesignation } from './domain/park';
import { ParkListQuery } from './park-list.query';
import { Park } from './park.entity';
import { designationEarnedEvent, parkEvent } from './park.events';

/** Registering parks, changing their details and recording designations, via the outbox. */
@Injectable()
export class ParksService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  create(actor: Principal, body: CreateParkBody): Promise<Park> {
    assertMayActFor(actor, body.managingUnit);
    assertRegion(actor, body.regionCode);
    return inTransaction(this.ds, async (m) => {
      const clash = await m.findOneBy(Park, { regionCode: body.regionCode, name: body.name });
      if (clash) {
        throw new RuleViolation(
          `a park named ${body.name} already exists in region ${body.regionCode}`,
          'conflict',
          { parkId: clash.id },
        );
      }
      const { designations, ...fields } = body;
      const today = chinaDate(this.clock.now());
      const held = designations.reduce<Park['designations']>(
        (all, d, n) => earnDesignation(all, d, today, `designations.${n}.earnedOn`),
        [],
      );
      const park = m.create(Park, { ...fields, id: uuidv7(), designations: held, version: 1 });
      await m.insert(Park, park);
      await addToOutbox(m, Topics.parks, [parkEvent(ParkEventTypes.registered, park)]);
      return park;
    });
  }

  /** A park in another region than the caller's token is bound to is a 404. */
  get(actor: Principal, id: string): Promise<Park> {
    return readablePark(this.ds.manager, actor, id);
  }

  /** A region-bound token sees its own region only; asking for another one is a 403. */
  async list(actor: Principal, query: ParkListQuery): Promise<Page<Park>> {
    const region = regionFilter(actor, query.regionCode);
    const qb = this.ds.getRepository(Park).createQueryBuilder('p');
    if (region) qb.andWhere('p.region_code = :region', { region });
    if (query.unit) qb.andWhere('p.managing_unit = :unit', { unit: query.unit });
    if (query.leadIndustry) {
      qb.andWhere('p.lead_industry = :industry', { industry: query.leadIndustry });
    }
    return keysetPage(qb, query);
  }

  update(actor: Principal, id: string, body: UpdateParkBody) {
    return inTransaction(this.ds, async (m) => {
      const park = await writablePark(m, actor, id);
      assertVersion(park, body.version, `park ${id}`);
      const { version: _version, ...changes } = body;
      // Handing the park to another unit needs the right to act for that unit too.
      if (changes.managingUnit) assertMayActFor(actor, changes.managingUnit);
      checkAreas({ ...park, ...changes });
      if (changes.name && changes.name !== park.name) {
        const clash = await m.findOneBy(Park, { regionCode: park.regionCode, name: changes.name });
        if (clash) {
          throw new RuleViolation(`a park named ${changes.name} already exists`, 'conflict', {
            parkId: clash.id,
          });
        }
      }
      Object.assign(park, changes, { version: park.version + 1 });
      await m.save(park);
      await addToOutbox(m, Topics.parks, [parkEvent(ParkEventTypes.updated, park)]);
      return park;
    });
  }

  addDesignation(actor: Principal, id: string, body: DesignationBody) {
    return inTransaction(this.ds, async (m) => {
      const park = await writablePark(m, actor, id);
      const today = chinaDate(this.clock.now());
      park.designations = earnDesignation(park.designations, body, today);
      park.version += 1;
      await m.save(park);
      await addToOutbox(m, Topics.parks, [designationEarnedEvent(park, body)]);
      return park;
    });
  }
}
