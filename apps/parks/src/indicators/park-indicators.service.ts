import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ParkIndicatorsBody,
  RuleViolation,
  Topics,
  assertVersion,
  chinaMonth,
} from '@duban/contracts';
import { Principal, actorName } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { readablePark, writablePark } from '../access';
import { deriveIndicators } from './domain/indicators';
import { ParkIndicators } from './park-indicators.entity';
import { indicatorsEvent } from './park-indicators.events';

const FIGURES = [
  'outputValueWan',
  'industrialValueAddedWan',
  'taxWan',
  'fixedInvestmentWan',
  'employees',
  'plannedAreaMu',
  'developedAreaMu',
] as const;

/**
 * A park's monthly indicators, put per park and month by its managing unit. Putting the same
 * figures again changes nothing and publishes nothing (a retried PUT is harmless); different
 * figures replace the month as a correction, with the version bumped and the event re-sent.
 * The derived figures use the park's areas at the time of the (latest) put.
 */
@Injectable()
export class ParkIndicatorsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  put(
    actor: Principal,
    parkId: string,
    month: string,
    body: ParkIndicatorsBody,
  ): Promise<ParkIndicators> {
    return inTransaction(this.ds, async (m) => {
      const park = await writablePark(m, actor, parkId);
      const current = chinaMonth(this.clock.now());
      if (month > current) {
        throw new RuleViolation(`cannot report ${month} before it begins`, 'invalid', {
          errors: [{ field: 'month', message: `must not be after the current month ${current}` }],
        });
      }
      const existing = await m.findOneBy(ParkIndicators, { parkId, month });
      if (existing) assertVersion(existing, body.version, `the ${month} indicators`);
      const { version: _version, ...figures } = body;
      const areas = { plannedAreaMu: park.plannedAreaMu, developedAreaMu: park.developedAreaMu };
      const next = {
        ...figures,
        ...areas,
        ...deriveIndicators({ ...areas, taxWan: figures.taxWan }),
      };
      if (existing && FIGURES.every((f) => String(existing[f]) === String(next[f]))) {
        return existing;
      }
      const row = m.create(ParkIndicators, {
        ...next,
        parkId,
        month,
        reportedBy: actorName(actor),
        version: (existing?.version ?? 0) + 1,
      });
      await m.save(row);
      await addToOutbox(m, Topics.parks, [indicatorsEvent(park, row)]);
      return row;
    });
  }

  /** A park in another region than the caller's token is bound to is a 404, months and all. */
  async list(actor: Principal, parkId: string): Promise<ParkIndicators[]> {
    await readablePark(this.ds.manager, actor, parkId);
    return this.ds.manager.find(ParkIndicators, { where: { parkId }, order: { month: 'ASC' } });
  }

  async get(actor: Principal, parkId: string, month: string): Promise<ParkIndicators> {
    await readablePark(this.ds.manager, actor, parkId);
    const row = await this.ds.manager.findOneBy(ParkIndicators, { parkId, month });
    if (!row) throw new RuleViolation(`park ${parkId} has no indicators for ${month}`, 'not-found');
    return row;
  }
}
