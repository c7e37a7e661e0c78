import { chinaDate } from '@duban/contracts';
import { PeriodSpan, inPeriod } from '../../schemes/domain/period';
import { Condition, MeasureDeclaration } from './measure';

/**
 * A fact: one key's latest contribution to a measure (one report month, one milestone, one
 * section, one enterprise, one alert). Numerator and denominator are decimal strings so money
 * stays exact; for `sum` and `count-in-state` the denominator is 0.
 *
 * A stock's fact (`until-end`) is a validity interval: counted (numerator 1) from `date`, the
 * day the key entered the counted state, until `until`, the day it left (exclusive; null while
 * it is still in it). A key that re-enters the state counts from its latest entry only.
 */
export interface Fact {
  measure: string;
  key: string;
  unit: string | null;
  region: string;
  /** YYYY-MM-DD in China time (a month reads as its first day). */
  date: string;
  /** Stocks: the day the key left the counted state; null otherwise. */
  until: string | null;
  numerator: string;
  denominator: string;
  version: number | null;
}

/** What a fact needs of an event: its envelope time and region, and its data. */
export interface MeasuredEvent {
  region: string;
  time: string;
  data: Record<string, unknown>;
}

/** Reads an event as a fact of `measure`; null when the event lacks the key or a date. */
export function readFact(measure: MeasureDeclaration, event: MeasuredEvent): Fact | null {
  const data = event.data;
  const keyParts = measure.key.map((f) => data[f]);
  if (keyParts.some((p) => p === undefined || p === null)) return null;
  const date = readDate(measure.dateFields, event);
  if (!date) return null;
  const unit = measure.unitField ? data[measure.unitField] : null;
  const version = measure.versionField ? data[measure.versionField] : null;
  const counted = !measure.filter || meetsAll(data, measure.filter);
  const [numerator, denominator] = counted ? contribution(measure, data) : ['0', '0'];
  return {
    measure: measure.code,
    key: keyParts.map(String).join('|'),
    unit: typeof unit === 'string' ? unit : null,
    region: event.region,
    date,
    until: null,
    numerator,
    denominator,
    version: typeof version === 'number' ? version : null,
  };
}

/**
 * The fact to store when `read` (from `event`) follows `previous` for the same key. Flows take
 * the event's fact as it is. A stock keeps the day its key entered the counted state while it
 * stays there (an `enterprise.updated` changing only the employees moves no date), closes the
 * interval on the day it leaves, and keeps a closed interval while the key stays out.
 */
export function nextFact(
  measure: MeasureDeclaration,
  previous: Fact | null,
  read: Fact,
  event: MeasuredEvent,
): Fact {
  if (measure.periodMatch !== 'until-end' || !previous) return read;
  const changedOn = readDate(measure.changedOnFields ?? measure.dateFields, event) ?? read.date;
  const wasCounted = !isZero(previous.numerator);
  const stillIn = wasCounted && previous.until === null;
  if (!isZero(read.numerator)) {
    return { ...read, date: stillIn ? previous.date : changedOn, until: null };
  }
  if (stillIn) {
    return { ...read, numerator: previous.numerator, date: previous.date, until: changedOn };
  }
  if (wasCounted) {
    return { ...read, numerator: previous.numerator, date: previous.date, until: previous.until };
  }
  return { ...read, date: changedOn };
}

/** Whether `next` may replace `previous`: never an older version (latest per key wins). */
export function supersedes(previous: Fact | null, next: Fact): boolean {
  if (!previous || previous.version === null || next.version === null) return true;
  return next.version >= previous.version;
}

function contribution(
  measure: MeasureDeclaration,
  data: Record<string, unknown>,
): [string, string] {
  const a = measure.aggregation;
  switch (a.kind) {
    case 'sum':
      return ['constant' in a.value ? '1' : decimal(data[a.value.field]), '0'];
    case 'count-in-state':
      return [meetsAll(data, a.when) ? '1' : '0', '0'];
    case 'ratio': {
      const due = meetsAll(data, a.denominator);
      return [due && meetsAll(data, a.numerator) ? '1' : '0', due ? '1' : '0'];
    }
  }
}

function decimal(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
  return '0';
}

export function meetsAll(data: Record<string, unknown>, conditions: readonly Condition[]): boolean {
  return conditions.every((c) => meets(data, c));
}

function meets(data: Record<string, unknown>, c: Condition): boolean {
  const value = data[c.field];
  if ('in' in c) return c.in.includes(value as string);
  if ('notIn' in c) return !c.notIn.includes(value as string);
  const other = data[c.notAfterField];
  return typeof value === 'string' && typeof other === 'string' && value <= other;
}

function readDate(fields: readonly string[], event: MeasuredEvent): string | null {
  for (const field of fields) {
    const raw = field === '$time' ? event.time : event.data[field];
    if (typeof raw !== 'string') continue;
    if (/^\d{4}-\d{2}$/.test(raw)) return `${raw}-01`;
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return raw;
    const instant = Date.parse(raw);
    if (!Number.isNaN(instant)) return chinaDate(new Date(instant));
  }
  return null;
}

/** Which facts a scheme counts: its subjects (in its region, for unit schemes) and period. */
export interface SchemeScope {
  subjectKind: 'unit' | 'region';
  regionCode: string;
  subjects: ReadonlySet<string>;
  span: PeriodSpan;
}

export interface Contribution {
  subject: string;
  numerator: string;
  denominator: string;
}

/** The subject a fact counts for in a scheme, and how much; null when outside its scope. */
export function contributionTo(
  scope: SchemeScope,
  measure: MeasureDeclaration,
  fact: Fact | null,
): Contribution | null {
  if (!fact || !inPeriod(fact.date, scope.span, measure.periodMatch, fact.until)) return null;
  const subject = scope.subjectKind === 'unit' ? fact.unit : fact.region;
  if (subject === null || !scope.subjects.has(subject)) return null;
  if (scope.subjectKind === 'unit' && fact.region !== scope.regionCode) return null;
  return { subject, numerator: fact.numerator, denominator: fact.denominator };
}

/**
 * The changes to a scheme's actuals when a key's fact moves from `previous` to `next`: take
 * out the old contribution, put in the new one (possibly for another subject). Empty when the
 * change makes no difference to this scheme.
 */
export function adjustments(
  scope: SchemeScope,
  measure: MeasureDeclaration,
  previous: Fact | null,
  next: Fact,
): Contribution[] {
  const before = contributionTo(scope, measure, previous);
  const after = contributionTo(scope, measure, next);
  if (sameContribution(before, after)) return [];
  const out: Contribution[] = [];
  if (before)
    out.push({
      ...before,
      numerator: negate(before.numerator),
      denominator: negate(before.denominator),
    });
  if (after) out.push(after);
  return out.filter((c) => !isZero(c.numerator) || !isZero(c.denominator));
}

function sameContribution(a: Contribution | null, b: Contribution | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.subject === b.subject &&
    Number(a.numerator) === Number(b.numerator) &&
    Number(a.denominator) === Number(b.denominator)
  );
}

const negate = (d: string): string => (d.startsWith('-') ? d.slice(1) : isZero(d) ? d : `-${d}`);
const isZero = (d: string): boolean => /^-?0+(\.0+)?$/.test(d);
