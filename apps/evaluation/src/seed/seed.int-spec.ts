import { EvaluationEventTypes, MilestoneEventTypes, Topics, chinaDate } from '@duban/contracts';
import { DomainHarness, eventually, startDomainHarness } from '@duban/testing';
import { ResultsService } from '../scoring/results.service';
import { Scheme } from '../schemes/scheme.entity';
import { evaluationSchema } from '../schema';
import { CITY_SCHEME, COUNTY_SCHEME, DEMO_HONOURS } from './demo-schemes';
import { DEMO_SEED_ACTOR, seedDemoEvaluation } from './seed';

/** The demo seed against the real database and Kafka, through the real services and relay. */
let h: DomainHarness;

const deadlineCount = DEMO_HONOURS.reduce((n, h) => n + h.body.deadlines.length, 0);

beforeAll(async () => {
  h = await startDomainHarness(
    'evaluation',
    evaluationSchema,
    async () => (await import('../app.module')).AppModule,
    Topics.evaluation,
  );
}, 90000);

afterAll(async () => {
  await h?.close();
});

const schemeId = async (code: string): Promise<string> =>
  (await h.service.db.dataSource.getRepository(Scheme).findOneByOrFail({ code })).id;

describe('seedDemoEvaluation', () => {
  const now = new Date();
  const lines: string[] = [];

  it('creates the county and city schemes with the report’s figures, and the honours', async () => {
    const result = await seedDemoEvaluation(h.service.app, now, (line) => lines.push(line));
    expect(result).toEqual({ created: 2 + DEMO_HONOURS.length, skipped: 0 });
    expect(lines).toContainEqual(
      expect.stringMatching(/^created scheme CITY-COUNTIES-2026 \(7 subjects, 28 values\)/),
    );
  });

  it('ranks county 511112 first in the city on budget revenue and second on both growth rates', async () => {
    const scores = await h.service.app
      .get(ResultsService)
      .scores(DEMO_SEED_ACTOR, await schemeId(CITY_SCHEME.code));
    const county = scores.items.find((s) => s.subject === '511112')!;
    expect(county.results).toEqual([
      { code: 'GDP-GROWTH', actual: 4.1, completionPct: 68.33, score: 24 },
      { code: 'BUDGET-REVENUE', actual: '190800.00', completionPct: 127.2, score: 25 },
      { code: 'INDUSTRIAL-VA-GROWTH', actual: 10.9, completionPct: 121.11, score: 18 },
      { code: 'TECH-RENOVATION-GROWTH', actual: 50.4, completionPct: 252, score: 13.5 },
      { code: 'EXPRESSWAY-KM', actual: 0, completionPct: 0, score: 0 },
    ]);
    expect(scores.items.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('scores the county’s units on the report’s figures (GDP against the 1500 亿元 target)', async () => {
    const scores = await h.service.app
      .get(ResultsService)
      .scores(DEMO_SEED_ACTOR, await schemeId(COUNTY_SCHEME.code));
    const bySubject = new Map(scores.items.map((s) => [s.subject, s]));
    expect(bySubject.get('DRC')?.results[0]).toEqual({
      code: 'GDP',
      actual: '12020900.00',
      completionPct: 80.14,
      score: 16.03,
    });
    // ECON: industrial growth 10.9 % meets its 10 % threshold (10), technical renovation 50.4 % is
    // capped at 150 % of 30 % (15).
    expect(bySubject.get('ECON')?.total).toBe(25);
    expect(scores.items).toHaveLength(COUNTY_SCHEME.subjects.length);
  });

  it('creates nothing on a second run', async () => {
    const again: string[] = [];
    const result = await seedDemoEvaluation(h.service.app, now, (line) => again.push(line));
    expect(result).toEqual({ created: 0, skipped: 2 + DEMO_HONOURS.length });
    expect(again.every((l) => l.startsWith('skipped '))).toBe(true);
  });

  it('publishes rankings and every honour deadline as a milestone through the outbox', async () => {
    const typeOf = (m: { json<T>(): T }) => m.json<{ type: string }>().type;
    const count = (type: string) => h.reader.messages.filter((m) => typeOf(m) === type).length;
    await h.reader.waitFor(() => count(MilestoneEventTypes.scheduled) >= deadlineCount, 30000);
    await h.reader.waitFor(() => count(EvaluationEventTypes.rankingPublished) >= 2, 30000);
    expect(count(MilestoneEventTypes.scheduled)).toBe(deadlineCount);
    // 全省县域经济发展先进县 was applied for today: its application deadline is met.
    await h.reader.waitFor(() => count(MilestoneEventTypes.completed) >= 1, 30000);
    const met = h.reader.messages
      .map((m) => m.json<{ type: string; data: { actualDate: string } }>())
      .filter((e) => e.type === MilestoneEventTypes.completed);
    expect(met.map((e) => e.data.actualDate)).toEqual([chinaDate(now)]);
    await eventually(async () => {
      const [{ n }] = await h.service.db.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      );
      return n === 0;
    });
  });
});
