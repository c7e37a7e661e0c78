import { loadCalendar } from './load-calendar';
import { calendarFrom, uncoveredYears } from './working-calendar';
import { workingDaysLater } from './working-days-later';

const calendar = loadCalendar(null);
/** A China wall-clock time as an instant. */
const cst = (local: string) => new Date(`${local}+08:00`);

describe('addWorkingDays', () => {
  it('jumps Spring Festival 2026, working its 调休 Saturday', () => {
    expect(calendar.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
  });

  it('counts the Labour Day 调休 Saturday 2026-05-09', () => {
    expect(calendar.addWorkingDays('2026-04-30', 1)).toBe('2026-05-06');
    expect(calendar.addWorkingDays('2026-04-30', 4)).toBe('2026-05-09');
    expect(calendar.addWorkingDays('2026-05-08', 1)).toBe('2026-05-09');
    expect(calendar.addWorkingDays('2026-05-08', 2)).toBe('2026-05-11');
  });

  it('with 0 days keeps a working day and moves a day off to the next working day', () => {
    expect(calendar.addWorkingDays('2026-03-16', 0)).toBe('2026-03-16');
    expect(calendar.addWorkingDays('2026-02-15', 0)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-09-20', 0)).toBe('2026-09-20');
  });

  it('from a day off counts the first working day after it as day 1', () => {
    expect(calendar.addWorkingDays('2026-03-14', 1)).toBe('2026-03-16');
    expect(calendar.addWorkingDays('2026-02-15', 1)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-10-01', 2)).toBe('2026-10-09');
  });

  it('agrees with stepping day by day, from every day of 2026, for 0 to 30 days', () => {
    const next = (date: string) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    for (let from = '2026-01-01'; from < '2027-01-01'; from = next(from)) {
      let expected = from;
      while (!calendar.isWorkingDay(expected)) expected = next(expected);
      expect([from, 0, calendar.addWorkingDays(from, 0)]).toEqual([from, 0, expected]);
      expected = from;
      for (let days = 1; days <= 30; days++) {
        expected = next(expected);
        while (!calendar.isWorkingDay(expected)) expected = next(expected);
        expect([from, days, calendar.addWorkingDays(from, days)]).toEqual([from, days, expected]);
      }
    }
  });

  it('finds the day even when an override closes weeks at a time', () => {
    const closed = Array.from({ length: 120 }, (_, i) =>
      new Date(Date.UTC(2030, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
    );
    const shut = calendarFrom({ holidays: closed, workdays: [], years: [2030] });
    expect(shut.addWorkingDays('2029-12-31', 1)).toBe('2030-05-01');
    expect(shut.addWorkingDays('2030-01-01', 0)).toBe('2030-05-01');
  });

  it('counts a long stretch (a year of working days) across holidays', () => {
    const end = calendar.addWorkingDays('2025-12-31', 400);
    expect(calendar.workingDaysBetween('2025-12-31', end)).toBe(400);
    expect(calendar.isWorkingDay(end)).toBe(true);
  });

  it('rejects a negative or fractional count and a malformed date', () => {
    expect(() => calendar.addWorkingDays('2026-03-16', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-03-16', 1.5)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-02-30', 1)).toThrow(/2026-02-30/);
    expect(() => calendar.isWorkingDay('2026/03/16')).toThrow(/2026\/03\/16/);
  });
});

describe('workingDaysBetween', () => {
  it('counts the half-open range (from, to]', () => {
    expect(calendar.workingDaysBetween('2026-02-13', '2026-02-24')).toBe(2);
    expect(calendar.workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
    expect(calendar.workingDaysBetween('2026-03-16', '2026-03-16')).toBe(0);
    expect(calendar.workingDaysBetween('2026-03-20', '2026-03-16')).toBe(0);
  });

  it('agrees with counting day by day over 2025–2027 and an uncovered year', () => {
    const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000);
    const date = (n: number) => day(n).toISOString().slice(0, 10);
    const working = Array.from({ length: 1200 }, (_, n) => calendar.isWorkingDay(date(n)));
    for (let from = 0; from < 1200; from += 37) {
      for (let to = from; to < 1200; to += 53) {
        const counted = working.slice(from + 1, to + 1).filter(Boolean).length;
        expect(calendar.workingDaysBetween(date(from), date(to))).toBe(counted);
      }
    }
  });

  it('is the inverse of addWorkingDays', () => {
    for (const days of [1, 5, 20, 60, 250]) {
      const end = calendar.addWorkingDays('2026-01-05', days);
      expect(calendar.workingDaysBetween('2026-01-05', end)).toBe(days);
    }
  });
});

describe('workingDaysLater', () => {
  it('from a Friday afternoon lands on Monday at the same China time', () => {
    expect(workingDaysLater(cst('2026-03-13T15:30:00'), 1, calendar)).toEqual(
      cst('2026-03-16T15:30:00'),
    );
    expect(workingDaysLater(cst('2026-03-13T15:30:00'), 3, calendar)).toEqual(
      cst('2026-03-18T15:30:00'),
    );
  });

  it('from a Saturday starts the clock at 00:00 on Monday', () => {
    expect(workingDaysLater(cst('2026-03-14T10:00:00'), 0, calendar)).toEqual(
      cst('2026-03-16T00:00:00'),
    );
    expect(workingDaysLater(cst('2026-03-14T10:00:00'), 1, calendar)).toEqual(
      cst('2026-03-17T00:00:00'),
    );
  });

  it('takes the China date, not the UTC one (Friday 20:00 UTC is Saturday 04:00 in China)', () => {
    expect(workingDaysLater(new Date('2026-03-13T20:00:00Z'), 1, calendar)).toEqual(
      cst('2026-03-17T00:00:00'),
    );
  });

  it('jumps National Day 2026 and counts its 调休 Saturday', () => {
    expect(workingDaysLater(cst('2026-09-30T16:00:00'), 1, calendar)).toEqual(
      cst('2026-10-08T16:00:00'),
    );
    expect(workingDaysLater(cst('2026-09-30T16:00:00'), 3, calendar)).toEqual(
      cst('2026-10-10T16:00:00'),
    );
    expect(workingDaysLater(cst('2026-10-03T09:00:00'), 2, calendar)).toEqual(
      cst('2026-10-10T00:00:00'),
    );
  });

  it('with 0 days from a working day is the instant itself', () => {
    const at = cst('2026-03-16T11:11:11');
    expect(workingDaysLater(at, 0, calendar)).toEqual(at);
  });
});

describe('fallback for a year without official data', () => {
  it('counts Monday to Friday and reports the year as uncovered', () => {
    // 2099-01-01 is a Thursday: no New Year holiday without data for 2099.
    expect(calendar.isWorkingDay('2099-01-01')).toBe(true);
    expect(calendar.isWorkingDay('2099-01-03')).toBe(false);
    expect(calendar.addWorkingDays('2099-01-02', 1)).toBe('2099-01-05');
    expect(uncoveredYears(calendar, [2026, 2099, 2026])).toEqual([2099]);
    expect(calendar.coveredYears()).toEqual(expect.arrayContaining([2024, 2025, 2026]));
  });

  it('a calendar from explicit data covers only the years it is given', () => {
    const explicit = calendarFrom({
      holidays: ['2030-01-01'],
      workdays: ['2030-01-05'],
      years: [2030],
    });
    expect(explicit.isWorkingDay('2030-01-01')).toBe(false);
    expect(explicit.isWorkingDay('2030-01-05')).toBe(true);
    expect(explicit.isWorkingDay('2031-01-01')).toBe(true);
    expect(explicit.coveredYears()).toEqual([2030]);
    expect(uncoveredYears(explicit, [2030, 2031])).toEqual([2031]);
  });

  it('refuses a date that is both a holiday and a working day', () => {
    expect(() =>
      calendarFrom({ holidays: ['2030-01-05'], workdays: ['2030-01-05'], years: [2030] }),
    ).toThrow(/2030-01-05/);
  });
});
