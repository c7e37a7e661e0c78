import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DubanEvent } from '@duban/contracts';
import { ScoringService } from '../scoring/scoring.service';
import { Scheme } from '../schemes/scheme.entity';
import { measuredItems, scopeOf } from '../schemes/domain/scheme';
import { measuresFor } from './domain/catalogue';
import { Contribution, Fact, adjustments, readFact, supersedes } from './domain/fact';
import { MeasureDeclaration } from './domain/measure';
import { FactRow } from './fact.entity';
import { LateEvent } from './late-event.entity';

/**
 * Turns an event into facts and moves the actuals of the schemes that read them, by delta, in
 * the inbox transaction: only the subjects touched are re-scored, never the whole history.
 * A scheme whose period is closed changes no more; the event is recorded as late instead.
 */
@Injectable()
export class FactsService {
  constructor(private readonly scoring: ScoringService) {}

  async apply(m: EntityManager, event: DubanEvent): Promise<void> {
    const data = event.data as Record<string, unknown>;
    for (const measure of measuresFor(event.type)) {
      const next = readFact(measure, { region: event.region, time: event.time, data });
      if (next) await this.applyFact(m, event, measure, next);
    }
  }

  private async applyFact(
    m: EntityManager,
    event: DubanEvent,
    measure: MeasureDeclaration,
    next: Fact,
  ): Promise<void> {
    const row = await m.findOne(FactRow, {
      where: { measure: next.measure, factKey: next.key },
      lock: { mode: 'pessimistic_write' },
    });
    const previous = row ? toFact(row) : null;
    if (!supersedes(previous, next)) return;
    await m.save(FactRow, toRow(next, event.id));

    const schemes = await m
      .createQueryBuilder(Scheme, 's')
      .where(':measure = ANY(s.measures)', { measure: measure.code })
      .orderBy('s.id')
      .setLock('pessimistic_write')
      .getMany();
    for (const scheme of schemes) {
      const changes = adjustments(scopeOf(scheme), measure, previous, next);
      if (changes.length === 0) continue;
      const items = measuredItems(scheme).filter((i) => i.measure === measure.code);
      if (scheme.status === 'closed') {
        await recordLate(m, scheme, event, next, items, changes);
        continue;
      }
      for (const item of items) {
        for (const c of changes) await addToActual(m, scheme.id, item.code, c);
      }
      await this.scoring.rescore(m, scheme, new Set(changes.map((c) => c.subject)));
    }
  }
}

async function addToActual(
  m: EntityManager,
  schemeId: string,
  itemCode: string,
  c: Contribution,
): Promise<void> {
  await m.query(
    `INSERT INTO actuals (scheme_id, item_code, subject, numerator, denominator)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (scheme_id, item_code, subject) DO UPDATE
       SET numerator = actuals.numerator + EXCLUDED.numerator,
           denominator = actuals.denominator + EXCLUDED.denominator`,
    [schemeId, itemCode, c.subject, c.numerator, c.denominator],
  );
}

async function recordLate(
  m: EntityManager,
  scheme: Scheme,
  event: DubanEvent,
  fact: Fact,
  items: { code: string }[],
  changes: Contribution[],
): Promise<void> {
  const subjects = [...new Set(changes.map((c) => c.subject))];
  const rows = items.flatMap((item) =>
    subjects.map((subject) => ({
      id: uuidv7(),
      schemeId: scheme.id,
      eventId: event.id,
      eventType: event.type,
      eventTime: new Date(event.time),
      measure: fact.measure,
      factKey: fact.key,
      itemCode: item.code,
      subject,
    })),
  );
  await m.insert(LateEvent, rows);
}

function toFact(r: FactRow): Fact {
  return {
    measure: r.measure,
    key: r.factKey,
    unit: r.unit,
    region: r.region,
    date: r.factDate,
    numerator: r.numerator,
    denominator: r.denominator,
    version: r.version,
  };
}

const toRow = (f: Fact, eventId: string): FactRow => ({
  measure: f.measure,
  factKey: f.key,
  unit: f.unit,
  region: f.region,
  factDate: f.date,
  numerator: f.numerator,
  denominator: f.denominator,
  version: f.version,
  eventId,
});
