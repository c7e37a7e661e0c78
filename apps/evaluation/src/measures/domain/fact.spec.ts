import { periodSpan, validAtEnd } from '../../schemes/domain/period';
import { MEASURES, MEASURED_EVENT_TYPES, measuresFor } from './catalogue';
import {
  Contribution,
  Fact,
  SchemeScope,
  adjustments,
  moveValidity,
  nextFact,
  readFact,
  supersedes,
} from './fact';
import { MeasureDeclaration } from './measure';

const ev = (data: Record<string, unknown>, region = '511112', time = '2026-07-03T02:00:00Z') => ({
  region,
  time,
  data,
});

const report = (month: string, wan: string, version = 1, leadUnit = 'AGRI', projectId = 'p1') =>
  ev({ projectId, month, investmentCompletedWan: wan, leadUnit, version });

const milestone = (id: string, over: Record<string, unknown> = {}) =>
  ev({
    milestoneId: id,
    ownerUnit: 'ENV',
    plannedDate: '2026-06-30',
    currentPlannedDate: '2026-06-30',
    actualDate: null,
    status: 'pending',
    ...over,
  });

const unitScope = (period = '2026', subjects = ['AGRI', 'ENV', 'WATER']): SchemeScope => ({
  subjectKind: 'unit',
  regionCode: '511112',
  subjects: new Set(subjects),
  span: periodSpan(period),
});

/**
 * The service's aggregation in memory: the latest fact per key, and each scheme actual moved
 * by the adjustments, so a test can feed events and read the sums (one per scope).
 */
function ledger(measure: MeasureDeclaration, ...scopes: SchemeScope[]) {
  const facts = new Map<string, Fact>();
  const sums = scopes.map(() => new Map<string, { n: number; d: number }>());
  return {
    apply(event: ReturnType<typeof ev>): Contribution[] {
      const read = readFact(measure, event);
      if (!read) return [];
      const previous = facts.get(read.key) ?? null;
      if (!supersedes(previous, read)) return [];
      const next = nextFact(measure, previous, read, event);
      facts.set(next.key, next);
      const all: Contribution[] = [];
      scopes.forEach((scope, i) => {
        const changes = adjustments(scope, measure, previous, next);
        for (const c of changes) {
          const s = sums[i].get(c.subject) ?? { n: 0, d: 0 };
          sums[i].set(c.subject, { n: s.n + Number(c.numerator), d: s.d + Number(c.denominator) });
        }
        all.push(...changes);
      });
      return all;
    },
    fact: (key: string) => facts.get(key),
    sum: (subject: string, scope = 0) => sums[scope].get(subject) ?? { n: 0, d: 0 },
  };
}

describe('periods', () => {
  it.each([
    ['2026', '2026-01-01', '2026-12-31'],
    ['2026-Q1', '2026-01-01', '2026-03-31'],
    ['2026-Q3', '2026-07-01', '2026-09-30'],
    ['2028-02', '2028-02-01', '2028-02-29'],
    ['2026-11', '2026-11-01', '2026-11-30'],
  ])('%s spans %s to %s', (period, start, end) => {
    expect(periodSpan(period)).toEqual({ start, end });
  });
});

describe('readFact', () => {
  it('keys a progress report by project and month, dated by its month, valued in 万元', () => {
    expect(readFact(MEASURES['investment-completed'], report('2026-07', '2500.00', 2))).toEqual({
      measure: 'investment-completed',
      key: 'p1|2026-07',
      unit: 'AGRI',
      region: '511112',
      date: '2026-07-01',
      intervals: [],
      numerator: '2500.00',
      denominator: '0',
      version: 2,
    });
  });

  it('reads an instant as China’s date (UTC+8)', () => {
    const alert = ev({
      alertId: 'a1',
      ownerUnit: 'ENV',
      raisedAt: '2026-12-31T16:30:00Z',
      state: 'open',
      severity: 'major',
    });
    expect(readFact(MEASURES['alerts-raised'], alert)).toMatchObject({
      date: '2027-01-01',
      numerator: '1',
    });
  });

  it('falls back to the envelope time when the data has no date field', () => {
    const e = ev(
      { enterpriseId: 'e1', status: 'in-production', version: 1 },
      '511112',
      '2026-03-01T00:00:00+08:00',
    );
    expect(readFact(MEASURES['enterprises-in-production'], e)).toMatchObject({
      unit: null,
      date: '2026-03-01',
      numerator: '1',
    });
  });

  it('counts a section outside the filter as zero', () => {
    const section = (kind: string) =>
      ev({ sectionId: 's1', kind, leadUnit: 'DRC', lengthKm: 12.5, openedOn: '2026-09-01' });
    expect(readFact(MEASURES['expressway-km-opened'], section('expressway'))?.numerator).toBe(
      '12.5',
    );
    expect(readFact(MEASURES['expressway-km-opened'], section('railway'))?.numerator).toBe('0');
  });

  it('gives nothing for an event without the key', () => {
    expect(readFact(MEASURES['investment-completed'], ev({ month: '2026-07' }))).toBeNull();
  });
});

