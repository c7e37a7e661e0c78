import { randomUUID } from 'node:crypto';
import {
  DubanEvent,
  StatusChangedData,
  StatusEventTypes,
  chinaMonth,
  monthsBefore,
} from '@duban/contracts';
import { eventually } from '@duban/testing';
import { SchedulerHarness } from '../testing/scheduler-harness';
import { TimersService } from '../timers/timers.service';

const h = new SchedulerHarness({ env: { DUBAN_REPORT_DUE_DAY: '5' } });
/** 10:00 China time on `day` of `month`. */
const at = (month: string, day: number) =>
  new Date(`${month}-${String(day).padStart(2, '0')}T10:00:00+08:00`);
const setNow = (instant: Date) => h.setNow(instant);
const send = (type: string, projectId: string, data: unknown) => h.send(type, projectId, data);
const consumed = (eventId: string) => h.consumed(eventId);

// M is the current month; the report for M is due on day 5 of M+1.
const M = chinaMonth(new Date());
const NEXT = monthsBefore(M, -1);

function project(status: 'under-construction' | 'pre-work') {
  const projectId = randomUUID();
  return {
    projectId,
    code: `RPT-${projectId.slice(0, 6)}`,
    name: '城北片区棚户区改造',
    category: 'housing',
    level: 'county' as const,
    leadUnit: 'HOUSING',
    responsibleLeader: '王副县长',
    township: '青富镇',
    regionCode: '511112',
    totalPlannedInvestmentWan: '30000.00',
    annualPlannedInvestmentWan: '12000.00',
    plannedStartDate: `${M}-10`,
    plannedEndDate: `${monthsBefore(M, -24)}-28`,
    parkId: null,
    tags: [],
    status,
    suspendedFrom: null,
    version: 1,
  };
}

const report = (projectId: string, month: string) =>
  send('duban.progress-report.submitted', projectId, {
    reportId: randomUUID(),
    projectId,
    leadUnit: 'HOUSING',
    month,
    investmentCompletedWan: '500.00',
    cumulativeInvestmentWan: '500.00',
    // On pace, so only the reporting rule speaks.
    physicalProgressPct: 100,
    narrative: '',
    items: [],
    version: 1,
  });

const reportAlerts = (projectId: string) =>
  h.svc.db.dataSource.query(
    `SELECT rule, state, severity, days_overdue AS "daysOverdue" FROM alerts
      WHERE milestone_id = $1 AND rule = 'report-missing'`,
    [projectId],
  );

const colours = (subjectId: string) =>
  h.alerts.messages
    .map((m) => m.json<DubanEvent<StatusChangedData>>())
    .filter((e) => e.type === StatusEventTypes.changed && e.data.subjectId === subjectId)
    .map((e) => e.data.colour);

beforeAll(() => h.start());
afterAll(() => h.close());

describe('missing monthly reports (逾期未报)', () => {
  it('alerts on day D of the next month for a project under construction, and a late report resolves it', async () => {
    const building = project('under-construction');
    const preparing = project('pre-work');
    setNow(at(NEXT, 4));
    const registered = [
      await send('duban.project.registered', building.projectId, building),
      await send('duban.project.registered', preparing.projectId, preparing),
    ];
    await eventually(
      async () => (await Promise.all(registered.map((e) => consumed(e.id)))).every(Boolean),
      20000,
      'projects registered',
    );

    // Day D − 1: the report for M (the start month) is not due yet.
    const timers = h.svc.app.get(TimersService);
    await timers.sweep();
    expect(await reportAlerts(building.projectId)).toEqual([]);

    // Day D: it is, and nothing came. Only the project under construction owes one.
    setNow(at(NEXT, 5));
    await timers.sweep();
    expect(await reportAlerts(building.projectId)).toEqual([
      { rule: 'report-missing', state: 'open', severity: 'minor', daysOverdue: 0 },
    ]);
    expect(await reportAlerts(preparing.projectId)).toEqual([]);
    await eventually(
      () => h.alertEvents('duban.alert.raised', building.projectId).length === 1,
      20000,
      'report-missing raised',
    );
    const [raised] = h.alertEvents('duban.alert.raised', building.projectId);
    expect(raised.data).toMatchObject({
      rule: 'report-missing',
      subjectType: 'project',
      subjectId: building.projectId,
      ownerUnit: 'HOUSING',
      currentPlannedDate: `${NEXT}-05`,
    });
    expect(raised.data.milestoneName).toContain(M);

    // A report for an older month does not settle it; the late report for M does.
    setNow(at(NEXT, 8));
    const older = await report(building.projectId, monthsBefore(M, 1));
    await eventually(() => consumed(older.id), 20000, 'older report consumed');
    expect((await reportAlerts(building.projectId)).map((a: { state: string }) => a.state)).toEqual(
      ['open'],
    );
    await report(building.projectId, M);
    await eventually(
      () => h.alertEvents('duban.alert.resolved', building.projectId).length === 1,
      20000,
      'report-missing resolved',
    );
    expect(h.alertEvents('duban.alert.resolved', building.projectId)[0].data).toMatchObject({
      alertId: raised.data.alertId,
      state: 'resolved',
      resolution: `reported ${M}`,
    });
    // The project went yellow on the alert and green again on its resolution.
    await eventually(() => colours(building.projectId).length === 2, 20000, 'colours');
    expect(colours(building.projectId)).toEqual(['yellow', 'green']);

    // The sweep does not raise it again.
    await timers.sweep();
    expect((await reportAlerts(building.projectId)).map((a: { state: string }) => a.state)).toEqual(
      ['resolved'],
    );
  });
});
