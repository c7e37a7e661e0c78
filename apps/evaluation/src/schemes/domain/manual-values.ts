import {
  FieldIssue,
  IndicatorDefinition,
  ManualValuesBody,
  MoneyWan,
  RuleViolation,
} from '@duban/contracts';
import { SchemeShape, isMoney } from './scheme';

export interface CheckedValue {
  indicator: IndicatorDefinition;
  subject: string;
  /** A decimal string, as stored. */
  value: string;
}

/**
 * Checks posted values against the scheme: a known indicator of a manual source (an event
 * indicator takes no posted value: 409), a subject of the scheme, money as 万元 strings for
 * 万元 indicators and numbers otherwise (400 naming the field). Ownership is checked apart.
 */
export function checkManualValues(scheme: SchemeShape, body: ManualValuesBody): CheckedValue[] {
  const errors: FieldIssue[] = [];
  const subjects = new Set(scheme.subjects.map((s) => s.code));
  const checked: CheckedValue[] = [];
  body.values.forEach((v, i) => {
    const at = (f: string) => `values.${i}.${f}`;
    const indicator = scheme.indicators.find((ind) => ind.code === v.indicator);
    if (!indicator)
      return errors.push({
        field: at('indicator'),
        message: `no indicator ${v.indicator} in this scheme`,
      });
    if (indicator.source.kind !== 'manual') {
      throw new RuleViolation(
        `indicator ${v.indicator} is read from events (measure ${indicator.source.measure}); it takes no posted values`,
        'conflict',
        { field: at('indicator') },
      );
    }
    if (!subjects.has(v.subject))
      errors.push({
        field: at('subject'),
        message: `${v.subject} is not a subject of this scheme`,
      });
    const money = isMoney(indicator);
    if (money && !MoneyWan.safeParse(v.value).success)
      errors.push({
        field: at('value'),
        message: 'must be a decimal string in 万元 with two decimals',
      });
    if (!money && typeof v.value !== 'number')
      errors.push({ field: at('value'), message: 'must be a number' });
    checked.push({ indicator, subject: v.subject, value: String(v.value) });
  });
  if (errors.length) {
    throw new RuleViolation(errors.map((e) => `${e.field}: ${e.message}`).join('; '), 'invalid', {
      errors,
    });
  }
  return checked;
}
