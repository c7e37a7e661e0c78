import { ProgressReportData, ProjectEventTypes } from '@duban/contracts';
import {
  ProjectsHarness,
  REGION,
  api,
  chinaMonthFrom,
  projectBody,
  startProjectsApp,
  tokens,
} from '../testing/http';

// Projects are AGRI's; WATER is another unit; the supervisor is the county's 督查室.
let h: ProjectsHarness;
const lead = () => api(() => h.server(), tokens.department('AGRI'));
const otherUnit = () => api(() => h.server(), tokens.department('WATER'));
const supervisor = () => api(() => h.server(), tokens.supervisor('duchashi'));

const lastMonth = () => chinaMonthFrom(-1);

async function newProject(): Promise<string> {
  const res = await lead().post('/api/v1/projects', projectBody()).expect(201);
  return res.body.id;
}

const reports = (projectId: string) => `/api/v1/projects/${projectId}/progress-reports`;

function reportBody(month: string, overrides: Record<string, unknown> = {}) {
  return {
    month,
    investmentCompletedWan: '2500.00',
    cumulativeInvestmentWan: '86000.00',
    physicalProgressPct: 72.5,
    narrative: '育种中心主体完工',
    problems: [{ description: '部分设备到货延迟' }],
    coordinationRequests: [{ description: '请协调电力增容' }],
    ...overrides,
  };
}

/** The report events of one type about one project, checking each is keyed by the project. */
async function eventsOf(type: string, projectId: string): Promise<ProgressReportData[]> {
  await h.delivered();
  const found = h.events<ProgressReportData>(type, projectId);
  for (const { key, event } of found) {
    expect(key).toBe(projectId);
    expect(event.region).toBe(REGION);
  }
  return found.map((e) => e.event.data);
}

async function submit(projectId: string, body: object) {
  const res = await lead().post(reports(projectId), body).expect(201);
  return res.body as ProgressReportData & { id: string; items: ProgressReportData['items'] };
}

beforeAll(async () => {
  h = await startProjectsApp();
});

afterAll(async () => {
  await h?.close();
});

