import {
  CreateSchemeBody,
  DeductionDefinition,
  FieldIssue,
  IndicatorDefinition,
  IndicatorValue,
  MONEY_UNIT,
  MeasureCode,
  RuleViolation,
} from '@duban/contracts';
import { MEASURES } from '../../measures/domain/catalogue';
import { SchemeScope } from '../../measures/domain/fact';
import { IndicatorSpec } from '../../scoring/domain/scoring';
import { periodSpan } from './period';

/** An indicator or deduction that reads an event measure. */
export interface MeasuredItem {
  code: string;
  measure: MeasureCode;
}

export interface SchemeShape {
  regionCode: string;
  period: string;
  subjectKind: 'unit' | 'region';
  subjects: readonly { code: string }[];
  indicators: readonly IndicatorDefinition[];
  deductions: readonly DeductionDefinition[];
}

/** Whether a measure counts keys (what a deduction takes points for). */
const isCount = (code: MeasureCode): boolean => {
  const a = MEASURES[code].aggregation;
  return a.kind === 'count-in-state' || (a.kind === 'sum' && 'constant' in a.value);
};

/**
 * What zod cannot see, knowing the measure catalogue: an event indicator's unit must fit its
 * measure (万元 for money); a unit scheme cannot read a measure without a unit (it ranks regions
 * only); a deduction counts items, so only count measures.
 */
export function checkSources(body: CreateSchemeBody): void {
  const errors: FieldIssue[] = [];
  const noUnit = (code: MeasureCode): boolean =>
    body.subjectKind === 'unit' && MEASURES[code].unitField === null;
  const unitMessage = (code: MeasureCode) =>
    `measure ${code} has no unit: it ranks regions only, not the units of a unit scheme`;
  body.indicators.forEach((ind, i) => {
    if (ind.source.kind !== 'event') return;
    if (noUnit(ind.source.measure)) {
      errors.push({
        field: `indicators.${i}.source.measure`,
        message: unitMessage(ind.source.measure),
      });
    }
    const money = MEASURES[ind.source.measure].money;
    if (money !== (ind.unitOfMeasure === MONEY_UNIT)) {
      errors.push({
        field: `indicators.${i}.unitOfMeasure`,
        message: money
          ? `must be ${MONEY_UNIT}: measure ${ind.source.measure} is money`
          : `must not be ${MONEY_UNIT}: measure ${ind.source.measure} is not money`,
      });
    }
  });
  body.deductions.forEach((d, i) => {
    if (!isCount(d.measure)) {
      errors.push({
        field: `deductions.${i}.measure`,
        message: `measure ${d.measure} does not count items: a deduction takes points per item`,
      });
    } else if (noUnit(d.measure)) {
      errors.push({ field: `deductions.${i}.measure`, message: unitMessage(d.measure) });
    }
  });
  if (errors.length) {
    throw new RuleViolation(errors.map((e) => `${e.field}: ${e.message}`).join('; '), 'invalid', {
      errors,
    });
  }
}

export function measuredItems(s: SchemeShape): MeasuredItem[] {
  const items: MeasuredItem[] = [];
  for (const ind of s.indicators) {
    if (ind.source.kind === 'event') items.push({ code: ind.code, measure: ind.source.measure });
  }
  for (const d of s.deductions) items.push({ code: d.code, measure: d.measure });
  return items;
}

export const measuresOf = (s: SchemeShape): string[] => [
  ...new Set(measuredItems(s).map((i) => i.measure)),
];

export function scopeOf(s: SchemeShape): SchemeScope {
  return {
    subjectKind: s.subjectKind,
    regionCode: s.regionCode,
    subjects: new Set(s.subjects.map((x) => x.code)),
    span: periodSpan(s.period),
  };
}

export const isMoney = (ind: IndicatorDefinition): boolean => ind.unitOfMeasure === MONEY_UNIT;

export function indicatorSpec(ind: IndicatorDefinition): IndicatorSpec {
  return {
    code: ind.code,
    weight: ind.weight,
    target: Number(ind.target),
    direction: ind.direction,
    rule: ind.rule,
  };
}

/** An actual as sums (numerator, denominator); null when no value is known. */
export interface ActualSums {
  numerator: string;
  denominator: string;
}

const isRatio = (ind: IndicatorDefinition): boolean =>
  ind.source.kind === 'event' && MEASURES[ind.source.measure].aggregation.kind === 'ratio';

/**
 * The indicator's actual as scored, unrounded (a ratio of 2 over 3 is 66.666…%). Unknown
 * (null): a manual value never posted, a ratio with nothing due. An event sum or count with no
 * facts is zero.
 */
export function actualNumber(ind: IndicatorDefinition, sums: ActualSums | null): number | null {
  if (ind.source.kind === 'manual' && !sums) return null;
  const { numerator, denominator } = sums ?? { numerator: '0', denominator: '0' };
  if (isRatio(ind)) {
    const den = Number(denominator);
    return den === 0 ? null : (Number(numerator) / den) * 100;
  }
  return Number(numerator);
}

/**
 * The indicator's actual as published: MoneyWan for 万元, a percentage (two decimals) for a
 * ratio, otherwise the number; null when unknown (see `actualNumber`).
 */
export function actualValue(
  ind: IndicatorDefinition,
  sums: ActualSums | null,
): IndicatorValue | null {
  const value = actualNumber(ind, sums);
  if (value === null) return null;
  if (isRatio(ind)) return Math.round(value * 100) / 100;
  return isMoney(ind) ? toMoneyWan(sums?.numerator ?? '0') : value;
}

/** A PostgreSQL numeric (or any decimal string) as 万元 with two decimals, exactly. */
export function toMoneyWan(decimal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) throw new Error(`not a decimal: ${decimal}`);
  const frac = (m[3] ?? '').padEnd(2, '0');
  const value = `${BigInt(m[2])}.${frac.slice(0, 2)}`;
  return m[1] && !/^0\.00$/.test(value) ? `-${value}` : value;
}

/** 扣分 count: the number of counted keys (open major alerts, …). */
export const deductionCount = (sums: ActualSums | null): number =>
  sums ? Number(sums.numerator) : 0;
