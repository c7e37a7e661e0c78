import { CreateSchemeBody, IndicatorDefinition, RuleViolation } from '@duban/contracts';
import { checkManualValues } from './manual-values';
import { scoreSubject } from '../../scoring/scheme-scores';
import { actualNumber, actualValue, checkSources, measuresOf, toMoneyWan } from './scheme';

const manualMoney: IndicatorDefinition = {
  code: 'GDP',
  name: '地区生产总值',
  unitOfMeasure: '万元',
  target: '15000000.00',
  weight: 20,
  direction: 'higher-is-better',
  rule: { kind: 'linear', capPct: 110 },
  source: { kind: 'manual', ownerUnit: 'STATS' },
};
const ratio: IndicatorDefinition = {
  ...manualMoney,
  code: 'ON-TIME',
  unitOfMeasure: '%',
  target: 90,
  source: { kind: 'event', measure: 'milestones-on-time' },
};
const sum: IndicatorDefinition = {
  ...manualMoney,
  code: 'INVESTMENT',
  source: { kind: 'event', measure: 'investment-completed' },
};

const scheme: CreateSchemeBody = {
  code: 'S',
  name: 'S',
  regionCode: '511112',
  period: '2026',
  subjectKind: 'unit',
  subjects: [{ code: 'DRC', name: '发改局' }],
  indicators: [manualMoney, ratio, sum],
  deductions: [
    { code: 'D', name: '扣分', measure: 'open-major-alerts', pointsEach: 1, capPoints: 5 },
  ],
};

describe('actualValue', () => {
  it('shows 万元 sums as MoneyWan, exactly', () => {
    expect(actualValue(sum, { numerator: '12020900', denominator: '0' })).toBe('12020900.00');
    expect(actualValue(sum, { numerator: '8000.50', denominator: '0' })).toBe('8000.50');
    expect(actualValue(sum, null)).toBe('0.00');
  });

  it('shows a ratio in percent, and unknown when nothing was due', () => {
    expect(actualValue(ratio, { numerator: '2', denominator: '3' })).toBe(66.67);
    expect(actualValue(ratio, { numerator: '0', denominator: '0' })).toBeNull();
  });

  it('scores a ratio unrounded: 2 of 3 (66.666… %) misses a 66.67 % threshold it shows', () => {
    expect(actualNumber(ratio, { numerator: '2', denominator: '3' })).toBeCloseTo(66.6667, 4);
    const threshold = { ...ratio, target: 66.67, rule: { kind: 'threshold' as const } };
    const result = scoreSubject(
      { ...scheme, indicators: [threshold], deductions: [] },
      new Map([['ON-TIME', new Map([['DRC', { numerator: '2', denominator: '3' }]])]]),
      'DRC',
    );
    expect(result.results).toEqual([
      { code: 'ON-TIME', actual: 66.67, completionPct: 100, score: 0 },
    ]);
  });

  it('knows nothing of a manual value never posted', () => {
    expect(actualValue(manualMoney, null)).toBeNull();
  });
});

describe('toMoneyWan', () => {
  it.each([
    ['0', '0.00'],
    ['-0.00', '0.00'],
    ['-12.5', '-12.50'],
    ['007.10', '7.10'],
  ])('%s → %s', (input, out) => {
    expect(toMoneyWan(input)).toBe(out);
  });
});

describe('checkSources', () => {
  it('names the field when an event indicator’s unit does not fit its measure', () => {
    const bad = { ...scheme, indicators: [{ ...sum, unitOfMeasure: '%', target: 100 }] };
    expect(() => checkSources(bad)).toThrow(RuleViolation);
    try {
      checkSources(bad);
    } catch (err) {
      expect((err as RuleViolation).details.errors).toEqual([
        { field: 'indicators.0.unitOfMeasure', message: expect.stringContaining('万元') },
      ]);
    }
  });

  const fieldsOf = (body: CreateSchemeBody): string[] => {
    try {
      checkSources(body);
      return [];
    } catch (err) {
      return ((err as RuleViolation).details.errors ?? []).map((e) => e.field);
    }
  };
  const inProduction: IndicatorDefinition = {
    ...ratio,
    code: 'ENTERPRISES',
    unitOfMeasure: '家',
    target: 5,
    source: { kind: 'event', measure: 'enterprises-in-production' },
  };
  const deduction = (measure: CreateSchemeBody['deductions'][number]['measure']) => ({
    code: 'D',
    name: '扣分',
    measure,
    pointsEach: 1,
    capPoints: 5,
  });

  it('refuses a measure without a unit in a unit scheme, naming the measure', () => {
    expect(fieldsOf({ ...scheme, indicators: [manualMoney, inProduction] })).toEqual([
      'indicators.1.source.measure',
    ]);
    expect(fieldsOf({ ...scheme, deductions: [deduction('enterprises-in-production')] })).toEqual([
      'deductions.0.measure',
    ]);
    const cityScheme: CreateSchemeBody = {
      ...scheme,
      regionCode: '511100',
      subjectKind: 'region',
      subjects: [{ code: '511112', name: '犍为县' }],
      indicators: [inProduction],
      deductions: [],
    };
    expect(fieldsOf(cityScheme)).toEqual([]);
  });

  it('takes deductions on count measures only', () => {
    expect(fieldsOf({ ...scheme, deductions: [deduction('investment-completed')] })).toEqual([
      'deductions.0.measure',
    ]);
    expect(fieldsOf({ ...scheme, deductions: [deduction('milestones-on-time')] })).toEqual([
      'deductions.0.measure',
    ]);
    expect(
      fieldsOf({
        ...scheme,
        deductions: [deduction('alerts-raised'), { ...deduction('open-major-alerts'), code: 'E' }],
      }),
    ).toEqual([]);
  });

  it('lists the measures a scheme reads once each', () => {
    expect(measuresOf(scheme)).toEqual([
      'milestones-on-time',
      'investment-completed',
      'open-major-alerts',
    ]);
  });
});

describe('checkManualValues', () => {
  it('keeps money values as given', () => {
    const checked = checkManualValues(scheme, {
      values: [{ indicator: 'GDP', subject: 'DRC', value: '12020900.00' }],
    });
    expect(checked.map((c) => [c.indicator.code, c.subject, c.value])).toEqual([
      ['GDP', 'DRC', '12020900.00'],
    ]);
  });

  it('refuses a value for an event indicator as a conflict', () => {
    const attempt = () =>
      checkManualValues(scheme, { values: [{ indicator: 'ON-TIME', subject: 'DRC', value: 1 }] });
    expect(attempt).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  it('names every bad field at once', () => {
    try {
      checkManualValues(scheme, {
        values: [
          { indicator: 'GDP', subject: 'WATER', value: 1 },
          { indicator: 'NOPE', subject: 'DRC', value: 1 },
        ],
      });
      throw new Error('expected a refusal');
    } catch (err) {
      expect((err as RuleViolation).details.errors?.map((e) => e.field)).toEqual([
        'values.0.subject',
        'values.0.value',
        'values.1.indicator',
      ]);
    }
  });
});
