import { calendarFrom } from '@duban/calendar';
import {
  DEFAULT_ESCALATION_WORKING_DAYS,
  dueLevel,
  ESCALATION_LEVELS,
  EscalationPolicy,
  levelAbove,
  nextEscalationAt,
} from './escalation';

// Autumn 2026 as the State Council set it: 中秋 Friday 25 Sep off (Sunday 20 Sep worked), 国庆
// 1–7 Oct off, Saturday 10 Oct worked (调休).
const calendar = calendarFrom({
  holidays: ['2026-09-25', ...[1, 2, 3, 4, 5, 6, 7].map((d) => `2026-10-0${d}`)],
  workdays: ['2026-09-20', '2026-10-10'],
  years: [2026],
});
const policy: EscalationPolicy = { afterWorkingDays: DEFAULT_ESCALATION_WORKING_DAYS, calendar };
/** China time (UTC+8) as an instant. */
const cst = (iso: string) => new Date(`${iso}+08:00`);
const since = cst('2026-09-29T10:00:00'); // Tuesday before the National Day week

describe('escalation levels', () => {
  it('go from the owner unit to the supervisors office to the responsible leader', () => {
    expect(ESCALATION_LEVELS).toEqual(['owner-unit', 'supervisors-office', 'responsible-leader']);
  });

  it('wait 2 and then 3 working days by default', () => {
    expect(DEFAULT_ESCALATION_WORKING_DAYS).toEqual([2, 3]);
  });

  it('go one level up, never past the top', () => {
    expect([levelAbove(0), levelAbove(1), levelAbove(2)]).toEqual([1, 2, 2]);
  });
});

describe('nextEscalationAt (working days)', () => {
  it('skips the National Day holiday: Tuesday 10:00 + 2 working days is Thursday 8 Oct 10:00', () => {
    expect(nextEscalationAt(0, since, false, policy)).toEqual(cst('2026-10-08T10:00:00'));
  });

  it('counts the 调休 Saturday: Thursday 8 Oct + 3 working days is Monday 12 Oct', () => {
    expect(nextEscalationAt(1, cst('2026-10-08T10:00:00'), false, policy)).toEqual(
      cst('2026-10-12T10:00:00'),
    );
  });

  it('starts a clock raised on a holiday at 00:00 of the next working day', () => {
    expect(nextEscalationAt(0, cst('2026-10-03T15:00:00'), false, policy)).toEqual(
      cst('2026-10-10T00:00:00'),
    );
  });

  it('is null at the top level', () => {
    expect(nextEscalationAt(2, since, false, policy)).toBeNull();
  });

  it('is null once acknowledged', () => {
    expect(nextEscalationAt(0, since, true, policy)).toBeNull();
    expect(nextEscalationAt(1, since, true, policy)).toBeNull();
  });

  it('follows a custom policy', () => {
    const quick: EscalationPolicy = { afterWorkingDays: [1, 1], calendar };
    expect(nextEscalationAt(0, since, false, quick)).toEqual(cst('2026-09-30T10:00:00'));
  });
});

describe('dueLevel', () => {
  const at = (iso: string) => cst(iso);

  it('stays at the owner unit through the holiday', () => {
    expect(dueLevel(0, since, false, at('2026-10-08T09:59:59'), policy)).toBe(0);
  });

  it('rises to the supervisors office after 2 working days', () => {
    expect(dueLevel(0, since, false, at('2026-10-08T10:00:00'), policy)).toBe(1);
  });

  it('jumps from the owner unit straight to the leader after 2 + 3 working days', () => {
    expect(dueLevel(0, since, false, at('2026-10-12T09:59:59'), policy)).toBe(1);
    expect(dueLevel(0, since, false, at('2026-10-12T10:00:00'), policy)).toBe(2);
  });

  it('stays at the top level however long it waits', () => {
    expect(dueLevel(2, since, false, at('2027-10-01T00:00:00'), policy)).toBe(2);
  });

  it('keeps an acknowledged alert where it is', () => {
    expect(dueLevel(0, since, true, at('2027-10-01T00:00:00'), policy)).toBe(0);
  });

  it('never goes down, even if the clock reads before since', () => {
    expect(dueLevel(1, since, false, at('2026-09-01T00:00:00'), policy)).toBe(1);
  });
});
