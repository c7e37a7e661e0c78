import { calendarFrom } from '@duban/calendar';
import { AlertClocks, LoopPolicy, dueSteps, nextSteps } from './loop';

// Autumn 2026: 中秋 Friday 25 Sep off (Sunday 20 Sep worked); 国庆 1–7 Oct off, Saturday 10 Oct
// worked (调休).
const calendar = calendarFrom({
  holidays: ['2026-09-25', ...[1, 2, 3, 4, 5, 6, 7].map((d) => `2026-10-0${d}`)],
  workdays: ['2026-09-20', '2026-10-10'],
  years: [2026],
});
const policy: LoopPolicy = {
  escalation: { afterWorkingDays: [2, 3], calendar },
  reminderWorkingDays: { info: 0, minor: 5, major: 3, critical: 1 },
  autoCloseWorkingDays: 5,
};
const cst = (iso: string) => new Date(`${iso}+08:00`);
const alert = (over: Partial<AlertClocks> = {}): AlertClocks => ({
  state: 'open',
  severity: 'major',
  escalationLevel: 2, // at the top: no escalation clock unless a test asks for one
  levelSince: cst('2026-09-29T10:00:00'),
  commitDate: null,
  remindSince: cst('2026-09-29T10:00:00'),
  resolvedAt: null,
  ...over,
});
const at = (a: AlertClocks, step: string) => nextSteps(a, policy).find((s) => s.step === step)?.at;

describe('reminders (催办) in working days', () => {
  it('skip the National Day holiday: Tuesday 29 Sep + 3 working days is Friday 9 Oct', () => {
    // 30 Sep, (1–7 Oct off), 8 Oct, 9 Oct.
    expect(at(alert(), 'remind')).toEqual(cst('2026-10-09T10:00:00'));
  });

  it('count the 调休 Saturday: Thursday 8 Oct + 3 working days is Monday 12 Oct', () => {
    // 9 Oct, Saturday 10 Oct (worked), (Sunday off), 12 Oct.
    const a = alert({ remindSince: cst('2026-10-08T09:00:00') });
    expect(at(a, 'remind')).toEqual(cst('2026-10-12T09:00:00'));
  });

  it('remind a critical alert every working day, across the Mid-Autumn Friday', () => {
    const a = alert({ severity: 'critical', remindSince: cst('2026-09-24T16:00:00') });
    expect(at(a, 'remind')).toEqual(cst('2026-09-28T16:00:00'));
  });

  it('count from 00:00 of the next working day when the clock starts on a holiday', () => {
    const a = alert({ remindSince: cst('2026-10-02T11:00:00') });
    // 8 Oct is day 0; 9, 10 (调休), 12.
    expect(at(a, 'remind')).toEqual(cst('2026-10-12T00:00:00'));
  });

  it('remind acknowledged alerts too, but not info ones, nor resolved or closed ones', () => {
    expect(at(alert({ state: 'acknowledged' }), 'remind')).toEqual(cst('2026-10-09T10:00:00'));
    expect(at(alert({ severity: 'info' }), 'remind')).toBeUndefined();
    expect(
      at(alert({ state: 'resolved', resolvedAt: cst('2026-09-29T10:00:00') }), 'remind'),
    ).toBeUndefined();
    expect(at(alert({ state: 'closed' }), 'remind')).toBeUndefined();
  });
});

describe('the commitment clock', () => {
  it('runs out at the end of the commit date in China, even on a holiday (the date stays as declared)', () => {
    const a = alert({ state: 'acknowledged', commitDate: '2026-10-03' });
    expect(at(a, 'commitment')).toEqual(cst('2026-10-04T00:00:00'));
  });

  it('is due only once the commit date is over, and before a reminder due with it', () => {
    const a = alert({ state: 'acknowledged', commitDate: '2026-10-08' });
    expect(dueSteps(a, policy, cst('2026-10-08T23:59:59'))).toEqual([]);
    expect(dueSteps(a, policy, cst('2026-10-09T10:00:00'))).toEqual(['commitment', 'remind']);
  });

  it('runs only while acknowledged', () => {
    expect(at(alert({ state: 'open', commitDate: '2026-10-08' }), 'commitment')).toBeUndefined();
  });
});

describe('escalation and auto-close', () => {
  it('escalates only an open alert below the top level', () => {
    expect(at(alert({ escalationLevel: 0 }), 'escalate')).toEqual(cst('2026-10-08T10:00:00'));
    expect(at(alert({ state: 'acknowledged', escalationLevel: 0 }), 'escalate')).toBeUndefined();
  });

  it('closes a resolved alert after 5 working days without objection', () => {
    const a = alert({ state: 'resolved', resolvedAt: cst('2026-09-29T10:00:00') });
    // 30 Sep, 8, 9, 10 (调休), 12 Oct.
    expect(at(a, 'auto-close')).toEqual(cst('2026-10-12T10:00:00'));
    expect(dueSteps(a, policy, cst('2026-10-12T09:59:59'))).toEqual([]);
    expect(dueSteps(a, policy, cst('2026-10-12T10:00:00'))).toEqual(['auto-close']);
  });

  it('never closes by itself when auto-close is off', () => {
    const a = alert({ state: 'resolved', resolvedAt: cst('2026-09-29T10:00:00') });
    expect(nextSteps(a, { ...policy, autoCloseWorkingDays: 0 })).toEqual([]);
  });

  it('has no clock left once closed', () => {
    expect(nextSteps(alert({ state: 'closed', escalationLevel: 0 }), policy)).toEqual([]);
  });
});
