import { Injectable } from '@nestjs/common';
import { Page, keysetPage } from '@duban/persistence';
import { DataSource } from 'typeorm';
import { RankingEntry } from '@duban/contracts';
import { LateEvent } from '../measures/late-event.entity';
import { LateEventListQuery } from '../schemes/scheme-list.query';
import { Scheme } from '../schemes/scheme.entity';
import { readableScheme } from '../schemes/access';
import { Principal } from '@duban/auth';
import { rankingOf } from './scheme-scores';
import { Score } from './score.entity';

interface SchemeHeader {
  schemeId: string;
  schemeCode: string;
  period: string;
  status: 'open' | 'closed';
  closedAt: Date | null;
  /** Events that arrived after the close and would have changed the frozen results. */
  lateEventCount: number;
}

/** Reads of scores, rankings and late events: what the supervisor console shows. */
@Injectable()
export class ResultsService {
  constructor(private readonly ds: DataSource) {}

  async scores(
    actor: Principal,
    id: string,
  ): Promise<SchemeHeader & { items: (Score & { name: string })[] }> {
    const scheme = await readableScheme(this.ds.manager, actor, id);
    const scores = await this.ds.manager.find(Score, {
      where: { schemeId: id },
      order: { rank: 'ASC', subject: 'ASC' },
    });
    const names = new Map(scheme.subjects.map((s) => [s.code, s.name]));
    return {
      ...(await this.header(scheme)),
      items: scores.map((s) => ({ ...s, name: names.get(s.subject) ?? s.subject })),
    };
  }

  async rankings(
    actor: Principal,
    id: string,
  ): Promise<SchemeHeader & { ranking: RankingEntry[] }> {
    const scheme = await readableScheme(this.ds.manager, actor, id);
    const scores = await this.ds.manager.findBy(Score, { schemeId: id });
    return { ...(await this.header(scheme)), ranking: rankingOf(scheme.subjects, scores) };
  }

  async lateEvents(
    actor: Principal,
    id: string,
    q: LateEventListQuery,
  ): Promise<Page<LateEvent> & { count: number }> {
    const scheme = await readableScheme(this.ds.manager, actor, id);
    const qb = this.ds
      .getRepository(LateEvent)
      .createQueryBuilder('l')
      .where('l.scheme_id = :id', { id });
    return { ...(await keysetPage(qb, q)), count: (await this.header(scheme)).lateEventCount };
  }

  /** Events, not rows: one late event may touch several items and subjects. */
  private async lateEventCount(schemeId: string): Promise<number> {
    const [{ n }] = await this.ds.query<{ n: number }[]>(
      'SELECT count(DISTINCT event_id)::int AS n FROM late_events WHERE scheme_id = $1',
      [schemeId],
    );
    return n;
  }

  private async header(scheme: Scheme): Promise<SchemeHeader> {
    return {
      schemeId: scheme.id,
      schemeCode: scheme.code,
      period: scheme.period,
      status: scheme.status,
      closedAt: scheme.closedAt,
      lateEventCount: await this.lateEventCount(scheme.id),
    };
  }
}
