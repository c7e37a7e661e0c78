import type { ScoringRule } from '@duban/contracts';

/**
 * Scoring (计分), pure. Every indicator scores in points out of its weight (times the cap for
 * a linear rule); a subject's total is the sum of its indicator points minus its deductions.
 * Every score is rounded to two decimals half away from zero, indicator by indicator, then the
 * total; rankings compare those rounded totals.
 */
export interface IndicatorSpec {
  code: string;
  weight: number;
  target: number;
  direction: 'higher-is-better' | 'lower-is-better';
  rule: ScoringRule;
}

export interface DeductionSpec {
  code: string;
  pointsEach: number;
  capPoints: number;
}

export interface IndicatorScore {
  code: string;
  completionPct: number | null;
  score: number;
}

export interface DeductionScore {
  code: string;
  count: number;
  points: number;
}

export interface SubjectScore {
  indicators: IndicatorScore[];
  deductions: DeductionScore[];
  indicatorPoints: number;
  deductionPoints: number;
  total: number;
}

export const round2 = (x: number): number => {
  const r = (Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9)) / 100;
  return r === 0 ? 0 : r;
};

/**
 * Completion against target in percent, unrounded: actual over target when higher is better,
 * target over actual when lower is better (an actual of zero or less then meets any target:
 * 100, or the cap of a linear rule). Null when the actual is unknown. Scores are computed from
 * this; only the published `completionPct` is rounded.
 */
export function completionPct(spec: IndicatorSpec, actual: number | null): number | null {
  if (actual === null) return null;
  if (spec.direction === 'higher-is-better') {
    return spec.target === 0 ? (actual >= 0 ? 100 : 0) : (actual / spec.target) * 100;
  }
  if (actual <= 0) return spec.rule.kind === 'linear' ? spec.rule.capPct : 100;
  return (Math.max(spec.target, 0) / actual) * 100;
}

/**
 * One indicator's points. `peerActuals` (every subject's actual, this one included) matter
 * only to the rank rule.
 */
export function scoreIndicator(
  spec: IndicatorSpec,
  actual: number | null,
  peerActuals: readonly (number | null)[],
): IndicatorScore {
  const completion = completionPct(spec, actual);
  return {
    code: spec.code,
    completionPct: completion === null ? null : round2(completion),
    score: round2(points(spec, actual, completion, peerActuals)),
  };
}

function points(
  spec: IndicatorSpec,
  actual: number | null,
  completion: number | null,
  peers: readonly (number | null)[],
): number {
  if (actual === null || completion === null) return 0;
  const rule = spec.rule;
  switch (rule.kind) {
    case 'linear':
      return (spec.weight * Math.min(Math.max(completion, 0), rule.capPct)) / 100;
    case 'threshold':
      return meetsTarget(spec, actual) ? spec.weight : 0;
    case 'rank': {
      const rank = rankOf(actual, peers, spec.direction);
      return (spec.weight * (rule.pointsPct[rank - 1] ?? 0)) / 100;
    }
  }
}

const meetsTarget = (spec: IndicatorSpec, actual: number): boolean =>
  spec.direction === 'higher-is-better' ? actual >= spec.target : actual <= spec.target;

/** Standard competition rank (1, 2, 2, 4) of `actual` among the known peer actuals. */
export function rankOf(
  actual: number,
  peers: readonly (number | null)[],
  direction: IndicatorSpec['direction'],
): number {
  const better = (p: number) => (direction === 'higher-is-better' ? p > actual : p < actual);
  return 1 + peers.filter((p): p is number => p !== null && better(p)).length;
}

export function scoreDeduction(spec: DeductionSpec, count: number): DeductionScore {
  return {
    code: spec.code,
    count,
    points: round2(Math.min(spec.capPoints, spec.pointsEach * count)),
  };
}

export function totalOf(indicators: IndicatorScore[], deductions: DeductionScore[]): SubjectScore {
  const indicatorPoints = round2(indicators.reduce((s, i) => s + i.score, 0));
  const deductionPoints = round2(deductions.reduce((s, d) => s + d.points, 0));
  return {
    indicators,
    deductions,
    indicatorPoints,
    deductionPoints,
    total: round2(indicatorPoints - deductionPoints),
  };
}

export interface Ranked {
  subject: string;
  total: number;
  rank: number;
}

/**
 * Ranks subjects by total, highest first, with standard competition ranking (1, 2, 2, 4) on
 * the two-decimal totals; tied subjects are listed by subject code.
 */
export function rankSubjects(totals: readonly { subject: string; total: number }[]): Ranked[] {
  const sorted = [...totals].sort(
    (a, b) => b.total - a.total || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0),
  );
  return sorted.map((t) => ({
    ...t,
    rank: 1 + sorted.filter((o) => o.total > t.total).length,
  }));
}
