import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  CreateSchemeBody,
  EvaluationEventTypes,
  PeriodClosedData,
  RuleViolation,
  Topics,
  chinaDate,
} from '@duban/contracts';
import { Principal, actorName, assertRegion, regionFilter } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import { Page, inTransaction, keysetPage } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { Score } from '../scoring/score.entity';
import { ScoringService, schemeEvent } from '../scoring/scoring.service';
import { rankingOf } from '../scoring/scheme-scores';
import { checkSources, measuredItems, measuresOf, scopeOf } from './domain/scheme';
import { periodSpan } from './domain/period';
import { MEASURES } from '../measures/domain/catalogue';
import { SchemeListQuery } from './scheme-list.query';
import { Scheme } from './scheme.entity';
import { readableScheme, writableScheme } from './access';

/** Creating, reading and closing 考评方案. */
@Injectable()
export class SchemesService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly scoring: ScoringService,
  ) {}

  create(actor: Principal, body: CreateSchemeBody): Promise<Scheme> {
    assertRegion(actor, body.regionCode);
    checkSources(body);
    return inTransaction(this.ds, async (m) => {
      const clash = await m.findOneBy(Scheme, { regionCode: body.regionCode, code: body.code });
      if (clash) {
        throw new RuleViolation(
          `scheme code ${body.code} is already used in region ${body.regionCode}`,
          'conflict',
          { schemeId: clash.id },
        );
      }
      // Facts written meanwhile would be missed by both the starting sums and the deltas.
      await m.query('LOCK TABLE facts IN SHARE MODE');
      const span = periodSpan(body.period);
      const scheme = m.create(Scheme, {
        ...body,
        id: uuidv7(),
        periodStart: span.start,
        periodEnd: span.end,
        measures: measuresOf(body),
        status: 'open',
        closedAt: null,
        ranking: [],
        createdBy: actorName(actor),
        version: 1,
      });
      await m.insert(Scheme, scheme);
      await startingActuals(m, scheme);
      await this.scoring.rescore(m, scheme, new Set(scheme.subjects.map((s) => s.code)));
      return m.findOneByOrFail(Scheme, { id: scheme.id });
    });
  }

  get(actor: Principal, id: string): Promise<Scheme> {
    return readableScheme(this.ds.manager, actor, id);
  }

  /**
   * A token bound to a region lists that region's schemes and the city schemes ranking it
   * (see `mayReadScheme`); asking it for another region is 403.
   */
  async list(actor: Principal, q: SchemeListQuery): Promise<Page<Scheme>> {
    const region = regionFilter(actor, q.regionCode);
    const bound = regionFilter(actor);
    const qb = this.ds.getRepository(Scheme).createQueryBuilder('s');
    if (bound) {
      qb.andWhere(
        "(s.region_code = :region OR (s.subject_kind = 'region' AND s.subjects @> CAST(:asSubject AS jsonb)))",
        { region: bound, asSubject: JSON.stringify([{ code: bound }]) },
      );
    } else if (region) {
      qb.andWhere('s.region_code = :region', { region });
    }
    if (q.period) qb.andWhere('s.period = :period', { period: q.period });
    if (q.subjectKind) qb.andWhere('s.subject_kind = :kind', { kind: q.subjectKind });
    if (q.status) qb.andWhere('s.status = :status', { status: q.status });
    return keysetPage(qb, q);
  }

  /**
   * 期末关账: results freeze; later events are recorded as late and change nothing. Only once
   * the period has ended (China time): a period still running cannot be frozen (409).
   */
  close(actor: Principal, id: string): Promise<Scheme> {
    return inTransaction(this.ds, async (m) => {
      const scheme = await writableScheme(m, actor, id);
      if (scheme.status === 'closed') {
        throw new RuleViolation(`scheme ${id} is already closed`, 'conflict', {
          closedAt: scheme.closedAt,
        });
      }
      const today = chinaDate(this.clock.now());
      if (today <= scheme.periodEnd) {
        throw new RuleViolation(
          `period ${scheme.period} of scheme ${id} ends on ${scheme.periodEnd}: it can be closed from the day after`,
          'conflict',
          { periodEnd: scheme.periodEnd, today },
        );
      }
      scheme.status = 'closed';
      scheme.closedAt = this.clock.now();
      scheme.version += 1;
      await m.save(scheme);
      const ranking = rankingOf(scheme.subjects, await m.findBy(Score, { schemeId: id }));
      const data: PeriodClosedData = {
        schemeId: scheme.id,
        schemeCode: scheme.code,
        period: scheme.period,
        subjectKind: scheme.subjectKind,
        ranking,
        closedAt: scheme.closedAt.toISOString(),
      };
      await addToOutbox(m, Topics.evaluation, [
        schemeEvent(EvaluationEventTypes.periodClosed, scheme, data),
      ]);
      return scheme;
    });
  }
}

/** A new scheme starts from the facts already known: once per scheme, never per event. */
async function startingActuals(m: EntityManager, scheme: Scheme): Promise<void> {
  const scope = scopeOf(scheme);
  const subjectColumn = scheme.subjectKind === 'unit' ? 'unit' : 'region';
  for (const item of measuredItems(scheme)) {
    // As `inPeriod` and `validAtEnd`: flows dated within the period; stocks with an interval
    // containing its end (entered on or before it, not left by then).
    const within = MEASURES[item.measure].periodMatch === 'within';
    await m.query(
      `INSERT INTO actuals (scheme_id, item_code, subject, numerator, denominator)
       SELECT $1, $2, ${subjectColumn}, sum(numerator), sum(denominator)
         FROM facts
        WHERE measure = $3 AND ${subjectColumn} = ANY($4)
          AND ($5 = 'region' OR region = $6)
          AND fact_date <= $8
          AND (CASE WHEN $9 THEN fact_date >= $7
                    ELSE EXISTS (SELECT 1 FROM jsonb_array_elements(validity) v
                                  WHERE (v->>0)::date <= $8
                                    AND (v->>1 IS NULL OR (v->>1)::date > $8)) END)
        GROUP BY ${subjectColumn}`,
      [
        scheme.id,
        item.code,
        item.measure,
        [...scope.subjects],
        scheme.subjectKind,
        scheme.regionCode,
        scope.span.start,
        scope.span.end,
        within,
      ],
    );
  }
}