describe('supersedes', () => {
  const f = (version: number | null) =>
    readFact(MEASURES['investment-completed'], report('2026-07', '1.00', version ?? 1))!;

  it('never lets an older version replace a newer one', () => {
    expect(supersedes(f(3), f(2))).toBe(false);
    expect(supersedes(f(2), f(3))).toBe(true);
    expect(supersedes(null, f(1))).toBe(true);
  });
});

describe('aggregation: sum of the latest value per key', () => {
  it('lets a corrected report replace its month instead of adding to it', () => {
    const l = ledger(MEASURES['investment-completed'], unitScope());
    l.apply(report('2026-06', '1000.00', 1));
    l.apply(report('2026-07', '2500.00', 1));
    expect(l.sum('AGRI').n).toBe(3500);
    l.apply(report('2026-07', '2000.00', 2));
    expect(l.sum('AGRI').n).toBe(3000);
    // A stale redelivery of version 1 changes nothing.
    expect(l.apply(report('2026-07', '2500.00', 1))).toEqual([]);
    expect(l.sum('AGRI').n).toBe(3000);
  });

  it('moves the amount when a correction names another unit, and ignores other periods', () => {
    const l = ledger(MEASURES['investment-completed'], unitScope('2026-Q3'));
    l.apply(report('2026-07', '2500.00', 1, 'AGRI'));
    l.apply(report('2026-07', '2500.00', 2, 'WATER'));
    expect([l.sum('AGRI').n, l.sum('WATER').n]).toEqual([0, 2500]);
    expect(l.apply(report('2026-10', '900.00', 1))).toEqual([]);
  });

  it('counts only subjects of the scheme in its region', () => {
    const l = ledger(MEASURES['investment-completed'], unitScope());
    expect(l.apply(report('2026-07', '5.00', 1, 'DRC'))).toEqual([]);
    const elsewhere = { ...report('2026-07', '5.00', 1, 'AGRI', 'p9'), region: '511102' };
    expect(l.apply(elsewhere)).toEqual([]);
  });

  it('ranks regions by the envelope region in a region scheme', () => {
    const scope: SchemeScope = {
      ...unitScope(),
      subjectKind: 'region',
      subjects: new Set(['511102']),
    };
    const l = ledger(MEASURES['investment-completed'], scope);
    l.apply({ ...report('2026-07', '7.50', 1, 'AGRI', 'p2'), region: '511102' });
    expect(l.sum('511102').n).toBe(7.5);
  });
});

describe('aggregation: ratio of milestones met on time over milestones due', () => {
  it('counts due milestones of the period and those met on or before their date', () => {
    const l = ledger(MEASURES['milestones-on-time'], unitScope());
    l.apply(milestone('m1'));
    l.apply(milestone('m2'));
    l.apply(milestone('m3', { currentPlannedDate: '2027-01-15' }));
    expect(l.sum('ENV')).toEqual({ n: 0, d: 2 });
    l.apply(milestone('m1', { status: 'met', actualDate: '2026-06-30' }));
    l.apply(milestone('m2', { status: 'met', actualDate: '2026-07-02' }));
    expect(l.sum('ENV')).toEqual({ n: 1, d: 2 });
    l.apply(milestone('m2', { status: 'cancelled' }));
    expect(l.sum('ENV')).toEqual({ n: 1, d: 1 });
  });

  it('moves a milestone rescheduled out of the period out of its sums', () => {
    const l = ledger(MEASURES['milestones-on-time'], unitScope('2026-Q2'));
    l.apply(milestone('m1'));
    expect(l.sum('ENV').d).toBe(1);
    l.apply(milestone('m1', { currentPlannedDate: '2026-08-31' }));
    expect(l.sum('ENV').d).toBe(0);
  });
});

