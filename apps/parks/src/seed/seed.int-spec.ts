import {
  MilestoneEventTypes,
  ParkEventTypes,
  Topics,
  chinaDate,
  isValidUscc,
} from '@duban/contracts';
import { DomainHarness, eventually, startDomainHarness } from '@duban/testing';
import { parksSchema } from '../schema';
import { DEMO_CAMPAIGNS, DEMO_PARKS } from './demo-parks';
import { seedDemoParks } from './seed';

/** The demo seed against the real database and Kafka, through the real services and relay. */
let h: DomainHarness;

const enterpriseCount = DEMO_PARKS.reduce((n, p) => n + p.enterprises.length, 0);
const indicatorCount = DEMO_PARKS.reduce((n, p) => n + p.indicators.length, 0);
const taskCount = DEMO_CAMPAIGNS.reduce((n, c) => n + c.tasks.length, 0);
const recordCount = DEMO_PARKS.length + DEMO_CAMPAIGNS.length;

beforeAll(async () => {
  h = await startDomainHarness(
    'parks',
    parksSchema,
    async () => (await import('../app.module')).AppModule,
    Topics.parks,
  );
}, 90000);

afterAll(async () => {
  await h?.close();
});

const count = async (sql: string, params: unknown[] = []): Promise<number> => {
  const [{ n }] = await h.service.db.dataSource.query<{ n: number }[]>(sql, params);
  return n;
};

describe('seedDemoParks', () => {
  const now = new Date();
  const today = chinaDate(now);
  const lines: string[] = [];

  it('uses only valid USCCs', () => {
    const codes = DEMO_PARKS.flatMap((p) => p.enterprises.map((e) => e.uscc));
    expect(codes.filter((c) => !isValidUscc(c))).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("registers the report's parks with designations, enterprises, indicators and the campaigns' tasks", async () => {
    const result = await seedDemoParks(h.service.app, now, (line) => lines.push(line));

    expect(result).toEqual({ created: recordCount, skipped: 0 });
    expect(lines).toContainEqual(
      'created park 纺织鞋服产业园 (2 designations, 3 enterprises, 3 months of indicators)',
    );
    expect(lines).toContainEqual('created campaign 园区提质 (5 tasks)');
    expect(await count(`SELECT count(*)::int AS n FROM parks WHERE region_code = '511112'`)).toBe(
      DEMO_PARKS.length,
    );
    expect(await count('SELECT count(*)::int AS n FROM enterprises')).toBe(enterpriseCount);
    expect(await count('SELECT count(*)::int AS n FROM park_indicators')).toBe(indicatorCount);
    expect(await count('SELECT count(*)::int AS n FROM campaign_tasks')).toBe(taskCount);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM parks p, jsonb_array_elements(p.designations) d
          WHERE d->>'title' LIKE '%重点特色园区%'`,
      ),
    ).toBe(1);
  });

  it('leaves enterprises in every lifecycle state and tasks late, due soon, met and rescheduled', async () => {
    const states = await h.service.db.dataSource.query<{ status: string }[]>(
      'SELECT DISTINCT status FROM enterprises ORDER BY status',
    );
    expect(states.map((s) => s.status)).toEqual([
      'exited',
      'in-production',
      'signed',
      'under-construction',
    ]);
    const late = await count(
      `SELECT count(*)::int AS n FROM campaign_tasks WHERE status = 'pending' AND current_planned_date < $1`,
      [today],
    );
    expect(late).toBeGreaterThanOrEqual(3);
    const dueSoon = await count(
      `SELECT count(*)::int AS n FROM campaign_tasks WHERE status = 'pending'
         AND current_planned_date BETWEEN $1::date AND $1::date + 7`,
      [today],
    );
    expect(dueSoon).toBeGreaterThanOrEqual(1);
    expect(
      await count(`SELECT count(*)::int AS n FROM campaign_tasks WHERE status = 'met'`),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM campaign_tasks
          WHERE status = 'pending' AND current_planned_date <> planned_date`,
      ),
    ).toBe(1);
  });

  it('creates nothing on a second run', async () => {
    const again: string[] = [];
    const result = await seedDemoParks(h.service.app, now, (line) => again.push(line));
    expect(result).toEqual({ created: 0, skipped: recordCount });
    expect(again.every((l) => l.startsWith('skipped '))).toBe(true);
    expect(await count('SELECT count(*)::int AS n FROM enterprises')).toBe(enterpriseCount);
    expect(await count('SELECT count(*)::int AS n FROM campaign_tasks')).toBe(taskCount);
  });

  it('publishes every change through the outbox to Kafka', async () => {
    const typeOf = (m: { json<T>(): T }) => m.json<{ type: string }>().type;
    const ofType = (type: string) => h.reader.messages.filter((m) => typeOf(m) === type).length;
    await h.reader.waitFor(() => ofType(MilestoneEventTypes.scheduled) >= taskCount, 30000);
    await h.reader.waitFor(() => ofType(ParkEventTypes.registered) >= DEMO_PARKS.length, 30000);
    expect(ofType(MilestoneEventTypes.scheduled)).toBe(taskCount);
    expect(ofType(ParkEventTypes.registered)).toBe(DEMO_PARKS.length);
    await eventually(
      async () =>
        (await count('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')) === 0,
      15000,
      'the outbox drained',
    );
  });
});
