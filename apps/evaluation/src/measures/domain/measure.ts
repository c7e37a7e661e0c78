/**
 * Event measures declared as data (no code per indicator): which event types feed a measure,
 * how to read the fact key, the subject (a unit field; the region is always the envelope's),
 * the period date, an optional filter, and the aggregation. Plain TypeScript, no framework.
 */

/** A condition on one field of the event data. */
export type Condition =
  | { field: string; in: readonly (string | number | boolean)[] }
  | { field: string; notIn: readonly (string | number | boolean)[] }
  /** The field is a date not after the other field's date (e.g. met on or before due). */
  | { field: string; notAfterField: string };

/**
 * - `sum`: the sum over keys of each key's latest value (a field, or 1 per key), so a
 *   corrected report replaces its month rather than adding to it;
 * - `count-in-state`: the keys whose latest state meets `when`;
 * - `ratio`: keys meeting `numerator` over keys meeting `denominator`, in percent.
 */
export type Aggregation =
  | { kind: 'sum'; value: { field: string } | { constant: 1 } }
  | { kind: 'count-in-state'; when: readonly Condition[] }
  | { kind: 'ratio'; numerator: readonly Condition[]; denominator: readonly Condition[] };

export interface MeasureDeclaration {
  code: string;
  name: string;
  eventTypes: readonly string[];
  /** Fields whose values together identify a fact (latest wins per key). */
  key: readonly string[];
  /** The data field naming the unit a fact belongs to; null: the measure ranks regions only. */
  unitField: string | null;
  /**
   * Candidate date fields, the first present wins: YYYY-MM, YYYY-MM-DD or an instant (read as
   * China's date). `$time` is the envelope's time, which is part of the event, not of arrival.
   */
  dateFields: readonly string[];
  /**
   * `within`: the date falls in the period (flows). `until-end` (stocks): the key counts for a
   * period when it was in the counted state at the period end, i.e. one of the fact's
   * intervals was entered on or before the end and not left by then (from ≤ end < until).
   */
  periodMatch: 'within' | 'until-end';
  /**
   * Stocks only: the fields dating a later event's change (entering or leaving the counted
   * state), first present wins; `dateFields` when absent. The key's first event is dated by
   * `dateFields`; an event that leaves the counted state as it was moves no date; leaving
   * closes the fact's last interval, re-entering opens a new one.
   */
  changedOnFields?: readonly string[];
  /** A field that orders a key's facts: an older version never replaces a newer one. */
  versionField?: string;
  /** Facts outside the filter count as zero (e.g. only expressway sections). */
  filter?: readonly Condition[];
  aggregation: Aggregation;
  /** Whether values are money in 万元 (then indicators on it must use 万元). */
  money: boolean;
}
