import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RankingEntry } from '@duban/contracts';
import { LateEvent } from '../measures/late-event.entity';
import { LateEventListQuery, Page } from '../schemes/scheme-list.query';
import { Scheme } from '../schemes/scheme.entity';
import { findScheme } from '../schemes/schemes.service';
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

  async scores(id: string): Promise<SchemeHeader & { items: (Score & { name: string })[] }> {
    const scheme = await findScheme(this.ds.manager, id);
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

  async rankings(id: string): Promise<SchemeHeader & { ranking: RankingEntry[] }> {
    const scheme = await findScheme(this.ds.manager, id);
    const scores = await this.ds.manager.findBy(Score, { schemeId: id });
    return { ...(await this.header(scheme)), ranking: rankingOf(scheme.subjects, scores) };
  }

  async lateEvents(
    id: string,
    q: LateEventListQuery,
  ): Promise<Page<LateEvent> & { count: number }> {
    const scheme = await findScheme(this.ds.manager, id);
    const qb = this.ds
      .getRepository(LateEvent)
      .createQueryBuilder('l')
      .where('l.scheme_id = :id', { id })
      .orderBy('l.id', 'ASC')
      .take(q.limit + 1);
    if (q.cursor) qb.andWhere('l.id > :cursor', { cursor: q.cursor });
    const rows = await qb.getMany();
    const items = rows.slice(0, q.limit);
    return {
      items,
      nextCursor: rows.length > q.limit ? items[items.length - 1].id : null,
      count: (await this.header(scheme)).lateEventCount,
    };
  }

  private async header(scheme: Scheme): Promise<SchemeHeader> {
    return {
      schemeId: scheme.id,
      schemeCode: scheme.code,
      period: scheme.period,
      status: scheme.status,
      closedAt: scheme.closedAt,
      lateEventCount: await this.ds.manager.countBy(LateEvent, { schemeId: scheme.id }),
    };
  }
}
