import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DubanEvent } from '@duban/contracts';
import { ScoringService } from '../scoring/scoring.service';
import { Scheme } from '../schemes/scheme.entity';
import { measuredItems, scopeOf } from '../schemes/domain/scheme';
import { measuresFor } from './domain/catalogue';
import {
  Contribution,
  Fact,
  MeasuredEvent,
  adjustments,
  nextFact,
  readFact,
  supersedes,
} from './domain/fact';
import { MeasureDeclaration } from './domain/measure';
import { FactRow } from './fact.entity';
import { LateEvent } from './late-event.entity';

/** One key's fact moving from `previous` to `next` because of the event. */
interface FactMove {
  measure: MeasureDeclaration;
  previous: Fact | null;
  next: Fact;
}

/**
 * Turns an event into facts and moves the actuals of the schemes that read them, by delta, in
 * the inbox transaction: only the subjects touched are re-scored, never the whole history.
 * A scheme whose period is closed changes no more; the event is recorded as late instead.
 *
 * Locks: the event's fact rows (catalogue order), then the union of the open schemes its facts
 * can touch (reading any of its measures, and counting the facts' regions: unit schemes of the
 * region, region schemes ranking it), once, ordered by id, so events feeding overlapping sets
 * of schemes never wait on each other in a cycle. Closed schemes are read the same way, never
 * locked: nothing of theirs changes.
 */
@Injectable()
export class FactsService {
  constructor(private readonly scoring: ScoringService) {}

  async apply(m: EntityManager, event: DubanEvent): Promise<void> {
    const measured: MeasuredEvent = {
      region: event.region,
      time: event.time,
      data: event.data as Record<string, unknown>,
    };
    const moves: FactMove[] = [];
    for (const measure of measuresFor(event.type)) {
      const read = readFact(measure, measured);
      if (!read) continue;
      const move = await storeFact(m, event.id, measure, read, measured);
      if (move) moves.push(move);
    }
    if (moves.length === 0) return;

    const codes = [...new Set(moves.map((mv) => mv.measure.code))];
    const open = await schemesTouched(m, codes, regionsOf(moves), 'open')
      .setLock('pessimistic_write')
      .getMany();
    // Read after the locks: a close committed meanwhile has taken its scheme out of `open`.
    const closed = await schemesTouched(m, codes, regionsOf(moves), 'closed').getMany();

    for (const scheme of open) {
      const touched = new Set<string>();
      for (const { measure, previous, next } of moves) {
        if (!scheme.measures.includes(measure.code)) continue;
        const changes = adjustments(scopeOf(scheme), measure, previous, next);
        if (changes.length === 0) continue;
        for (const item of itemsOf(scheme, measure)) {
          for (const c of changes) await addToActual(m, scheme.id, item.code, c);
        }
        for (const c of changes) touched.add(c.subject);
      }
      if (touched.size > 0) await this.scoring.rescore(m, scheme, touched);
    }
    for (const scheme of closed) {
      for (const { measure, previous, next } of moves) {
        if (!scheme.measures.includes(measure.code)) continue;
        const changes = adjustments(scopeOf(scheme), measure, previous, next);
        if (changes.length > 0)
          await recordLate(m, scheme, event, next, itemsOf(scheme, measure), changes);
      }
    }
  }
}

/**
 * The schemes of `status` the moves can touch, ordered by id: those reading one of the
 * measures, and counting a fact's region (as `contributionTo`): unit schemes of that region,
 * region schemes ranking it among their subjects.
 */
function schemesTouched(
  m: EntityManager,
  codes: string[],
  regions: string[],
  status: Scheme['status'],
) {
  return m
    .createQueryBuilder(Scheme, 's')
    .where('s.measures && CAST(:codes AS text[])', { codes })
    .andWhere('s.status = :status', { status })
    .andWhere(
      `((s.subject_kind = 'unit' AND s.region_code = ANY(CAST(:regions AS text[])))
        OR (s.subject_kind = 'region' AND s.subjects @> ANY(CAST(:asSubjects AS jsonb[]))))`,
      { regions, asSubjects: regions.map((code) => JSON.stringify([{ code }])) },
    )
    .orderBy('s.id');
}

/** The regions a move's facts count in: the previous fact's (taken out) and the next one's. */
const regionsOf = (moves: FactMove[]): string[] => [
  ...new Set(moves.flatMap((mv) => [mv.next.region, ...(mv.previous ? [mv.previous.region] : [])])),
];

const itemsOf = (scheme: Scheme, measure: MeasureDeclaration) =>
  measuredItems(scheme).filter((i) => i.measure === measure.code);

/**
 * Stores the key's new fact and returns the move, or null when the event is stale. The row is
 * inserted first if absent (ON CONFLICT DO NOTHING: two first events of one key queue on the
 * row instead of racing into a unique violation), then locked.
 */
async function storeFact(
  m: EntityManager,
  eventId: string,
  measure: MeasureDeclaration,
  read: Fact,
  event: MeasuredEvent,
): Promise<FactMove | null> {
  const first = nextFact(measure, null, read, event);
  const inserted = await m.query<unknown[]>(
    `INSERT INTO facts (measure, fact_key, unit, region, fact_date, validity, numerator,
                        denominator, version, event_id)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)
     ON CONFLICT (measure, fact_key) DO NOTHING
     RETURNING fact_key`,
    [
      first.measure,
      first.key,
      first.unit,
      first.region,
      first.date,
      JSON.stringify(first.intervals),
      first.numerator,
      first.denominator,
      first.version,
      eventId,
    ],
  );
  if (inserted.length > 0) return { measure, previous: null, next: first };

  const row = await m.findOneOrFail(FactRow, {
    where: { measure: read.measure, factKey: read.key },
    lock: { mode: 'pessimistic_write' },
  });
  const previous = toFact(row);
  if (!supersedes(previous, read)) return null;
  const next = nextFact(measure, previous, read, event);
  await m.save(FactRow, toRow(next, eventId));
  return { measure, previous, next };
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
    intervals: r.validity,
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
  validity: [...f.intervals],
  numerator: f.numerator,
  denominator: f.denominator,
  version: f.version,
  eventId,
});