describe('monthly progress reports', () => {
  it("files last month's report: 201 with open items, one submitted event", async () => {
    const projectId = await newProject();
    const month = lastMonth();
    const report = await submit(projectId, reportBody(month));
    expect(report).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      projectId,
      month,
      investmentCompletedWan: '2500.00',
      cumulativeInvestmentWan: '86000.00',
      physicalProgressPct: 72.5,
      narrative: '育种中心主体完工',
      submittedBy: 'AGRI',
      version: 1,
    });
    const openItem = {
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'open',
      resolvedBy: null,
      resolvedAt: null,
      resolution: null,
    };
    expect(report.items).toEqual([
      { ...openItem, kind: 'problem', description: '部分设备到货延迟' },
      { ...openItem, kind: 'coordination', description: '请协调电力增容' },
    ]);

    const events = await eventsOf(ProjectEventTypes.reportSubmitted, projectId);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      reportId: report.id,
      projectId,
      leadUnit: 'AGRI',
      month,
      investmentCompletedWan: '2500.00',
      cumulativeInvestmentWan: '86000.00',
      physicalProgressPct: 72.5,
      narrative: '育种中心主体完工',
      items: report.items,
      version: 1,
    });
    expect(events[0].items.map((i) => [i.kind, i.status])).toEqual([
      ['problem', 'open'],
      ['coordination', 'open'],
    ]);
  });

  it('refuses the same month again without correction (409); a correction may lower the cumulative', async () => {
    const projectId = await newProject();
    const month = lastMonth();
    const first = await submit(projectId, reportBody(month));

    const again = await lead()
      .post(reports(projectId), reportBody(month, { cumulativeInvestmentWan: '90000.00' }))
      .expect(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({
      type: 'urn:duban:problem:conflict',
      status: 409,
      month,
      detail: expect.stringContaining('correction: true'),
    });

    const corrected = await submit(
      projectId,
      reportBody(month, {
        cumulativeInvestmentWan: '80000.00',
        investmentCompletedWan: '2000.00',
        correction: true,
      }),
    );
    expect(corrected).toMatchObject({
      id: first.id,
      cumulativeInvestmentWan: '80000.00',
      investmentCompletedWan: '2000.00',
      version: 2,
    });
    const stored = await lead()
      .get(`${reports(projectId)}/${month}`)
      .expect(200);
    expect(stored.body).toMatchObject({ cumulativeInvestmentWan: '80000.00', version: 2 });

    expect(await eventsOf(ProjectEventTypes.reportSubmitted, projectId)).toHaveLength(1);
    const events = await eventsOf(ProjectEventTypes.reportCorrected, projectId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      reportId: first.id,
      month,
      cumulativeInvestmentWan: '80000.00',
      investmentCompletedWan: '2000.00',
      version: 2,
    });
  });

  it('refuses a correction of a month never reported as 409', async () => {
    const projectId = await newProject();
    await lead()
      .post(reports(projectId), reportBody(lastMonth(), { correction: true }))
      .expect(409);
  });

  it('refuses a later month whose cumulative falls below an earlier one as 400 naming cumulativeInvestmentWan', async () => {
    const projectId = await newProject();
    await submit(projectId, reportBody(chinaMonthFrom(-3), { cumulativeInvestmentWan: '5000.00' }));
    const res = await lead()
      .post(
        reports(projectId),
        reportBody(chinaMonthFrom(-2), {
          cumulativeInvestmentWan: '4000.00',
          investmentCompletedWan: '0.00',
        }),
      )
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'cumulativeInvestmentWan', message: expect.stringContaining('5000.00') },
    ]);
    // An earlier month above a later one is refused alike.
    const before = await lead()
      .post(
        reports(projectId),
        reportBody(chinaMonthFrom(-4), { cumulativeInvestmentWan: '6000.00' }),
      )
      .expect(400);
    expect(before.body.errors).toEqual([
      { field: 'cumulativeInvestmentWan', message: expect.stringContaining('5000.00') },
    ]);
    await lead()
      .get(`${reports(projectId)}/${chinaMonthFrom(-2)}`)
      .expect(404);
  });

  it.each([
    ['a progress over 100 %', { physicalProgressPct: 101 }, 'physicalProgressPct'],
    ['a month that has not begun', { month: chinaMonthFrom(1) }, 'month'],
    [
      'a period investment above the cumulative',
      { investmentCompletedWan: '90000.00', cumulativeInvestmentWan: '86000.00' },
      'investmentCompletedWan',
    ],
    ['money as a number', { cumulativeInvestmentWan: 86000 }, 'cumulativeInvestmentWan'],
    ['an unknown field', { colour: 'red' }, 'colour'],
  ])('refuses %s as 400 naming the field', async (_what, override, field) => {
    const projectId = await newProject();
    const res = await lead()
      .post(reports(projectId), reportBody(lastMonth(), override))
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
    expect((await lead().get(reports(projectId)).expect(200)).body).toEqual([]);
  });

  it("accepts this month's report (the month has begun)", async () => {
    const projectId = await newProject();
    await submit(projectId, reportBody(chinaMonthFrom(0)));
  });

  it('lists reports by month, reads one month, and refuses a month that is not a month', async () => {
    const projectId = await newProject();
    const m2 = chinaMonthFrom(-2);
    const m1 = chinaMonthFrom(-1);
    await submit(projectId, reportBody(m1, { cumulativeInvestmentWan: '90000.00' }));
    await submit(projectId, reportBody(m2, { cumulativeInvestmentWan: '86000.00' }));

    const list = await supervisor().get(reports(projectId)).expect(200);
    expect(list.body.map((r: { month: string }) => r.month)).toEqual([m2, m1]);
    expect(list.body[1]).toMatchObject({ cumulativeInvestmentWan: '90000.00' });

    const one = await supervisor()
      .get(`${reports(projectId)}/${m1}`)
      .expect(200);
    expect(one.body).toMatchObject({
      projectId,
      month: m1,
      cumulativeInvestmentWan: '90000.00',
      physicalProgressPct: 72.5,
    });

    const bad = await supervisor()
      .get(`${reports(projectId)}/2026-13`)
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'month', message: expect.any(String) }]);
    await supervisor()
      .get(`${reports(projectId)}/${chinaMonthFrom(-6)}`)
      .expect(404);
  });
});

