import { Workbook } from 'exceljs';
import request from 'supertest';
import { MilestoneEventTypes } from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { eventually } from '@duban/testing';
import { SchedulerHarness } from '../testing/scheduler-harness';
import { SLIP_HEADINGS } from './slip-report.service';

const h = new SchedulerHarness({ milestone: { name: '完成施工图审查', ownerUnit: 'HOUSING' } });
const supervisor = signToken({ subject: 'duchashi', role: 'supervisor' }, authSecretFrom());
const water = signToken(
  { subject: 'water', role: 'department', unit: 'WATER', region: '511112' },
  authSecretFrom(),
);
const day = (days: number) => h.dayOffset(days);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

// Moved once and forecast later still: 20 days before today → 15 days ahead = 35 days slipped.
const moved = h.milestone({
  plannedDate: day(-20),
  currentPlannedDate: day(-20),
  name: '主体结构封顶',
});
// Met five days late, with a name that needs CSV quoting.
const met = h.milestone({
  plannedDate: day(-30),
  currentPlannedDate: day(-30),
  name: '征地拆迁, "一期"',
});
// Planned after the period asked for.
const later = h.milestone({ plannedDate: day(40), currentPlannedDate: day(40), name: '竣工验收' });
const period = { from: day(-40), to: day(0) };

beforeAll(async () => {
  await h.start();
  const events = [
    await h.publish(MilestoneEventTypes.scheduled, moved),
    await h.publish(MilestoneEventTypes.rescheduled, { ...moved, currentPlannedDate: day(10) }),
    await h.publish(MilestoneEventTypes.forecastChanged, {
      ...moved,
      currentPlannedDate: day(10),
      forecastDate: day(15),
    }),
    await h.publish(MilestoneEventTypes.scheduled, met),
    await h.publish(MilestoneEventTypes.completed, { ...met, status: 'met', actualDate: day(-25) }),
    await h.publish(MilestoneEventTypes.scheduled, later),
  ];
  await eventually(() => h.consumed(...events.map((e) => e.id)), 20000, 'milestones consumed');
});

afterAll(() => h.close());

describe('slip report (延期台账)', () => {
  it('lists milestones planned in the period with baseline, plan, forecast, actual, changes and slip', async () => {
    const res = await h
      .http()
      .get('/api/v1/reports/slip')
      .query({ ...period, unit: 'HOUSING' })
      .set('authorization', `Bearer ${supervisor}`)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.asOf).toBe(day(0));
    expect(res.body.count).toBe(2);
    const byId = Object.fromEntries(
      res.body.items.map((r: { milestoneId: string }) => [r.milestoneId, r]),
    );
    expect(byId[moved.milestoneId]).toMatchObject({
      name: '主体结构封顶',
      ownerUnit: 'HOUSING',
      baselineDate: day(-20),
      currentPlannedDate: day(10),
      forecastDate: day(15),
      actualDate: null,
      changeCount: 1,
      slipDays: 35,
      status: 'pending',
      overdue: false,
    });
    expect(byId[met.milestoneId]).toMatchObject({
      actualDate: day(-25),
      changeCount: 0,
      slipDays: 5,
      status: 'met',
    });
    expect(byId[later.milestoneId]).toBeUndefined();
  });

  it('answers CSV with a BOM, Chinese headings and RFC 4180 quoting, as an attachment', async () => {
    const res = await h
      .http()
      .get('/api/v1/reports/slip')
      .query(period)
      .set('accept', 'text/csv')
      .set('authorization', `Bearer ${supervisor}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="slip-report-.*\.csv"/,
    );
    const text = (res.body as Buffer).toString('utf8');
    expect(
      text.startsWith(
        '\uFEFF项目/事项,节点,类型,责任单位,区域,基准日期,当前计划,预计完成,实际完成,变更次数,延期天数,状态',
      ),
    ).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines.find((l) => l.includes(met.milestoneId))).toBe(
      [
        met.subjectId,
        '"征地拆迁, ""一期"""',
        '项目',
        'HOUSING',
        '511112',
        day(-30),
        day(-30),
        '',
        day(-25),
        '0',
        '5',
        '已完成',
        met.milestoneId,
      ].join(','),
    );
  });

  it('answers an Excel workbook for ?format=xlsx, one sheet with the headings and a row per milestone', async () => {
    const res = await h
      .http()
      .get('/api/v1/reports/slip')
      .query({ ...period, format: 'xlsx' })
      .set('authorization', `Bearer ${supervisor}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="slip-report-.*\.xlsx"/,
    );
    const book = new Workbook();
    await book.xlsx.load(res.body as Parameters<typeof book.xlsx.load>[0]);
    expect(book.worksheets.map((s) => s.name)).toEqual(['延期台账']);
    const sheet = book.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(SLIP_HEADINGS);
    expect(SLIP_HEADINGS).toEqual(
      expect.arrayContaining([
        '项目/事项',
        '责任单位',
        '基准日期',
        '当前计划',
        '预计完成',
        '实际完成',
        '变更次数',
        '延期天数',
        '状态',
      ]),
    );
    const rows = (sheet.getSheetValues() as unknown[][]).slice(2).map((r) => r.slice(1));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.includes(moved.milestoneId))).toEqual([
      moved.subjectId,
      '主体结构封顶',
      '项目',
      'HOUSING',
      '511112',
      day(-20),
      day(10),
      day(15),
      undefined,
      1,
      35,
      '进行中',
      moved.milestoneId,
    ]);
  });

  it('refuses bad filters and formats, naming them, and shows a department its own unit only', async () => {
    const bad = async (query: Record<string, string>, field: string) => {
      const res = await h
        .http()
        .get('/api/v1/reports/slip')
        .query(query)
        .set('authorization', `Bearer ${supervisor}`)
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad({ from: day(0), to: day(-1) }, 'query.to');
    await bad({ from: '2026-13-01' }, 'query.from');
    await bad({ format: 'pdf' }, 'query.format');
    await h
      .http()
      .get('/api/v1/reports/slip')
      .set('accept', 'application/pdf')
      .set('authorization', `Bearer ${supervisor}`)
      .expect(406);

    const own = await h
      .http()
      .get('/api/v1/reports/slip')
      .set('authorization', `Bearer ${water}`)
      .expect(200);
    expect(own.body.items).toEqual([]);
    const other = await h
      .http()
      .get('/api/v1/reports/slip')
      .query({ unit: 'HOUSING' })
      .set('authorization', `Bearer ${water}`)
      .expect(200);
    expect(other.body.count).toBe(0);
  });
});
