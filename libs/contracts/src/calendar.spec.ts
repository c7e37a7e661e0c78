import { chinaDate, chinaMonth, deadlineAfter, startOfChinaDay } from './calendar';

describe('calendar dates in China Standard Time', () => {
  it('is already tomorrow in China at 16:00 UTC', () => {
    expect(chinaDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(chinaDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('gives the month in China across a year end', () => {
    expect(chinaMonth(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01');
  });

  it('puts the deadline of a due date at the next midnight in UTC+8', () => {
    expect(deadlineAfter('2026-12-31').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(deadlineAfter('2028-02-28').toISOString()).toBe('2028-02-28T16:00:00.000Z');
    expect(startOfChinaDay('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });
});
