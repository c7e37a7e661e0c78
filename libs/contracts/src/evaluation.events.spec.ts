import {
  CreateSchemeBody,
  EVALUATION_EVENT_DEFINITIONS,
  EvaluationEventTypes,
  ManualValuesBody,
} from './evaluation.events';
import { findEventDefinition } from './event-types';
import { validate } from './validation';

const indicator = (over: Record<string, unknown> = {}) => ({
  code: 'GDP',
  name: '地区生产总值',
  unitOfMeasure: '万元',
  target: '15000000.00',
  weight: 20,
  direction: 'higher-is-better',
  rule: { kind: 'linear', capPct: 110 },
  source: { kind: 'manual', ownerUnit: 'STATS' },
  ...over,
});

const scheme = (over: Record<string, unknown> = {}) => ({
  code: 'COUNTY-2026',
  name: '2026年度目标绩效考评',
  regionCode: '511112',
  period: '2026',
  subjectKind: 'unit',
  subjects: [
    { code: 'AGRI', name: '农业农村局' },
    { code: 'DRC', name: '发改局' },
  ],
  indicators: [indicator()],
  ...over,
});

const fieldsOf = (input: unknown): string[] => {
  const result = validate(CreateSchemeBody, input);
  return result.ok ? [] : result.issues.map((i) => i.field);
};

describe('CreateSchemeBody', () => {
  it('accepts a valid scheme and defaults deductions to none', () => {
    const result = validate(CreateSchemeBody, scheme());
    expect(result.ok && result.value.deductions).toEqual([]);
  });

  it.each(['2026', '2026-Q3', '2026-07'])('accepts period %p', (period) => {
    expect(fieldsOf(scheme({ period }))).toEqual([]);
  });

  it.each(['2026-Q5', '2026-13', '26', '2026-H1'])('rejects period %p', (period) => {
    expect(fieldsOf(scheme({ period }))).toEqual(['period']);
  });

  it.each([
    ['a zero weight', { weight: 0 }, 'indicators.0.weight'],
    ['a negative weight', { weight: -5 }, 'indicators.0.weight'],
    ['a cap below 100 %', { rule: { kind: 'linear', capPct: 90 } }, 'indicators.0.rule.capPct'],
    [
      'a parameter of another rule kind',
      { rule: { kind: 'threshold', capPct: 120 } },
      'indicators.0.rule.capPct',
    ],
    [
      'rank points that increase',
      { rule: { kind: 'rank', pointsPct: [80, 100] } },
      'indicators.0.rule.pointsPct',
    ],
    ['an unknown rule kind', { rule: { kind: 'curve' } }, 'indicators.0.rule.kind'],
    [
      'an unknown measure',
      { source: { kind: 'event', measure: 'gdp' } },
      'indicators.0.source.measure',
    ],
    ['a number target for 万元', { target: 1500 }, 'indicators.0.target'],
    ['a money target for %', { unitOfMeasure: '%', target: '10.00' }, 'indicators.0.target'],
    [
      'a linear target of zero, higher is better',
      { unitOfMeasure: '%', target: 0 },
      'indicators.0.target',
    ],
    [
      'a linear target of zero, lower is better (any actual above it would score the cap)',
      { unitOfMeasure: '次', target: 0, direction: 'lower-is-better' },
      'indicators.0.target',
    ],
    [
      'a negative linear target, lower is better',
      { unitOfMeasure: '次', target: -2, direction: 'lower-is-better' },
      'indicators.0.target',
    ],
  ])('rejects %s, naming the field', (_what, over, field) => {
    expect(fieldsOf(scheme({ indicators: [indicator(over)] }))).toEqual([field]);
  });

  it('rejects duplicate subjects and subject codes of the wrong kind', () => {
    const subjects = [
      { code: 'AGRI', name: 'a' },
      { code: 'AGRI', name: 'b' },
    ];
    expect(fieldsOf(scheme({ subjects }))).toEqual(['subjects.1.code']);
    expect(fieldsOf(scheme({ subjectKind: 'region' }))).toEqual([
      'subjects.0.code',
      'subjects.1.code',
    ]);
  });

  it('rejects an item code used twice, across indicators and deductions', () => {
    const deductions = [
      { code: 'GDP', name: '扣分', measure: 'open-major-alerts', pointsEach: 2, capPoints: 10 },
    ];
    expect(fieldsOf(scheme({ indicators: [indicator(), indicator()] }))).toEqual([
      'indicators.1.code',
    ]);
    expect(fieldsOf(scheme({ deductions }))).toEqual(['deductions.0.code']);
  });

  it('rejects an unknown field', () => {
    expect(fieldsOf(scheme({ colour: 'red' }))).toEqual(['colour']);
  });

  it('takes a target of zero, lower is better, for a threshold or rank rule', () => {
    const zero = { unitOfMeasure: '次', target: 0, direction: 'lower-is-better' };
    expect(
      fieldsOf(scheme({ indicators: [indicator({ ...zero, rule: { kind: 'threshold' } })] })),
    ).toEqual([]);
    expect(
      fieldsOf(
        scheme({ indicators: [indicator({ ...zero, rule: { kind: 'rank', pointsPct: [100] } })] }),
      ),
    ).toEqual([]);
  });
});

describe('ManualValuesBody', () => {
  it('takes money strings and numbers', () => {
    const body = {
      values: [
        { indicator: 'GDP', subject: 'DRC', value: '12020900.00' },
        { indicator: 'GROWTH', subject: 'DRC', value: 4.1 },
      ],
    };
    expect(validate(ManualValuesBody, body).ok).toBe(true);
    expect(validate(ManualValuesBody, { values: [] }).ok).toBe(false);
  });
});

describe('evaluation event definitions', () => {
  it('registers every evaluation type at version 1', () => {
    for (const type of Object.values(EvaluationEventTypes)) {
      expect(findEventDefinition(type)?.version).toBe(1);
    }
    expect(EVALUATION_EVENT_DEFINITIONS).toHaveLength(Object.keys(EvaluationEventTypes).length);
  });
});
