import {
  CalendarDate,
  ParkIndicatorsBody,
  ParksIngest,
  addDays,
  monthsBefore,
  toCents,
} from '@duban/contracts';
import { createRng } from '../deploy/local/simulator/actions';
import {
  ParksActionKind,
  ParksWorld,
  SimCampaign,
  SimIndicators,
  SimPark,
  SimTask,
  buildIndicators,
  chooseParksAction,
  indicatorsKey,
  parksCandidates,
  parksWeights,
} from '../deploy/local/simulator/parks-actions';

const TODAY = '2026-05-20';
const MONTH = '2026-05';

const park = (over: Partial<SimPark> = {}): SimPark => ({
  id: '0190b000-0000-7000-8000-000000000001',
  name: '纺织鞋服产业园',
  regionCode: '511112',
  managingUnit: 'PARK-TEXTILE',
  ...over,
});

const campaign: SimCampaign = {
  id: '0190b000-0000-7000-8000-0000000000c1',
  name: '园区提质',
  regionCode: '511112',
  leadUnit: 'ECON',
};

let seq = 0;
const task = (over: Partial<SimTask> = {}): SimTask => {
  seq++;
  return {
    id: `0190b000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    campaignId: campaign.id,
    name: `任务${seq}`,
    ownerUnit: 'PARK-TEXTILE',
    plannedDate: TODAY,
    currentPlannedDate: TODAY,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
    ...over,
  };
};

const FIGURES = [
  'outputValueWan',
  'industrialValueAddedWan',
  'taxWan',
  'fixedInvestmentWan',
] as const;

const april: SimIndicators = {
  month: '2026-04',
  outputValueWan: '86500.00',
  industrialValueAddedWan: '21300.00',
  taxWan: '1930.25',
  fixedInvestmentWan: '12000.00',
  employees: 6400,
  version: 1,
};

describe('park indicators the simulator submits', () => {
  it('are valid for the contract and never fall month after month, from no history at all', () => {
    for (const seed of [1, 2, 3, 'demo']) {
      const rng = createRng(seed);
      const months: SimIndicators[] = [];
      for (let i = 23; i >= 0; i--) {
        const month = monthsBefore(MONTH, i);
        const plan = buildIndicators(months, month, rng);
        expect(plan).toMatchObject({ outcome: 'submit', correction: false });
        if (plan.outcome !== 'submit') return;
        const body = plan.body;
        expect(ParkIndicatorsBody.safeParse(body).success).toBe(true);
        expect(
          ParksIngest.indicatorsSubmitted.safeParse({ parkId: park().id, month, indicators: body })
            .success,
        ).toBe(true);
        expect(toCents(body.industrialValueAddedWan)).toBeLessThanOrEqual(
          toCents(body.outputValueWan),
        );
        const previous = months[months.length - 1];
        if (previous) {
          for (const f of FIGURES)
            expect(toCents(body[f])).toBeGreaterThanOrEqual(toCents(previous[f]));
          expect(body.employees).toBeGreaterThanOrEqual(previous.employees);
          // "slowly": at most 3% more output than the month before
          expect(toCents(body.outputValueWan) * 100n).toBeLessThanOrEqual(
            toCents(previous.outputValueWan) * 103n,
          );
        }
        months.push({ ...body, month, version: 1 });
      }
    }
  });

  it('grow from the latest earlier month whatever order the months come in', () => {
    const february = { ...april, month: '2026-02', outputValueWan: '99999.00' };
    const plan = buildIndicators([april, february], MONTH, createRng(4));
    expect(plan.outcome).toBe('submit');
    if (plan.outcome !== 'submit') return;
    expect(toCents(plan.body.outputValueWan)).toBeGreaterThanOrEqual(toCents('86500.00'));
    expect(toCents(plan.body.outputValueWan)).toBeLessThanOrEqual(toCents('89095.00'));
    expect(plan.body.version).toBeUndefined();
  });

  it('skip a month already reported, or correct it upwards with its version as the guard', () => {
    const may: SimIndicators = { ...april, month: MONTH, version: 2 };
    expect(buildIndicators([april, may], MONTH, createRng(1), 0)).toEqual({
      outcome: 'skip',
      why: `${MONTH} already reported`,
    });
    for (let seed = 0; seed < 30; seed++) {
      const plan = buildIndicators([april, may], MONTH, createRng(seed), 1);
      expect(plan).toMatchObject({ outcome: 'submit', correction: true });
      if (plan.outcome !== 'submit') return;
      const body = plan.body;
      expect(ParkIndicatorsBody.safeParse(body).success).toBe(true);
      expect(body.version).toBe(2);
      for (const f of FIGURES) expect(toCents(body[f])).toBeGreaterThanOrEqual(toCents(may[f]));
      expect(body.employees).toBeGreaterThanOrEqual(may.employees);
      // A correction that changed nothing would be a no-op PUT.
      expect(toCents(body.outputValueWan)).toBeGreaterThan(toCents(may.outputValueWan));
      expect(toCents(body.industrialValueAddedWan)).toBeLessThanOrEqual(
        toCents(body.outputValueWan),
      );
    }
  });

  it('keep value added within output even when output stalls', () => {
    const tight = { ...april, industrialValueAddedWan: april.outputValueWan };
    for (let seed = 0; seed < 50; seed++) {
      const plan = buildIndicators([tight], MONTH, createRng(seed));
      if (plan.outcome !== 'submit') throw new Error('expected a submission');
      expect(ParkIndicatorsBody.safeParse(plan.body).success).toBe(true);
    }
  });
});

describe('parks actions', () => {
  const late = task({ currentPlannedDate: '2026-05-01', ownerUnit: 'PARK-FOOD' });
  const soon = task({ currentPlannedDate: '2026-05-25' });
  const later = task({ currentPlannedDate: '2026-09-30' });
  const slipping = task({ currentPlannedDate: '2026-09-30', forecastDate: '2026-10-30' });
  const met = task({ currentPlannedDate: '2026-05-02', status: 'met', actualDate: '2026-05-02' });
  const cancelled = task({ currentPlannedDate: '2026-05-22', status: 'cancelled' });
  const world: ParksWorld = {
    parks: [
      park(),
      park({ id: '0190b000-0000-7000-8000-000000000002', managingUnit: 'PARK-FOOD' }),
    ],
    campaigns: [{ campaign, tasks: [late, soon, later, slipping, met, cancelled] }],
  };

  it('complete only pending tasks late or due within 7 days, and slip only those not late or slipping', () => {
    const c = parksCandidates(world, TODAY);
    expect(c['task-complete'].map((p) => p.task.id).sort()).toEqual([late.id, soon.id].sort());
    expect(c['task-forecast'].map((p) => p.task.id).sort()).toEqual([soon.id, later.id].sort());
    expect(c.indicators).toHaveLength(2);
  });

  it('leave out what was acted on moments ago', () => {
    const c = parksCandidates(world, TODAY, new Set([late.id, soon.id, indicatorsKey(park().id)]));
    expect(c['task-complete']).toEqual([]);
    expect(c['task-forecast'].map((p) => p.task.id)).toEqual([later.id]);
    expect(c.indicators.map((p) => p.managingUnit)).toEqual(['PARK-FOOD']);
  });

  it('play every kind with valid bodies, as the owning unit, the same for the same seed', () => {
    const play = (seed: number) => {
      const rng = createRng(seed);
      const played: Record<ParksActionKind, number> = {
        indicators: 0,
        'task-complete': 0,
        'task-forecast': 0,
      };
      const out: string[] = [];
      for (let i = 0; i < 300; i++) {
        const a = chooseParksAction(world, { today: TODAY, rng, played });
        if (!a) throw new Error('expected an action');
        switch (a.kind) {
          case 'indicators':
            expect(a.transport).toBe(played.indicators % 2 === 0 ? 'http' : 'kafka');
            break;
          case 'task-complete':
            expect([late.id, soon.id]).toContain(a.task.id);
            expect(a.body.actualDate).toBe(TODAY);
            expect(
              ParksIngest.taskCompletionReported.safeParse({
                campaignId: a.campaign.id,
                taskId: a.task.id,
                ...a.body,
              }).success,
            ).toBe(true);
            break;
          case 'task-forecast':
            expect([soon.id, later.id]).toContain(a.task.id);
            expect(a.transport).toBe('kafka');
            expect(a.body.forecastDate > a.task.currentPlannedDate).toBe(true);
            expect(CalendarDate.safeParse(a.body.forecastDate).success).toBe(true);
            break;
        }
        played[a.kind]++;
        out.push(JSON.stringify(a));
      }
      return { out, played };
    };
    const first = play(17);
    expect(first.out).toEqual(play(17).out);
    expect(Object.values(first.played).every((n) => n > 30)).toBe(true);
  });

  it('lean towards completing when many tasks are late, and towards slips when few are', () => {
    const troubled = parksWeights(world, TODAY);
    expect(troubled['task-complete']).toBeGreaterThan(troubled['task-forecast']);
    const calm = parksWeights(
      {
        parks: [],
        campaigns: [{ campaign, tasks: [later, task({ currentPlannedDate: addDays(TODAY, 40) })] }],
      },
      TODAY,
    );
    expect(calm['task-forecast']).toBeGreaterThan(calm['task-complete']);
  });

  it('have nothing to play in an empty world', () => {
    expect(
      chooseParksAction(
        { parks: [], campaigns: [{ campaign, tasks: [met, cancelled] }] },
        {
          today: TODAY,
          rng: createRng(1),
          played: { indicators: 0, 'task-complete': 0, 'task-forecast': 0 },
        },
      ),
    ).toBeNull();
  });
});
