import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { AlertEventTypes, DubanEvent } from '@duban/contracts';
import { inTransaction } from '@duban/persistence';
import { alert, alertRaised } from '../testing/events';
import {
  EvaluationHarness,
  api,
  eventually,
  startEvaluationApp,
  testRegion,
  tokens,
  unique,
} from '../testing/http';
import { FactsService } from './facts.service';

/**
 * The locks an event takes, driven through FactsService in transactions of the test's own so
 * the interleavings are certain (the Kafka consumer applies one event at a time per partition).
 */
let h: EvaluationHarness;
let ds: DataSource;
let facts: FactsService;
const supervisor = () => api(() => h.server(), tokens.supervisor('mubiaoban'));

beforeAll(async () => {
  h = await startEvaluationApp();
  ds = h.service.db.dataSource;
  facts = h.service.app.get(FactsService);
});

afterAll(async () => {
  await h?.close();
});

const deduction = (measure: string) => ({
  code: measure.toUpperCase(),
  name: '扣分',
  measure,
  pointsEach: 1,
  capPoints: 10,
});

async function createScheme(
  region: string,
  period: string,
  measures: string[],
  rankedRegions?: string[],
): Promise<string> {
  const body = {
    code: `S-${unique()}`,
    name: '考评',
    regionCode: region,
    period,
    subjectKind: rankedRegions ? 'region' : 'unit',
    subjects: rankedRegions
      ? rankedRegions.map((code) => ({ code, name: code }))
      : [{ code: 'AGRI', name: '农业农村局' }],
    indicators: [
      {
        code: 'GDP',
        name: '地区生产总值',
        unitOfMeasure: '亿元',
        target: 100,
        weight: 10,
        direction: 'higher-is-better',
        rule: { kind: 'threshold' },
        source: { kind: 'manual', ownerUnit: 'STATS' },
      },
    ],
    deductions: measures.map(deduction),
  };
  return (await supervisor().post('/api/v1/schemes', body).expect(201)).body.id;
}

async function begin(): Promise<QueryRunner> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  await qr.startTransaction();
  return qr;
}

const applyAlone = (event: DubanEvent): Promise<void> =>
  inTransaction(ds, async (m) => {
    await m.query("SET LOCAL lock_timeout = '5s'");
    await facts.apply(m, event);
  });

