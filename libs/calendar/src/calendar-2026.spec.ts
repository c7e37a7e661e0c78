import { readFileSync } from 'node:fs';
import { loadCalendar } from './load-calendar';

/**
 * 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号, 2025-11-04), written down
 * here by hand so a chinese-days release that changed 2026 would fail a test, not slip through.
 */
const HOLIDAYS_2026: [string, string][] = [
  ['2026-01-01', '元旦'],
  ['2026-01-02', '元旦'],
  ['2026-01-03', '元旦'],
  ['2026-02-15', '春节'],
  ['2026-02-16', '春节'],
  ['2026-02-17', '春节'],
  ['2026-02-18', '春节'],
  ['2026-02-19', '春节'],
  ['2026-02-20', '春节'],
  ['2026-02-21', '春节'],
  ['2026-02-22', '春节'],
  ['2026-02-23', '春节'],
  ['2026-04-04', '清明节'],
  ['2026-04-05', '清明节'],
  ['2026-04-06', '清明节'],
  ['2026-05-01', '劳动节'],
  ['2026-05-02', '劳动节'],
  ['2026-05-03', '劳动节'],
  ['2026-05-04', '劳动节'],
  ['2026-05-05', '劳动节'],
  ['2026-06-19', '端午节'],
  ['2026-06-20', '端午节'],
  ['2026-06-21', '端午节'],
  ['2026-09-25', '中秋节'],
  ['2026-09-26', '中秋节'],
  ['2026-09-27', '中秋节'],
  ['2026-10-01', '国庆节'],
  ['2026-10-02', '国庆节'],
  ['2026-10-03', '国庆节'],
  ['2026-10-04', '国庆节'],
  ['2026-10-05', '国庆节'],
  ['2026-10-06', '国庆节'],
  ['2026-10-07', '国庆节'],
];

/** 调休: the weekend days worked in 2026. */
const WORKDAYS_2026: [string, string][] = [
  ['2026-01-04', '元旦 (Sunday)'],
  ['2026-02-14', '春节 (Saturday)'],
  ['2026-02-28', '春节 (Saturday)'],
  ['2026-05-09', '劳动节 (Saturday)'],
  ['2026-09-20', '国庆节 (Sunday)'],
  ['2026-10-10', '国庆节 (Saturday)'],
];

const calendar = loadCalendar(null);

describe('2026 statutory holidays (国务院办公厅 2025-11-04)', () => {
  it.each(HOLIDAYS_2026)('%s (%s) is not a working day', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(false);
  });

  it.each(WORKDAYS_2026)('%s (调休, %s) is a working day', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(true);
  });

  it('the installed chinese-days has exactly these 2026 days', () => {
    const file = require.resolve('chinese-days/dist/chinese-days.json');
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
    const of2026 = (dates: Record<string, string>) =>
      Object.keys(dates)
        .filter((date) => date.startsWith('2026-'))
        .sort();
    expect(of2026(raw.holidays)).toEqual(HOLIDAYS_2026.map(([date]) => date));
    expect(of2026(raw.workdays)).toEqual(WORKDAYS_2026.map(([date]) => date));
  });

  it('every other 2026 day is a working day exactly when it is Monday to Friday', () => {
    const listed = new Set([...HOLIDAYS_2026, ...WORKDAYS_2026].map(([date]) => date));
    for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      if (listed.has(date)) continue;
      const weekday = new Date(day).getUTCDay();
      expect([date, calendar.isWorkingDay(date)]).toEqual([date, weekday >= 1 && weekday <= 5]);
    }
  });

  it('covers 2026 with official data', () => {
    expect(calendar.coveredYears()).toContain(2026);
  });
});
