import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { DubanEvent } from '@duban/contracts';
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

async function createScheme(region: string, period: string, measures: string[]): Promise<string> {
  const body = {
    code: `S-${unique()}`,
    name: '考评',
    regionCode: region,
    period,
    subjectKind: 'unit',
    subjects: [{ code: 'AGRI', name: '农业农村局' }],
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
  ds.transaction(async (m) => {
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