describe('resolving problems and coordination requests', () => {
  it('lets a supervisor resolve a coordination request once (one item-resolved event); again is 409', async () => {
    const projectId = await newProject();
    const month = lastMonth();
    const report = await submit(projectId, reportBody(month));
    const coordination = report.items.find((i) => i.kind === 'coordination')!;
    const problem = report.items.find((i) => i.kind === 'problem')!;
    const url = `${reports(projectId)}/${month}/items/${coordination.id}/resolve`;

    const res = await supervisor().post(url, { resolution: '供电公司已完成增容' }).expect(200);
    expect(res.body.version).toBe(2);
    expect(res.body.items).toEqual([
      problem,
      {
        ...coordination,
        status: 'resolved',
        resolvedBy: 'duchashi',
        resolvedAt: expect.any(String),
        resolution: '供电公司已完成增容',
      },
    ]);

    const again = await supervisor().post(url, { resolution: '再次' }).expect(409);
    expect(again.body).toMatchObject({
      type: 'urn:duban:problem:conflict',
      status: 409,
      resolvedBy: 'duchashi',
    });

    const events = await eventsOf(ProjectEventTypes.itemResolved, projectId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reportId: report.id, month, version: 2 });
    expect(events[0].items.find((i) => i.id === coordination.id)).toMatchObject({
      status: 'resolved',
      resolvedBy: 'duchashi',
      resolution: '供电公司已完成增容',
    });
    expect(events[0].items.find((i) => i.id === problem.id)).toMatchObject({ status: 'open' });
  });

  it("refuses another unit's department token (403) for resolving and for filing", async () => {
    const projectId = await newProject();
    const month = lastMonth();
    const report = await submit(projectId, reportBody(month));
    const [item] = report.items;
    await otherUnit()
      .post(`${reports(projectId)}/${month}/items/${item.id}/resolve`, { resolution: '越权' })
      .expect(403);
    await otherUnit()
      .post(
        reports(projectId),
        reportBody(chinaMonthFrom(-2), {
          cumulativeInvestmentWan: '1.00',
          investmentCompletedWan: '1.00',
        }),
      )
      .expect(403);
    // The lead unit itself may close its own items.
    const own = await lead()
      .post(`${reports(projectId)}/${month}/items/${item.id}/resolve`, { resolution: '设备已到货' })
      .expect(200);
    expect(own.body.items[0]).toMatchObject({ status: 'resolved', resolvedBy: 'AGRI' });

    const events = await eventsOf(ProjectEventTypes.itemResolved, projectId);
    expect(events.map((e) => e.items[0].resolvedBy)).toEqual(['AGRI']);
  });

  it('answers 404 for an item that is not in the report', async () => {
    const projectId = await newProject();
    const month = lastMonth();
    await submit(projectId, reportBody(month));
    await supervisor()
      .post(`${reports(projectId)}/${month}/items/${projectId}/resolve`, { resolution: 'x' })
      .expect(404);
  });

  it('keeps resolved items through a correction and replaces the open ones', async () => {
    const projectId = await newProject();
    const month = lastMonth();
    const report = await submit(projectId, reportBody(month));
    const coordination = report.items.find((i) => i.kind === 'coordination')!;
    await supervisor()
      .post(`${reports(projectId)}/${month}/items/${coordination.id}/resolve`, {
        resolution: '已增容',
      })
      .expect(200);

    const corrected = await submit(
      projectId,
      reportBody(month, {
        correction: true,
        problems: [{ description: '新问题' }],
        coordinationRequests: [],
      }),
    );
    expect(corrected.items).toEqual([
      expect.objectContaining({ id: coordination.id, status: 'resolved', resolution: '已增容' }),
      expect.objectContaining({ kind: 'problem', description: '新问题', status: 'open' }),
    ]);
  });

  it('refuses a progress percentage with more than two decimals (the column keeps two)', async () => {
    const projectId = await newProject();
    const res = await lead().post(
      reports(projectId),
      reportBody(lastMonth(), { physicalProgressPct: 72.555 }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'physicalProgressPct', message: 'must have at most two decimals' },
    ]);
  });
});
