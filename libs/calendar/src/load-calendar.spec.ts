import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCalendar, readOverrides } from './load-calendar';

const dir = mkdtempSync(join(tmpdir(), 'duban-calendar-'));
let files = 0;
function overrideFile(content: string): string {
  const file = join(dir, `overrides-${++files}.json`);
  writeFileSync(file, content);
  return file;
}

describe('override file', () => {
  it('the shipped deploy/calendar/overrides.json is valid and changes nothing', () => {
    const shipped = join(__dirname, '../../../deploy/calendar/overrides.json');
    expect(readOverrides(shipped)).toEqual({ workdays: [], holidays: [] });
    expect(loadCalendar(shipped).coveredYears()).toEqual(loadCalendar(null).coveredYears());
  });

  it('adds and removes days: a listed date wins over the package', () => {
    const file = overrideFile(
      JSON.stringify({ workdays: ['2026-10-07'], holidays: ['2026-03-16', '2026-01-04'] }),
    );
    const calendar = loadCalendar(file);
    expect(calendar.isWorkingDay('2026-10-07')).toBe(true); // package: 国庆节
    expect(calendar.isWorkingDay('2026-03-16')).toBe(false); // a Monday
    expect(calendar.isWorkingDay('2026-01-04')).toBe(false); // package: 调休 Sunday
    expect(calendar.addWorkingDays('2026-03-13', 1)).toBe('2026-03-17');
    expect(calendar.workingDaysBetween('2026-09-30', '2026-10-09')).toBe(3);
  });

  it('supplies a year the package lacks and makes it covered', () => {
    const file = overrideFile(
      JSON.stringify({ workdays: ['2099-02-07'], holidays: ['2099-02-02', '2099-02-03'] }),
    );
    const calendar = loadCalendar(file);
    expect(calendar.coveredYears()).toContain(2099);
    expect(calendar.isWorkingDay('2099-02-02')).toBe(false);
    expect(calendar.isWorkingDay('2099-02-07')).toBe(true); // a Saturday
    expect(calendar.addWorkingDays('2099-01-30', 1)).toBe('2099-02-04');
  });

  it('accepts a file listing only one of the two arrays', () => {
    const file = overrideFile(JSON.stringify({ holidays: ['2026-03-16'] }));
    expect(readOverrides(file)).toEqual({ workdays: [], holidays: ['2026-03-16'] });
  });

  it('names the file and the entry for a malformed date', () => {
    const file = overrideFile(
      JSON.stringify({ workdays: ['2027-02-06', '2027-02-30'], holidays: [] }),
    );
    expect(() => loadCalendar(file)).toThrow(file);
    expect(() => loadCalendar(file)).toThrow(/workdays\[1\] "2027-02-30"/);
  });

  it('names the entry for a date written another way or not a string', () => {
    expect(() => readOverrides(overrideFile('{"holidays": ["2027/02/10"]}'))).toThrow(
      /holidays\[0\] "2027\/02\/10"/,
    );
    expect(() => readOverrides(overrideFile('{"holidays": [20270210]}'))).toThrow(
      /holidays\[0\] 20270210/,
    );
  });

  it('refuses an unknown key (a misspelt list would otherwise be ignored)', () => {
    const file = overrideFile('{"workday": ["2027-02-06"]}');
    expect(() => readOverrides(file)).toThrow(file);
    expect(() => readOverrides(file)).toThrow(/workday/);
  });

  it('refuses a date listed as both a workday and a holiday', () => {
    const file = overrideFile('{"workdays": ["2027-02-06"], "holidays": ["2027-02-06"]}');
    expect(() => readOverrides(file)).toThrow(/2027-02-06/);
  });

  it('names the file when it is not JSON or does not exist', () => {
    const broken = overrideFile('{"workdays": [');
    expect(() => loadCalendar(broken)).toThrow(broken);
    const missing = join(dir, 'missing.json');
    expect(() => loadCalendar(missing)).toThrow(missing);
  });
});
