import { addDays, chinaDate, chinaMonth, monthsBefore, toCents } from '@duban/contracts';
import { planDemoProjects } from './demo-plan';
import { DEMO_PROJECTS } from './demo-projects';

describe('the demo project plan', () => {
  // Around a month end, a year end and a leap day, the demo must look the same.
  const days = [
    new Date('2026-11-28T12:00:00Z'),
    new Date('2026-12-31T17:30:00Z'), // already 2027-01-01 in China
    new Date('2028-02-29T03:00:00Z'),
  ];

  it.each(days)('is valid and shows every kind of milestone on %s', (now) => {
    const today = chinaDate(now);
    const plans = planDemoProjects(now);
    expect(plans).toHaveLength(DEMO_PROJECTS.length);
    expect(new Set(plans.map((p) => p.project.code)).size).toBe(plans.length);

    const ms = plans.flatMap((p) => p.milestones);
    const current = (m: (typeof ms)[number]) => m.reschedule?.plannedDate ?? m.create.plannedDate;
    const pending = ms.filter((m) => !m.complete);
    const daysLate = pending
      .filter((m) => current(m) < today)
      .map((m) => (Date.parse(today) - Date.parse(current(m))) / 86400000);
    expect(daysLate).toEqual(expect.arrayContaining([1, 5, 20, 45]));
    const dueSoon = pending.filter((m) => current(m) >= today && current(m) <= addDays(today, 7));
    expect(dueSoon.length).toBeGreaterThanOrEqual(3);
    expect(ms.filter((m) => m.complete).length).toBeGreaterThanOrEqual(3);
    for (const m of ms) if (m.complete) expect(m.complete.actualDate <= today).toBe(true);
    expect(ms.filter((m) => m.reschedule)).toHaveLength(1);
    const slipping = ms.filter(
      (m) => m.forecast?.forecastDate && m.forecast.forecastDate > current(m),
    );
    expect(slipping).toHaveLength(1);

    for (const p of plans) {
      expect(p.project.regionCode).toBe('511112');
      const months = p.reports.map((r) => r.month);
      expect(months).toEqual([...months].sort());
      for (const month of months) expect(month < chinaMonth(now)).toBe(true);
      for (const [i, r] of p.reports.entries()) {
        if (i === 0) continue;
        expect(toCents(r.cumulativeInvestmentWan)).toBeGreaterThan(
          toCents(p.reports[i - 1].cumulativeInvestmentWan),
        );
      }
    }
  });

  it('places the pig-breeding park creation on 2026-12-31, as the report promises', () => {
    const [park] = planDemoProjects(days[0]).filter(
      (p) => p.project.name === '生猪种业国家现代农业产业园',
    );
    expect(park.milestones.map((m) => m.create)).toContainEqual(
      expect.objectContaining({ name: '完成国家现代农业产业园创建', plannedDate: '2026-12-31' }),
    );
  });

  it('counts months back across a year', () => {
    expect(monthsBefore('2027-01', 1)).toBe('2026-12');
    expect(monthsBefore('2027-03', 3)).toBe('2026-12');
    expect(monthsBefore('2026-11', 2)).toBe('2026-09');
  });
});