describe('aggregation: count of keys currently in a state', () => {
  const alert = (id: string, state: string, severity: string) =>
    ev({ alertId: id, ownerUnit: 'ENV', raisedAt: '2026-05-01T01:00:00Z', state, severity });

  it('counts open major alerts up to the period end, and drops them when resolved', () => {
    const l = ledger(MEASURES['open-major-alerts'], unitScope('2026-Q3'));
    l.apply(alert('a1', 'open', 'minor'));
    expect(l.sum('ENV').n).toBe(0);
    l.apply(alert('a1', 'open', 'major'));
    l.apply(alert('a2', 'acknowledged', 'critical'));
    expect(l.sum('ENV').n).toBe(2);
    l.apply(alert('a1', 'resolved', 'major'));
    expect(l.sum('ENV').n).toBe(1);
  });
});

describe('stocks: counted when valid at the period end', () => {
  const regionScope = (period: string): SchemeScope => ({
    subjectKind: 'region',
    regionCode: '511100',
    subjects: new Set(['511112']),
    span: periodSpan(period),
  });
  const enterprise = (version: number, status: string, time: string, changedOn?: string) =>
    ev(
      {
        enterpriseId: 'e1',
        status,
        version,
        employees: 100 + version,
        ...(changedOn ? { changedOn } : {}),
      },
      '511112',
      time,
    );

  it('keeps an enterprise in production in 2026 when an update in 2027 changes only employees', () => {
    const l = ledger(
      MEASURES['enterprises-in-production'],
      regionScope('2026'),
      regionScope('2027'),
      regionScope('2026-Q1'),
    );
    l.apply(enterprise(1, 'signed', '2026-01-10T02:00:00Z'));
    l.apply(enterprise(2, 'in-production', '2026-06-02T02:00:00Z', '2026-06-01'));
    expect([l.sum('511112', 0).n, l.sum('511112', 1).n, l.sum('511112', 2).n]).toEqual([1, 1, 0]);
    // Still in production: the update moves no date, so 2026 keeps counting it.
    expect(l.apply(enterprise(3, 'in-production', '2027-03-05T02:00:00Z'))).toEqual([]);
    expect(l.fact('e1')).toMatchObject({ date: '2026-06-01', intervals: [['2026-06-01', null]] });
    expect([l.sum('511112', 0).n, l.sum('511112', 1).n]).toEqual([1, 1]);
    // It exits in May 2027: 2027 (ending after) drops it, 2026 (ending before) keeps it.
    l.apply(enterprise(4, 'exited', '2027-05-02T02:00:00Z', '2027-05-01'));
    const exited = { date: '2026-06-01', intervals: [['2026-06-01', '2027-05-01']] };
    expect(l.fact('e1')).toMatchObject(exited);
    expect([l.sum('511112', 0).n, l.sum('511112', 1).n]).toEqual([1, 0]);
    // A later update of the exited enterprise keeps its interval.
    l.apply(enterprise(5, 'exited', '2027-08-02T02:00:00Z'));
    expect(l.fact('e1')).toMatchObject(exited);
  });

  const majorAlert = (over: Record<string, unknown> = {}, time = '2026-06-10T02:00:00Z') =>
    ev(
      {
        alertId: 'a1',
        ownerUnit: 'ENV',
        raisedAt: '2026-06-10T01:00:00Z',
        state: 'open',
        severity: 'major',
        resolvedAt: null,
        ...over,
      },
      '511112',
      time,
    );

  it('keeps an alert open at the end of Q2 in Q2 when it is resolved on 5 July', () => {
    const l = ledger(MEASURES['open-major-alerts'], unitScope('2026-Q2'), unitScope('2026-Q3'));
    l.apply(majorAlert());
    expect([l.sum('ENV', 0).n, l.sum('ENV', 1).n]).toEqual([1, 1]);
    l.apply(majorAlert({ state: 'acknowledged' }, '2026-06-20T02:00:00Z'));
    expect(l.fact('a1')).toMatchObject({ date: '2026-06-10', intervals: [['2026-06-10', null]] });
    const resolved = majorAlert(
      { state: 'resolved', resolvedAt: '2026-07-05T03:00:00Z' },
      '2026-07-05T03:00:00Z',
    );
    // Q2 is unchanged (it was open at 30 June): only Q3 moves.
    expect(l.apply(resolved)).toEqual([{ subject: 'ENV', numerator: '-1', denominator: '0' }]);
    expect([l.sum('ENV', 0).n, l.sum('ENV', 1).n]).toEqual([1, 0]);
  });

  it('drops an alert resolved on the last day of the period; counts an escalation from its day', () => {
    const l = ledger(MEASURES['open-major-alerts'], unitScope('2026-Q2'), unitScope('2026-Q3'));
    l.apply(majorAlert());
    expect([l.sum('ENV', 0).n, l.sum('ENV', 1).n]).toEqual([1, 1]);
    // Resolved on 30 June (China time): no longer open at the end of that day, so Q2 drops it.
    l.apply(
      majorAlert({ state: 'resolved', resolvedAt: '2026-06-30T03:00:00Z' }, '2026-06-30T03:00:00Z'),
    );
    expect(l.fact('a1')).toMatchObject({ intervals: [['2026-06-10', '2026-06-30']] });
    expect([l.sum('ENV', 0).n, l.sum('ENV', 1).n]).toEqual([0, 0]);

    const m = ledger(MEASURES['open-major-alerts'], unitScope('2026-Q2'), unitScope('2026-Q3'));
    m.apply(majorAlert({ severity: 'minor' }));
    // Raised minor in June, major from 2 July (China time): Q3, not Q2.
    m.apply(majorAlert({}, '2026-07-01T17:00:00Z'));
    expect(m.fact('a1')).toMatchObject({ date: '2026-07-02', intervals: [['2026-07-02', null]] });
    expect([m.sum('ENV', 0).n, m.sum('ENV', 1).n]).toEqual([0, 1]);
  });

  /** An alert raised major on 10 March, minor from 3 April, major again from 20 April. */
  const reentering = [
    majorAlert({ raisedAt: '2026-03-10T01:00:00Z' }, '2026-03-10T01:00:00Z'),
    majorAlert({ raisedAt: '2026-03-10T01:00:00Z', severity: 'minor' }, '2026-04-03T02:00:00Z'),
    majorAlert({ raisedAt: '2026-03-10T01:00:00Z' }, '2026-04-20T02:00:00Z'),
  ];

  it('keeps every interval of a key that leaves and re-enters the counted state', () => {
    const l = ledger(
      MEASURES['open-major-alerts'],
      unitScope('2026-Q1'),
      unitScope('2026-04'),
      unitScope('2026-Q2'),
    );
    const [raised, minor, majorAgain] = reentering;
    l.apply(raised);
    expect([l.sum('ENV', 0).n, l.sum('ENV', 1).n, l.sum('ENV', 2).n]).toEqual([1, 1, 1]);
    l.apply(minor);
    expect(l.fact('a1')).toMatchObject({ intervals: [['2026-03-10', '2026-04-03']] });
    expect([l.sum('ENV', 0).n, l.sum('ENV', 1).n, l.sum('ENV', 2).n]).toEqual([1, 0, 0]);
    // Re-entering appends an interval: Q1 (open and major on 31 March) still counts it.
    expect(l.apply(majorAgain)).toEqual([
      { subject: 'ENV', numerator: '1', denominator: '0' },
      { subject: 'ENV', numerator: '1', denominator: '0' },
    ]);
    expect(l.fact('a1')).toMatchObject({
      date: '2026-03-10',
      numerator: '1',
      intervals: [
        ['2026-03-10', '2026-04-03'],
        ['2026-04-20', null],
      ],
    });
    expect([l.sum('ENV', 0).n, l.sum('ENV', 1).n, l.sum('ENV', 2).n]).toEqual([1, 1, 1]);
    // Resolved on 5 May: only the open interval closes.
    l.apply(
      majorAlert(
        { raisedAt: '2026-03-10T01:00:00Z', state: 'resolved', resolvedAt: '2026-05-05T02:00:00Z' },
        '2026-05-05T02:00:00Z',
      ),
    );
    expect(l.fact('a1')).toMatchObject({
      intervals: [
        ['2026-03-10', '2026-04-03'],
        ['2026-04-20', '2026-05-05'],
      ],
    });
    expect([l.sum('ENV', 0).n, l.sum('ENV', 1).n, l.sum('ENV', 2).n]).toEqual([1, 1, 0]);
  });

  it('gives a closed Q1 no late change when the key re-enters in April', () => {
    // What the service records as late for a closed scheme: any adjustment to it.
    const q1 = unitScope('2026-Q1');
    const measure = MEASURES['open-major-alerts'];
    let previous: Fact | null = null;
    const q1Changes = reentering.map((event) => {
      const read = readFact(measure, event)!;
      const next = nextFact(measure, previous, read, event);
      const changes = adjustments(q1, measure, previous, next);
      previous = next;
      return changes;
    });
    expect(q1Changes).toEqual([[{ subject: 'ENV', numerator: '1', denominator: '0' }], [], []]);
  });

  it('makes one interval of a key that comes back the day it left', () => {
    const l = ledger(MEASURES['open-major-alerts'], unitScope('2026-Q1'));
    l.apply(majorAlert({ raisedAt: '2026-03-10T01:00:00Z' }, '2026-03-10T01:00:00Z'));
    l.apply(majorAlert({ severity: 'minor' }, '2026-04-03T01:00:00Z'));
    l.apply(majorAlert({}, '2026-04-03T05:00:00Z'));
    expect(l.fact('a1')).toMatchObject({ intervals: [['2026-03-10', null]] });
  });
});

