import { CalendarDate, ProgressReportBody, addDays, daysBetween, toCents } from '@duban/contracts';
import {
  SimMilestone,
  SimProject,
  SimReport,
  World,
  actionWeights,
  buildProgressReport,
  candidates,
  chooseAction,
  createRng,
  emptyPlayed,
  newMilestoneBody,
  reportKey,
  slipForecast,
} from '../deploy/local/simulator/actions';

const TODAY = '2026-05-20';
const MONTH = '2026-05';

const project = (over: Partial<SimProject> = {}): SimProject => ({
  id: '0190a000-0000-7000-8000-000000000001',
  code: 'DEMO-1',
  name: '生猪种业国家现代农业产业园',
  leadUnit: 'AGRI',
  regionCode: '511112',
  status: 'under-construction',
  totalPlannedInvestmentWan: '120000.00',
  annualPlannedInvestmentWan: '36000.00',
  ...over,
});

let seq = 0;
const milestone = (over: Partial<SimMilestone> = {}): SimMilestone => {
  seq++;
  return {
    id: `0190a000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    projectId: project().id,
    name: `节点${seq}`,
    ownerUnit: 'AGRI',
    plannedDate: TODAY,
    currentPlannedDate: TODAY,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
    ...over,
  };
};

const validDate = (d: string) => CalendarDate.safeParse(d).success;

describe('simulator PRNG', () => {
  it('plays the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number | string) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw('42')).toEqual(draw(42));
    expect(draw('demo')).toEqual(draw('demo'));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('keeps int() within its bounds', () => {
    const rng = createRng(7);
    for (let i = 0; i < 500; i++) {
      const v = rng.int(-5, 5);
      expect(Number.isInteger(v) && v >= -5 && v <= 5).toBe(true);
    }
  });

  it('chooses the same actions for the same seed and world', () => {
    const world: World = {
      projects: [
        {
          project: project(),
          milestones: [
            milestone({ currentPlannedDate: '2026-05-10' }),
            milestone({ currentPlannedDate: '2026-06-30' }),
          ],
        },
      ],
    };
    const play = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 15 }, () =>
        JSON.stringify(chooseAction(world, { today: TODAY, rng, played: emptyPlayed() })),
      );
    };
    expect(play(3)).toEqual(play(3));
  });
});

describe('progress report bodies', () => {
  it('keep the cumulative investment non-decreasing month after month', () => {
    const rng = createRng(11);
    const reports: SimReport[] = [];
    let month = '2025-01';
    for (let i = 0; i < 24; i++) {
      const plan = buildProgressReport(project(), reports, month, rng);
      expect(plan.outcome).toBe('submit');
      if (plan.outcome !== 'submit') return;
      const body = plan.body;
      // The service's own schema accepts it.
      expect(ProgressReportBody.safeParse(body).success).toBe(true);
      const previous = reports[reports.length - 1];
      if (previous) {
        expect(toCents(body.cumulativeInvestmentWan)).toBeGreaterThanOrEqual(
          toCents(previous.cumulativeInvestmentWan),
        );
        expect(body.physicalProgressPct).toBeGreaterThanOrEqual(previous.physicalProgressPct);
      }
      expect(toCents(body.investmentCompletedWan)).toBeLessThanOrEqual(
        toCents(body.cumulativeInvestmentWan),
      );
      expect(body.physicalProgressPct).toBeLessThanOrEqual(100);
      reports.push(body);
      month = addDays(`${month}-01`, 32).slice(0, 7);
    }
  });

  it('build on the latest earlier month whatever order the reports come in', () => {
    const reports: SimReport[] = [
      {
        month: '2026-04',
        investmentCompletedWan: '500.00',
        cumulativeInvestmentWan: '9000.00',
        physicalProgressPct: 40,
      },
      {
        month: '2026-02',
        investmentCompletedWan: '500.00',
        cumulativeInvestmentWan: '8000.00',
        physicalProgressPct: 30,
      },
    ];
    const plan = buildProgressReport(project(), reports, MONTH, createRng(1));
    expect(plan.outcome).toBe('submit');
    if (plan.outcome !== 'submit') return;
    expect(plan.body.correction).toBe(false);
    expect(toCents(plan.body.cumulativeInvestmentWan)).toBe(
      toCents('9000.00') + toCents(plan.body.investmentCompletedWan),
    );
  });

  it('skip an existing month, or correct it upwards now and then', () => {
    const existing: SimReport = {
      month: MONTH,
      investmentCompletedWan: '800.00',
      cumulativeInvestmentWan: '12000.00',
      physicalProgressPct: 50,
    };
    expect(buildProgressReport(project(), [existing], MONTH, createRng(1), 0)).toEqual({
      outcome: 'skip',
      why: `${MONTH} already reported`,
    });
    const plan = buildProgressReport(project(), [existing], MONTH, createRng(1), 1);
    expect(plan.outcome).toBe('submit');
    if (plan.outcome !== 'submit') return;
    expect(plan.body.correction).toBe(true);
    expect(plan.body.month).toBe(MONTH);
    expect(ProgressReportBody.safeParse(plan.body).success).toBe(true);
    expect(toCents(plan.body.cumulativeInvestmentWan)).toBeGreaterThan(toCents('12000.00'));
    expect(plan.body.physicalProgressPct).toBeGreaterThanOrEqual(50);
  });

  it('stay valid for a project with no annual plan', () => {
    const p = project({ annualPlannedInvestmentWan: '0.00', totalPlannedInvestmentWan: '0.00' });
    const plan = buildProgressReport(p, [], MONTH, createRng(5));
    expect(plan.outcome === 'submit' && ProgressReportBody.safeParse(plan.body).success).toBe(true);
  });
});

describe('dates the simulator sends', () => {
  it('does calendar arithmetic across months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-05-20', '2026-06-19')).toBe(30);
  });

  it('dates new milestones a few days either side of today, as the project or a helper unit', () => {
    const world: World = {
      projects: [{ project: project(), milestones: [milestone({ ownerUnit: 'TOWN-QINGFU' })] }],
    };
    const rng = createRng(9);
    for (let i = 0; i < 100; i++) {
      const body = newMilestoneBody(world, project(), { today: TODAY, rng });
      expect(validDate(body.plannedDate)).toBe(true);
      const offset = daysBetween(TODAY, body.plannedDate);
      expect(Math.abs(offset)).toBeGreaterThanOrEqual(1);
      expect(Math.abs(offset)).toBeLessThanOrEqual(5);
      expect(['AGRI', 'TOWN-QINGFU']).toContain(body.ownerUnit);
      expect(body.name.length).toBeLessThanOrEqual(200);
    }
  });

  it('forecasts a slip after the current planned date', () => {
    const rng = createRng(2);
    for (let i = 0; i < 50; i++) {
      const f = slipForecast({ currentPlannedDate: '2026-12-31' }, rng);
      expect(validDate(f)).toBe(true);
      expect(f > '2026-12-31').toBe(true);
    }
  });

  it('plays every kind with valid dates and the right owners', () => {
    const late = milestone({ currentPlannedDate: '2026-05-01', ownerUnit: 'HOUSING' });
    const soon = milestone({ currentPlannedDate: '2026-05-24' });
    const later = milestone({ currentPlannedDate: '2026-08-01', ownerUnit: 'NATRES' });
    const met = milestone({ status: 'met', actualDate: '2026-04-01' });
    const world: World = {
      projects: [{ project: project(), milestones: [late, soon, later, met] }],
    };
    const rng = createRng(1234);
    const played = emptyPlayed();
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const a = chooseAction(world, { today: TODAY, rng, played });
      if (!a) throw new Error('expected an action');
      played[a.kind]++;
      seen.add(a.kind);
      switch (a.kind) {
        case 'complete':
          expect([late.id, soon.id]).toContain(a.milestone.id);
          expect(a.body.actualDate).toBe(TODAY);
          break;
        case 'reschedule':
          expect(a.milestone.id).toBe(late.id);
          expect(a.body.plannedDate > TODAY && validDate(a.body.plannedDate)).toBe(true);
          expect(a.body.reason.trim()).not.toBe('');
          break;
        case 'forecast':
          expect([soon.id, later.id]).toContain(a.milestone.id);
          expect(a.body.forecastDate > a.milestone.currentPlannedDate).toBe(true);
          expect(a.transport).toBe('kafka');
          break;
        case 'create':
          expect(validDate(a.body.plannedDate)).toBe(true);
          break;
        case 'report':
          expect(a.project.id).toBe(project().id);
          break;
      }
    }
    expect([...seen].sort()).toEqual(['complete', 'create', 'forecast', 'report', 'reschedule']);
  });

  it('alternates HTTP and Kafka for reports', () => {
    const world: World = { projects: [{ project: project(), milestones: [] }] };
    const played = emptyPlayed();
    const rng = createRng(8);
    const transports: string[] = [];
    for (let i = 0; i < 4; i++) {
      const a = chooseAction(world, { today: TODAY, rng, played });
      if (a?.kind !== 'report') continue;
      transports.push(a.transport);
      played.report++;
    }
    expect(transports.slice(0, 4)).toEqual(
      ['http', 'kafka', 'http', 'kafka'].slice(0, transports.length),
    );
  });
});

describe('choice of actions', () => {
  it('leaves out what was acted on moments ago and finished projects', () => {
    const m = milestone({ currentPlannedDate: '2026-05-01' });
    const world: World = {
      projects: [
        { project: project(), milestones: [m] },
        {
          project: project({ id: '0190a000-0000-7000-8000-0000000000ff', status: 'completed' }),
          milestones: [],
        },
      ],
    };
    const c = candidates(world, TODAY, new Set([m.id, reportKey(project().id)]));
    expect(c.complete).toEqual([]);
    expect(c.reschedule).toEqual([]);
    expect(c.report).toEqual([]);
    expect(c.create.map((p) => p.id)).toEqual([project().id]);
  });

  it('leans towards resolving when many milestones are in trouble, and the other way', () => {
    const troubled: World = {
      projects: [
        {
          project: project(),
          milestones: [
            milestone({ currentPlannedDate: '2026-05-01' }),
            milestone({ currentPlannedDate: '2026-06-01', forecastDate: '2026-07-01' }),
          ],
        },
      ],
    };
    const calm: World = {
      projects: [
        { project: project(), milestones: [milestone({ currentPlannedDate: '2026-09-01' })] },
      ],
    };
    const t = actionWeights(troubled, TODAY);
    const c = actionWeights(calm, TODAY);
    expect(t.complete + t.reschedule).toBeGreaterThan(t.create + t.forecast);
    expect(c.create + c.forecast).toBeGreaterThan(c.complete + c.reschedule);
  });

  it('returns null when there is nothing to play', () => {
    const world: World = {
      projects: [{ project: project({ status: 'in-operation' }), milestones: [] }],
    };
    expect(
      chooseAction(world, { today: TODAY, rng: createRng(1), played: emptyPlayed() }),
    ).toBeNull();
  });
});
