import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager } from 'typeorm';
import type { Alert } from '../alerts/alert.entity';
import { Silence } from './silence.entity';

export type SilencedAlert = Pick<Alert, 'subjectType' | 'subjectId' | 'ownerUnit' | 'region'>;

/** Creates, lists, ends and expires silences; answers whether an alert is silenced now. */
@Injectable()
export class SilencesService {
  /**
   * The silence covering an alert at `now`, if any (the earliest-ending one when several do):
   * an active silence of the alert's subject or of its owner unit, in the alert's region, whose
   * window contains `now`. Runs in the caller's transaction.
   */
  async activeFor(
    m: EntityManager,
    alert: SilencedAlert,
    now: Date,
  ): Promise<{ id: string } | null> {
    const row = await m
      .createQueryBuilder(Silence, 's')
      .select(['s.id'])
      .where("s.state = 'active'")
      .andWhere('s.region = :region', { region: alert.region })
      .andWhere('s.startsAt <= :now AND s.endsAt > :now', { now })
      .andWhere(
        new Brackets((q) =>
          q
            .where('s.subjectType = :subjectType AND s.subjectId = :subjectId', {
              subjectType: alert.subjectType,
              subjectId: alert.subjectId,
            })
            .orWhere("s.subjectType = 'unit' AND s.unit = :unit", { unit: alert.ownerUnit }),
        ),
      )
      .orderBy('s.endsAt', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(1)
      .getOne();
    return row ? { id: row.id } : null;
  }
}
