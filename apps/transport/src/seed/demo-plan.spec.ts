import { chinaDate } from '@duban/contracts';
import { kmToMetres, metresToKm } from '../mileage/domain/length';
import { unmetGates } from '../works/domain/phase';
import { planDemoBaselines, planDemoWorks } from './demo-plan';
import { DEMO_WORKS } from './demo-works';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the demo transport plan', () => {
  // Around a month end, a year end and a leap day, the demo must look the same.
  const days = [
    new Date('2026-11-28T12:00:00Z'),
    new Date('2026-12-31T17:30:00Z'), // already 2027-01-01 in China
    new Date('2028-02-29T03:00:00Z'),
  ];

  it.each(days)(
    'is valid, and shows late, due-soon, met, rescheduled and slipping gates on %s',
    (now) => {
      const today = chinaDate(now);
      const plans = planDemoWorks(now);
      expect(plans.map((p) => p.work.name)).toEqual(DEMO_WORKS.map((w) => w.name));

      const gates = plans.flatMap((p) =>
        p.work.gates.map((g) => ({ ...g, ...p.gates.find((x) => x.gate === g.gate)! })),
      );
      const current = (g: (typeof gates)[number]) => g.reschedule?.plannedDate ?? g.plannedDate;
      const pending = gates.filter((g) => !g.complete);
      const daysLate = pending
        .filter((g) => current(g) < today)
        .map((g) => (Date.parse(today) - Date.parse(current(g))) / DAY_MS);
      expect(daysLate.sort((a, b) => a - b)).toEqual([5, 20, 45]);
      expect(
        pending.some(
          (g) => current(g) >= today && Date.parse(current(g)) - Date.parse(today) <= 7 * DAY_MS,
        ),
      ).toBe(true);
      for (const g of gates) if (g.complete) expect(g.complete.actualDate <= today).toBe(true);
      expect(gates.filter((g) => g.reschedule)).toHaveLength(1);
      expect(gates.filter((g) => g.forecast && g.forecast.forecastDate! > current(g))).toHaveLength(
        1,
      );
    },
  );

  it('puts the five works of the report in pre-work and the trunk road in construction, its gates all met', () => {
    const plans = planDemoWorks(days[0]);
    for (const p of plans) expect(p.work.regionCode).toBe('511112');
    const preWork = plans.filter((p) => p.phasePath.at(-1) === 'pre-work').map((p) => p.work.name);
    expect(preWork).toEqual(['XX阳机场南迁', 'XX通用机场', 'XX遂内铁路', '成巴铁路', '茂犍高速']);
    const [road] = plans.filter((p) => p.phasePath.at(-1) === 'construction');
    expect(road.phasePath).toEqual(['pre-work', 'tender', 'construction']);
    const standing = road.gates.map((g) => ({
      gate: g.gate,
      status: g.complete ? ('met' as const) : ('pending' as const),
    }));
    expect(unmetGates('pre-work', standing)).toEqual([]);
    expect(unmetGates('tender', standing)).toEqual([]);
    const opened = road.sections.filter((s) => s.open);
    const openedMetres = opened.reduce((total, s) => total + kmToMetres(s.add.lengthKm), 0);
    expect(metresToKm(openedMetres)).toBe(8.35);
  });

  it('records the 141 km expressway baseline of region 511112', () => {
    expect(planDemoBaselines()).toEqual([
      { regionCode: '511112', kind: 'expressway', baselineKm: 141 },
    ]);
  });
});
