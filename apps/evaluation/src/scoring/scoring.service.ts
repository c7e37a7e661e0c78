import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  DubanEvent,
  EvaluationEventTypes,
  RankingPublishedData,
  Topics,
  createEvent,
} from '@duban/contracts';
import { addToOutbox } from '@duban/messaging';
import { Scheme } from '../schemes/scheme.entity';
import { ActualSums } from '../schemes/domain/scheme';
import { Actual } from './actual.entity';
import {
  ActualsIndex,
  SubjectResult,
  rankingOf,
  sameRanking,
  scoreChangedData,
  scoreSubject,
  scoresArePeerDependent,
} from './scheme-scores';
import { Score } from './score.entity';

/**
 * Re-scores the subjects whose actuals changed (all of them when a rank rule couples them),
 * re-ranks the scheme, and publishes what changed: `duban.score.changed` per subject whose
 * results differ, `duban.ranking.published` only when the order or ranks differ. Runs inside
 * the caller's transaction, with the scheme row locked by the caller.
 */
@Injectable()
export class ScoringService {
  async rescore(m: EntityManager, scheme: Scheme, changed: ReadonlySet<string>): Promise<void> {
    const actuals = await loadActuals(m, scheme.id);
    const subjects = scoresArePeerDependent(scheme)
      ? scheme.subjects.map((s) => s.code)
      : [...changed];
    const stored = new Map(
      (await m.findBy(Score, { schemeId: scheme.id, subject: In(subjects) })).map((s) => [
        s.subject,
        s,
      ]),
    );
    const names = new Map(scheme.subjects.map((s) => [s.code, s.name]));
    const events: DubanEvent[] = [];
    for (const subject of subjects) {
      const result = scoreSubject(scheme, actuals, subject);
      const before = stored.get(subject);
      if (before && sameResult(before, result)) continue;
      await m.save(Score, { schemeId: scheme.id, rank: before?.rank ?? 0, ...result });
      const data = scoreChangedData(scheme, names.get(subject) ?? subject, result);
      events.push(schemeEvent(EvaluationEventTypes.scoreChanged, scheme, data));
    }
    if (events.length === 0) return;
    events.push(...(await this.rerank(m, scheme)));
    await addToOutbox(m, Topics.evaluation, events);
  }

  /** Stores each subject's rank; returns the ranking event when the ranking changed. */
  private async rerank(m: EntityManager, scheme: Scheme): Promise<DubanEvent[]> {
    const scores = await m.findBy(Score, { schemeId: scheme.id });
    const ranking = rankingOf(scheme.subjects, scores);
    const rankOf = new Map(ranking.map((r) => [r.subject, r.rank]));
    for (const s of scores) {
      const rank = rankOf.get(s.subject)!;
      if (s.rank !== rank)
        await m.update(Score, { schemeId: scheme.id, subject: s.subject }, { rank });
    }
    if (sameRanking(scheme.ranking, ranking)) return [];
    scheme.ranking = ranking;
    await m.update(Scheme, { id: scheme.id }, { ranking });
    const data: RankingPublishedData = {
      schemeId: scheme.id,
      schemeCode: scheme.code,
      period: scheme.period,
      subjectKind: scheme.subjectKind,
      ranking,
    };
    return [schemeEvent(EvaluationEventTypes.rankingPublished, scheme, data)];
  }
}

async function loadActuals(m: EntityManager, schemeId: string): Promise<ActualsIndex> {
  const index = new Map<string, Map<string, ActualSums>>();
  for (const a of await m.findBy(Actual, { schemeId })) {
    const byItem = index.get(a.itemCode) ?? new Map<string, ActualSums>();
    byItem.set(a.subject, { numerator: a.numerator, denominator: a.denominator });
    index.set(a.itemCode, byItem);
  }
  return index;
}

function sameResult(before: Score, after: SubjectResult): boolean {
  return (
    before.total === after.total &&
    before.deductionPoints === after.deductionPoints &&
    canonical(before.results) === canonical(after.results) &&
    canonical(before.deductions) === canonical(after.deductions)
  );
}

/** JSON with sorted keys: jsonb does not keep the key order it was given. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Every scheme event is keyed by the scheme: its scores and rankings stay in order. */
export function schemeEvent(type: string, scheme: Scheme, data: object): DubanEvent {
  return createEvent({
    type,
    service: 'evaluation',
    subject: scheme.id,
    region: scheme.regionCode,
    data,
  });
}
