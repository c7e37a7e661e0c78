import { MilestoneEventTypes, Topics, TransportEventTypes, chinaDate } from '@duban/contracts';
import { DomainHarness, api, eventually, startDomainHarness, tokens } from '@duban/testing';
import { transportSchema } from '../schema';
import { DEMO_WORKS } from './demo-works';
import { seedDemoTransport } from './seed';

/** The demo seed against the real database and Kafka, through the real services and relay. */
let h: DomainHarness;

const gateCount = DEMO_WORKS.reduce((n, w) => n + w.gates.length, 0);

beforeAll(async () => {
  h = await startDomainHarness(
    'transport',
    transportSchema,
    async () => (await import('../app.module')).AppModule,
    Topics.transport,
  );
}, 90000);

afterAll(async () => {
  await h?.close();
});

const count = async (sql: string, params: unknown[] = []): Promise<number> => {
  const [{ n }] = await h.service.db.dataSource.query<{ n: number }[]>(sql, params);
  return n;
};

describe('seedDemoTransport', () => {
  const now = new Date();
  const today = chinaDate(now);
  const lines: string[] = [];

  it('registers every demo work with its gates and sections, and the 141 km baseline', async () => {
    const result = await seedDemoTransport(h.service.app, now, (line) => lines.push(line));

    expect(result).toEqual({ created: DEMO_WORKS.length + 1, skipped: 0 });
    expect(lines).toContain('recorded 141 km of expressway open in region 511112 before Duban');
    expect(lines).toContainEqual(
      expect.stringMatching(/^created XX阳机场南迁 \(5 gates, 0 sections, pre-work\)$/),
    );
    expect(
      await count(`SELECT count(*)::int AS n FROM transport_works WHERE region_code = '511112'`),
    ).toBe(DEMO_WORKS.length);
    expect(
      await count(`SELECT count(*)::int AS n FROM transport_works WHERE phase = 'pre-work'`),
    ).toBe(5);
    expect(await count('SELECT count(*)::int AS n FROM transport_gates')).toBe(gateCount);
    expect(await count('SELECT count(*)::int AS n FROM transport_sections')).toBe(2);
  });

  it('leaves gates late, met, rescheduled and slipping, and the mileage at 141 + 8.35 km', async () => {
    expect(
      await count(
        `SELECT count(*)::int AS n FROM transport_gates WHERE status = 'pending' AND current_planned_date < $1`,
        [today],
      ),
    ).toBe(3);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM transport_gates WHERE status = 'met' AND actual_date <= $1`,
        [today],
      ),
    ).toBeGreaterThanOrEqual(5);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM transport_gates WHERE status = 'pending' AND current_planned_date <> planned_date`,
      ),
    ).toBe(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM transport_gates WHERE status = 'pending' AND forecast_date > current_planned_date`,
      ),
    ).toBe(1);
    const mileage = await api(() => h.service.app.getHttpServer(), tokens.supervisor())
      .get('/api/v1/mileage?regionCode=511112')
      .expect(200);
    expect(mileage.body.items).toContainEqual({
      kind: 'expressway',
      operatingKm: 141,
      baselineKm: 141,
      openedKm: 0,
    });
    expect(mileage.body.items).toContainEqual({
      kind: 'trunk-road',
      operatingKm: 8.35,
      baselineKm: 0,
      openedKm: 8.35,
    });
  });

  it('creates nothing on a second run', async () => {
    const again: string[] = [];
    const result = await seedDemoTransport(h.service.app, now, (line) => again.push(line));

    expect(result).toEqual({ created: 0, skipped: DEMO_WORKS.length + 1 });
    expect(again.every((l) => l.startsWith('skipped '))).toBe(true);
    expect(await count('SELECT count(*)::int AS n FROM transport_gates')).toBe(gateCount);
    expect(await count('SELECT count(*)::int AS n FROM transport_sections')).toBe(2);
  });

  it('publishes every change through the outbox to Kafka', async () => {
    const typeOf = (m: { json<T>(): T }) => m.json<{ type: string }>().type;
    const ofType = (type: string) => h.reader.messages.filter((m) => typeOf(m) === type).length;
    await h.reader.waitFor(() => ofType(MilestoneEventTypes.scheduled) >= gateCount, 30000);
    await h.reader.waitFor(() => ofType(TransportEventTypes.mileageChanged) >= 2, 30000);
    expect(ofType(MilestoneEventTypes.scheduled)).toBe(gateCount);
    expect(ofType(TransportEventTypes.workRegistered)).toBe(DEMO_WORKS.length);
    expect(ofType(TransportEventTypes.sectionOpened)).toBe(1);
    await eventually(
      async () =>
        (await count('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')) === 0,
      15000,
      'the outbox drained',
    );
    expect(ofType(TransportEventTypes.mileageChanged)).toBe(2);
  });
});