/** Waits until some session of this database waits on a lock. */
const someoneWaits = () =>
  eventually(async () => {
    const [{ n }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return n > 0;
  });

describe('fact locks', () => {
  it('lets two first events of one key queue on the row instead of failing on its key', async () => {
    const region = testRegion();
    const alertId = randomUUID();
    const first = alert(region, alertRaised, {
      alertId,
      ownerUnit: 'AGRI',
      severity: 'major',
      state: 'open',
    });
    const second = alert(region, alertRaised, {
      alertId,
      ownerUnit: 'AGRI',
      severity: 'minor',
      state: 'open',
    });
    const a = await begin();
    try {
      await facts.apply(a.manager, first);
      const b = applyAlone(second);
      await someoneWaits();
      await a.commitTransaction();
      await b;
    } finally {
      await a.release();
    }
    const rows = await ds.query<{ event_id: string }[]>(
      'SELECT event_id FROM facts WHERE fact_key = $1 ORDER BY measure',
      [alertId],
    );
    expect(rows.map((r) => r.event_id)).toEqual([second.id, second.id]);
  });

  it('locks the schemes of all its measures once, by id: no deadlock with an overlapping event', async () => {
    const region = testRegion();
    // Older id: reads open major alerts only. Newer: reads both measures an alert raise feeds.
    const older = await createScheme(region, '2026', ['open-major-alerts']);
    const newer = await createScheme(region, '2026', ['alerts-raised', 'open-major-alerts']);
    expect(older < newer).toBe(true);
    const a = await begin();
    try {
      await a.query("SET LOCAL lock_timeout = '5s'");
      // As an event feeding open major alerts only would, in id order: the older first …
      await a.query('SELECT 1 FROM schemes WHERE id = $1 FOR UPDATE', [older]);
      const b = applyAlone(
        alert(region, alertRaised, { ownerUnit: 'AGRI', severity: 'major', state: 'open' }),
      );
      await someoneWaits();
      // … then the newer, which the raise must not be holding while it waits for the older.
      await a.query('SELECT 1 FROM schemes WHERE id = $1 FOR UPDATE', [newer]);
      await a.commitTransaction();
      await b;
    } finally {
      await a.release();
    }
    const scores = await supervisor().get(`/api/v1/schemes/${newer}/scores`).expect(200);
    expect(scores.body.items[0].deductions).toEqual([
      { code: 'ALERTS-RAISED', count: 1, points: 1 },
      { code: 'OPEN-MAJOR-ALERTS', count: 1, points: 1 },
    ]);
  });

  it('locks and touches only the schemes counting its region', async () => {
    const here = testRegion();
    const there = testRegion();
    const city = testRegion();
    const unitThere = await createScheme(there, '2026', ['open-major-alerts']);
    const cityThere = await createScheme(city, '2026', ['open-major-alerts'], [there]);
    const unitHere = await createScheme(here, '2026', ['open-major-alerts']);
    const cityBoth = await createScheme(city, '2026', ['open-major-alerts'], [there, here]);
    const a = await begin();
    try {
      // Held by someone else: an event in `here` must neither wait for them nor touch them.
      await a.query('SELECT 1 FROM schemes WHERE id = ANY($1) FOR UPDATE', [
        [unitThere, cityThere],
      ]);
      await applyAlone(
        alert(here, alertRaised, { ownerUnit: 'AGRI', severity: 'major', state: 'open' }),
      );
    } finally {
      await a.rollbackTransaction();
      await a.release();
    }
    const counts = async (scheme: string) => {
      const scores = await supervisor().get(`/api/v1/schemes/${scheme}/scores`).expect(200);
      return Object.fromEntries(
        scores.body.items.map((i: { subject: string; deductions: { count: number }[] }) => [
          i.subject,
          i.deductions[0].count,
        ]),
      );
    };
    expect(await counts(unitHere)).toEqual({ AGRI: 1 });
    expect(await counts(cityBoth)).toEqual({ [here]: 1, [there]: 0 });
    expect(await counts(unitThere)).toEqual({ AGRI: 0 });
    expect(await counts(cityThere)).toEqual({ [there]: 0 });
  });

  it('never locks a closed scheme', async () => {
    const region = testRegion();
    const closed = await createScheme(region, '2025', ['open-major-alerts']);
    await supervisor().post(`/api/v1/schemes/${closed}/close`).expect(200);
    const a = await begin();
    try {
      await a.query('SELECT 1 FROM schemes WHERE id = $1 FOR UPDATE', [closed]);
      // Raised in 2026: nothing for the 2025 scheme, so nothing to wait for either.
      await applyAlone(
        alert(region, alertRaised, { ownerUnit: 'AGRI', severity: 'major', state: 'open' }),
      );
    } finally {
      await a.rollbackTransaction();
      await a.release();
    }
  });
});

describe('stocks over re-entry', () => {
  /** Alert `alertId` of AGRI in `region`, at `time`, raised major on 10 March 2026. */
  const alertAt = (
    region: string,
    alertId: string,
    type: string,
    severity: 'major' | 'minor',
    time: string,
  ) => {
    const e = alert(region, type, { alertId, ownerUnit: 'AGRI', severity, state: 'open' });
    return { ...e, time, data: { ...e.data, raisedAt: '2026-03-10T01:00:00Z' } };
  };
  const deductionCount = async (scheme: string): Promise<number> => {
    const scores = await supervisor().get(`/api/v1/schemes/${scheme}/scores`).expect(200);
    return scores.body.items[0].deductions[0].count;
  };

  it('keeps counting an alert for a Q1 it was open at the end of after it leaves and comes back', async () => {
    const region = testRegion();
    const alertId = randomUUID();
    const closedQ1 = await createScheme(region, '2026-Q1', ['open-major-alerts']);
    await supervisor().post(`/api/v1/schemes/${closedQ1}/close`).expect(200);
    const raised = alertAt(region, alertId, alertRaised, 'major', '2026-03-10T01:00:00Z');
    await applyAlone(raised);
    await applyAlone(
      alertAt(region, alertId, AlertEventTypes.severityChanged, 'minor', '2026-04-03T02:00:00Z'),
    );
    await applyAlone(
      alertAt(region, alertId, AlertEventTypes.severityChanged, 'major', '2026-04-20T02:00:00Z'),
    );
    // Late for the closed Q1: the raise (it was open and major on 31 March), nothing after.
    const late = await supervisor().get(`/api/v1/schemes/${closedQ1}/late-events`).expect(200);
    expect(late.body.items.map((i: { eventId: string }) => i.eventId)).toEqual([raised.id]);
    // A scheme created now starts from every interval: Q1 and April count it, February not.
    const [q1, april, march] = [
      await createScheme(region, '2026-Q1', ['open-major-alerts']),
      await createScheme(region, '2026-04', ['open-major-alerts']),
      await createScheme(region, '2026-02', ['open-major-alerts']),
    ];
    expect([
      await deductionCount(q1),
      await deductionCount(april),
      await deductionCount(march),
    ]).toEqual([1, 1, 0]);
    const [row] = await ds.query<{ validity: unknown }[]>(
      "SELECT validity FROM facts WHERE measure = 'open-major-alerts' AND fact_key = $1",
      [alertId],
    );
    expect(row.validity).toEqual([
      ['2026-03-10', '2026-04-03'],
      ['2026-04-20', null],
    ]);
  });
});