describe('moveValidity', () => {
  it('appends on re-entry, closes the last interval on leaving, keeps them while out', () => {
    let v = moveValidity([], true, '2026-03-10');
    expect(v).toEqual([['2026-03-10', null]]);
    expect(moveValidity(v, true, '2026-03-20')).toEqual(v);
    v = moveValidity(v, false, '2026-04-03');
    expect(v).toEqual([['2026-03-10', '2026-04-03']]);
    expect(moveValidity(v, false, '2026-04-10')).toEqual(v);
    expect(moveValidity(v, true, '2026-04-20')).toEqual([
      ['2026-03-10', '2026-04-03'],
      ['2026-04-20', null],
    ]);
  });

  it('never lets an interval end before it starts or overlap the one before', () => {
    // Left before (or on) the day it entered: an empty interval, dropped.
    expect(moveValidity([['2026-04-20', null]], false, '2026-04-19')).toEqual([]);
    expect(moveValidity([['2026-04-20', null]], false, '2026-04-20')).toEqual([]);
    // Re-entered before the day it left: the last interval reopens.
    expect(moveValidity([['2026-03-10', '2026-04-03']], true, '2026-04-01')).toEqual([
      ['2026-03-10', null],
    ]);
  });
});

describe('validAtEnd', () => {
  const q2 = periodSpan('2026-Q2');

  it('counts an interval containing the period end: from ≤ end < until', () => {
    expect(validAtEnd([['2026-06-30', null]], q2)).toBe(true);
    expect(validAtEnd([['2026-07-01', null]], q2)).toBe(false);
    expect(validAtEnd([['2026-04-01', '2026-07-01']], q2)).toBe(true);
    expect(validAtEnd([['2026-04-01', '2026-06-30']], q2)).toBe(false);
    expect(
      validAtEnd(
        [
          ['2026-01-05', '2026-02-01'],
          ['2026-06-01', '2026-07-05'],
        ],
        q2,
      ),
    ).toBe(true);
    expect(validAtEnd([], q2)).toBe(false);
  });
});

describe('catalogue', () => {
  it('subscribes to each measured type once and finds the measures of a type', () => {
    expect(new Set(MEASURED_EVENT_TYPES).size).toBe(MEASURED_EVENT_TYPES.length);
    expect(measuresFor('duban.alert.raised').map((m) => m.code)).toEqual([
      'alerts-raised',
      'open-major-alerts',
    ]);
    expect(measuresFor('duban.score.changed')).toEqual([]);
  });
});
