import { chinaDate } from '@duban/contracts';
import { PeriodSpan, ValidInterval, inPeriod, validAtEnd } from '../../schemes/domain/period';
import { Condition, MeasureDeclaration } from './measure';

/**
 * A fact: one key's latest contribution to a measure (one report month, one milestone, one
 * section, one enterprise, one alert). Numerator and denominator are decimal strings so money
 * stays exact; for `sum` and `count-in-state` the denominator is 0.
 *
 * A stock's fact (`until-end`) keeps every interval the key spent in the counted state
 * (`intervals`, each from the day it entered to the day it left, exclusive; the last one open
 * while it is still in it) and counts (numerator 1) for a period when one of them contains the
 * period end. Leaving closes the last interval, re-entering appends a new one, so a key that
 * leaves and comes back still counts for the periods that ended while it was in. Its `date` is
 * the day it first entered (the day of its latest event while it never has).
 */
export interface Fact {
  measure: string;
  key: string;
  unit: string | null;
  region: string;
  /** YYYY-MM-DD in China time (a month reads as its first day). */
  date: string;
  /** Stocks: the intervals in the counted state, in order; empty for flows. */
  intervals: readonly ValidInterval[];
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
    intervals: measure.periodMatch === 'until-end' && !isZero(numerator) ? [[date, null]] : [],
    numerator,
    denominator,
    version: typeof version === 'number' ? version : null,
  };
}

/**
 * The fact to store when `read` (from `event`) follows `previous` for the same key. Flows take
 * the event's fact as it is. A stock keeps its intervals: while the key stays in the counted
 * state nothing moves (an `enterprise.updated` changing only the employees moves no date);
 * leaving closes the last interval on the change's day, re-entering opens a new one, and a key
 * that stays out keeps them all. The numerator stays the counted one once the key has been in.
 */
export function nextFact(
  measure: MeasureDeclaration,
  previous: Fact | null,
  read: Fact,
  event: MeasuredEvent,
): Fact {
  if (measure.periodMatch !== 'until-end' || !previous) return read;
  const changedOn = readDate(measure.changedOnFields ?? measure.dateFields, event) ?? read.date;
  const isIn = !isZero(read.numerator);
  const intervals = moveValidity(previous.intervals, isIn, changedOn);
  const numerator = isIn || intervals.length === 0 ? read.numerator : previous.numerator;
  return { ...read, numerator, date: intervals[0]?.[0] ?? changedOn, intervals };
}

/**
 * A stock's intervals after an event that finds the key in (`isIn`) or out of the counted
 * state, dated `on`. Counting is by day ends, and dates never run backwards: a re-entry on or
 * before the day of the last exit reopens the last interval (the key was out at no day's end);
 * an exit on or before the day of its entry leaves an empty interval, which is dropped. So the
 * intervals stay ordered, disjoint and non-empty, whatever order the dates come in.
 */
export function moveValidity(
  intervals: readonly ValidInterval[],
  isIn: boolean,
  on: string,
): ValidInterval[] {
  const earlier = intervals.slice(0, -1);
  const last = intervals.at(-1);
  const open = last !== undefined && last[1] === null;
  if (isIn) {
    if (open) return [...intervals];
    if (!last) return [[on, null]];
    const left = last[1] as string;
    return on > left ? [...intervals, [on, null]] : [...earlier, [last[0], null]];
  }
  if (!open) return [...intervals];
  return on > last[0] ? [...earlier, [last[0], on]] : earlier;
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
  if (!fact) return null;
  const counts =
    measure.periodMatch === 'within'
      ? inPeriod(fact.date, scope.span)
      : validAtEnd(fact.intervals, scope.span);
  if (!counts) return null;
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
