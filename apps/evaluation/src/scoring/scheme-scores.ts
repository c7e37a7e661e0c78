import { DeductionResult, IndicatorResult, RankingEntry, ScoreChangedData } from '@duban/contracts';
import {
  ActualSums,
  SchemeShape,
  actualNumber,
  actualValue,
  deductionCount,
  indicatorSpec,
} from '../schemes/domain/scheme';
import { rankSubjects, scoreDeduction, scoreIndicator, totalOf } from './domain/scoring';

/** Actual sums by item code, then subject. */
export type ActualsIndex = ReadonlyMap<string, ReadonlyMap<string, ActualSums>>;

export interface SubjectResult {
  subject: string;
  total: number;
  indicatorPoints: number;
  deductionPoints: number;
  results: IndicatorResult[];
  deductions: DeductionResult[];
}

/** A subject's results in a scheme, from the scheme's actuals (all subjects', for rank rules). */
export function scoreSubject(
  scheme: SchemeShape,
  actuals: ActualsIndex,
  subject: string,
): SubjectResult {
  const results: IndicatorResult[] = [];
  const indicatorScores = scheme.indicators.map((ind) => {
    const spec = indicatorSpec(ind);
    const byCode = actuals.get(ind.code);
    const sums = byCode?.get(subject) ?? null;
    // Scored unrounded; the actual is rounded only as published.
    const peers =
      ind.rule.kind === 'rank'
        ? scheme.subjects.map((s) => actualNumber(ind, byCode?.get(s.code) ?? null))
        : [];
    const scored = scoreIndicator(spec, actualNumber(ind, sums), peers);
    results.push({
      code: ind.code,
      actual: actualValue(ind, sums),
      completionPct: scored.completionPct,
      score: scored.score,
    });
    return scored;
  });
  const deductions = scheme.deductions.map((d) =>
    scoreDeduction(d, deductionCount(actuals.get(d.code)?.get(subject) ?? null)),
  );
  const total = totalOf(indicatorScores, deductions);
  return {
    subject,
    total: total.total,
    indicatorPoints: total.indicatorPoints,
    deductionPoints: total.deductionPoints,
    results,
    deductions,
  };
}

/** Whether any indicator couples subjects (a rank rule): then one change re-scores them all. */
export const scoresArePeerDependent = (scheme: SchemeShape): boolean =>
  scheme.indicators.some((i) => i.rule.kind === 'rank');

export function rankingOf(
  subjects: readonly { code: string; name: string }[],
  totals: readonly { subject: string; total: number }[],
): RankingEntry[] {
  const names = new Map(subjects.map((s) => [s.code, s.name]));
  return rankSubjects(totals).map((r) => ({
    rank: r.rank,
    subject: r.subject,
    name: names.get(r.subject) ?? r.subject,
    total: r.total,
  }));
}

/** The ranking as order and ranks only: totals moving within the same order change nothing. */
export const sameRanking = (a: readonly RankingEntry[], b: readonly RankingEntry[]): boolean =>
  a.length === b.length && a.every((e, i) => e.subject === b[i].subject && e.rank === b[i].rank);

export function scoreChangedData(
  scheme: SchemeShape & { id: string; code: string },
  name: string,
  r: SubjectResult,
): ScoreChangedData {
  return {
    schemeId: scheme.id,
    schemeCode: scheme.code,
    period: scheme.period,
    subject: r.subject,
    subjectName: name,
    total: r.total,
    indicatorPoints: r.indicatorPoints,
    deductionPoints: r.deductionPoints,
    results: r.results,
    deductions: r.deductions,
  };
}
