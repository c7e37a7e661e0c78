import {
  IndicatorSpec,
  completionPct,
  rankOf,
  rankSubjects,
  round2,
  scoreDeduction,
  scoreIndicator,
  totalOf,
} from './scoring';

const linear = (over: Partial<IndicatorSpec> = {}): IndicatorSpec => ({
  code: 'GDP',
  weight: 20,
  target: 1500,
  direction: 'higher-is-better',
  rule: { kind: 'linear', capPct: 120 },
  ...over,
});

describe('linear to target, capped', () => {
  it('scores the weight times the completion', () => {
    expect(scoreIndicator(linear(), 1202.09, [])).toEqual({
      code: 'GDP',
      completionPct: 80.14,
      score: 16.03,
    });
  });

  it('stops at the cap however far the target is passed', () => {
    expect(scoreIndicator(linear(), 3000, []).score).toBe(24);
    expect(scoreIndicator(linear({ rule: { kind: 'linear', capPct: 100 } }), 3000, []).score).toBe(
      20,
    );
  });

  it('scores from the unrounded completion, rounding only what it shows', () => {
    // 1 of 7 is 14.2857… %: 50 × 14.2857 % = 7.14 (not 50 × 14.29 % = 7.145 → 7.15).
    expect(scoreIndicator(linear({ weight: 50, target: 7 }), 1, [])).toEqual({
      code: 'GDP',
      completionPct: 14.29,
      score: 7.14,
    });
  });

  it('never goes below zero', () => {
    expect(scoreIndicator(linear({ target: 10 }), -3, []).score).toBe(0);
  });

  it('scores nothing and shows no completion for an unknown actual', () => {
    expect(scoreIndicator(linear(), null, [])).toEqual({
      code: 'GDP',
      completionPct: null,
      score: 0,
    });
  });

  it('inverts the ratio when lower is better; an actual of zero reaches the cap', () => {
    const spec = linear({ target: 5, direction: 'lower-is-better', weight: 10 });
    expect(scoreIndicator(spec, 10, []).score).toBe(5);
    expect(scoreIndicator(spec, 4, []).score).toBe(12);
    expect(completionPct(spec, 0)).toBe(120);
  });
});

describe('threshold', () => {
  const spec = linear({ target: 10, weight: 10, rule: { kind: 'threshold' } });

  it('gives the whole weight at or past the target, nothing below', () => {
    expect(scoreIndicator(spec, 10.9, []).score).toBe(10);
    expect(scoreIndicator(spec, 10, []).score).toBe(10);
    expect(scoreIndicator(spec, 9.99, []).score).toBe(0);
  });

  it('reads "past" the other way when lower is better', () => {
    const lower = { ...spec, direction: 'lower-is-better' as const };
    expect(scoreIndicator(lower, 9, []).score).toBe(10);
    expect(scoreIndicator(lower, 11, []).score).toBe(0);
  });
});

describe('rank-based', () => {
  const spec = linear({ weight: 30, rule: { kind: 'rank', pointsPct: [100, 90, 80] } });
  const peers = [10.9, 11.6, 9.4, 10.9, null];

  it('gives points by rank among the peers, ties sharing the better rank', () => {
    expect(scoreIndicator(spec, 11.6, peers).score).toBe(30);
    expect(scoreIndicator(spec, 10.9, peers).score).toBe(27);
    // Three peers ahead (11.6, 10.9, 10.9): rank 4, beyond the points table.
    expect(rankOf(9.4, peers, 'higher-is-better')).toBe(4);
    expect(scoreIndicator(spec, 9.4, peers).score).toBe(0);
  });

  it('ranks the lowest first when lower is better, and an unknown actual scores nothing', () => {
    expect(rankOf(9.4, peers, 'lower-is-better')).toBe(1);
    expect(scoreIndicator(spec, null, peers).score).toBe(0);
  });
});

describe('weights, deductions and totals', () => {
  it('adds indicator points and subtracts capped deductions', () => {
    const a = scoreIndicator(linear(), 1500, []);
    const b = scoreIndicator(linear({ code: 'INV', weight: 25, target: 30000 }), 15000, []);
    const deduction = scoreDeduction({ code: 'ALERTS', pointsEach: 2, capPoints: 5 }, 4);
    expect(deduction).toEqual({ code: 'ALERTS', count: 4, points: 5 });
    expect(totalOf([a, b], [deduction])).toEqual({
      indicators: [a, b],
      deductions: [deduction],
      indicatorPoints: 32.5,
      deductionPoints: 5,
      total: 27.5,
    });
  });

  it('deducts per item below the cap', () => {
    expect(scoreDeduction({ code: 'D', pointsEach: 1.5, capPoints: 10 }, 3).points).toBe(4.5);
    expect(scoreDeduction({ code: 'D', pointsEach: 1.5, capPoints: 10 }, 0).points).toBe(0);
  });

  it('weights scale the same completion', () => {
    expect(scoreIndicator(linear({ weight: 10 }), 750, []).score).toBe(5);
    expect(scoreIndicator(linear({ weight: 40 }), 750, []).score).toBe(20);
  });
});

describe('round2', () => {
  it('rounds half away from zero, through float noise', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(-1.005)).toBe(-1.01);
    expect(round2(0.1 + 0.2)).toBe(0.3);
    expect(round2(-0.001)).toBe(0);
  });
});

describe('rankSubjects', () => {
  it('uses standard competition ranking (1, 2, 2, 4), ties listed by subject code', () => {
    const ranked = rankSubjects([
      { subject: 'WATER', total: 70 },
      { subject: 'ECON', total: 85.5 },
      { subject: 'DRC', total: 85.5 },
      { subject: 'AGRI', total: 91.2 },
      { subject: 'ENV', total: 60 },
    ]);
    expect(ranked.map((r) => [r.rank, r.subject])).toEqual([
      [1, 'AGRI'],
      [2, 'DRC'],
      [2, 'ECON'],
      [4, 'WATER'],
      [5, 'ENV'],
    ]);
  });
});
