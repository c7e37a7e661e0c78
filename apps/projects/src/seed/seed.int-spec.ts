import { MilestoneEventTypes, Topics, chinaDate } from '@duban/contracts';
import { DomainHarness, eventually, startDomainHarness } from '@duban/testing';
import { projectsSchema } from '../schema';
import { DEMO_PROJECTS } from './demo-projects';
import { seedDemoProjects } from './seed';

/** The demo seed against the real database and Kafka, through the real services and relay. */
let h: DomainHarness;

const milestoneCount = DEMO_PROJECTS.reduce((n, p) => n + p.milestones.length, 0);
const reportCount = DEMO_PROJECTS.reduce((n, p) => n + (p.progress?.reports.length ?? 0), 0);

beforeAll(async () => {
  h = await startDomainHarness(
    'projects',
    projectsSchema,
    async () => (await import('../app.module')).AppModule,
    Topics.projects,
  );
}, 90000);

afterAll(async () => {
  await h?.close();
});

const count = async (sql: string, params: unknown[] = []): Promise<number> => {
  const [{ n }] = await h.service.db.dataSource.query<{ n: number }[]>(sql, params);
  return n;
};

describe('seedDemoProjects', () => {
  const now = new Date();
  const today = chinaDate(now);
  const lines: string[] = [];

  it('registers every demo project with its milestones and reports', async () => {
    const result = await seedDemoProjects(h.service.app, now, (line) => lines.push(line));

    expect(result).toEqual({ created: DEMO_PROJECTS.length, skipped: 0 });
    expect(lines.filter((l) => l.startsWith('created '))).toHaveLength(DEMO_PROJECTS.length);
    expect(lines).toContainEqual(
      expect.stringMatching(/^created 生猪种业国家现代农业产业园 \(3 milestones, 3 reports/),
    );
    expect(
      await count(`SELECT count(*)::int AS n FROM projects WHERE region_code = '511112'`),
    ).toBe(DEMO_PROJECTS.length);
    expect(await count('SELECT count(*)::int AS n FROM milestones')).toBe(milestoneCount);
    expect(await count('SELECT count(*)::int AS n FROM progress_reports')).toBe(reportCount);
  });

  it('leaves milestones late, due soon, met, rescheduled and slipping', async () => {
    const overdue = await count(
      `SELECT count(*)::int AS n FROM milestones WHERE status = 'pending' AND current_planned_date < $1`,
      [today],
    );
    expect(overdue).toBeGreaterThanOrEqual(3);
    const dueSoon = await count(
      `SELECT count(*)::int AS n FROM milestones WHERE status = 'pending'
         AND current_planned_date BETWEEN $1::date AND $1::date + 7`,
      [today],
    );
    expect(dueSoon).toBeGreaterThanOrEqual(3);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM milestones
          WHERE status = 'met' AND actual_date IS NOT NULL AND actual_date <= $1`,
        [today],
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM milestones
          WHERE status = 'pending' AND current_planned_date <> planned_date`,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM milestones
          WHERE status = 'pending' AND forecast_date > current_planned_date`,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM progress_reports r, jsonb_array_elements(r.items) i
          WHERE i->>'kind' = 'coordination' AND i->>'description' LIKE '%电力增容%'`,
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('creates nothing on a second run', async () => {
    const again: string[] = [];
    const result = await seedDemoProjects(h.service.app, now, (line) => again.push(line));

    expect(result).toEqual({ created: 0, skipped: DEMO_PROJECTS.length });
    expect(again.every((l) => l.startsWith('skipped '))).toBe(true);
    expect(await count('SELECT count(*)::int AS n FROM milestones')).toBe(milestoneCount);
  });

  it('publishes every change through the outbox to Kafka', async () => {
    const typeOf = (m: { json<T>(): T }) => m.json<{ type: string }>().type;
    const scheduled = (messages: { json<T>(): T }[]) =>
      messages.filter((m) => typeOf(m) === MilestoneEventTypes.scheduled).length;
    await h.reader.waitFor((messages) => scheduled(messages) >= milestoneCount, 30000);
    await h.reader.waitFor(
      (messages) =>
        messages.filter((m) => typeOf(m) === 'duban.project.registered').length >=
        DEMO_PROJECTS.length,
      30000,
    );
    expect(scheduled(h.reader.messages)).toBe(milestoneCount);
    await eventually(
      async () =>
        (await count('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')) === 0,
      15000,
      'the outbox drained',
    );
  });
});
