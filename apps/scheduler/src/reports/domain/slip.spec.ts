import { csvField, toCsv } from './csv';
import { SlipEntry, daysSlipped, statusLabel } from './slip';

const TODAY = '2026-06-15';
const entry = (e: Partial<SlipEntry>): SlipEntry => ({
  plannedDate: '2026-06-01',
  currentPlannedDate: '2026-06-01',
  forecastDate: null,
  actualDate: null,
  status: 'pending',
  ...e,
});

describe('days slipped (延期天数)', () => {
  it('measures a met milestone by its actual date, never below 0', () => {
    expect(daysSlipped(entry({ status: 'met', actualDate: '2026-06-11' }), TODAY)).toBe(10);
    expect(daysSlipped(entry({ status: 'met', actualDate: '2026-05-20' }), TODAY)).toBe(0);
  });

  it('measures a pending milestone by its forecast, else its current plan', () => {
    const moved = { currentPlannedDate: '2026-07-01' };
    expect(daysSlipped(entry(moved), TODAY)).toBe(30);
    expect(daysSlipped(entry({ ...moved, forecastDate: '2026-07-11' }), TODAY)).toBe(40);
    expect(
      daysSlipped(entry({ plannedDate: '2026-07-01', currentPlannedDate: '2026-07-01' }), TODAY),
    ).toBe(0);
  });

  it('counts an overdue pending milestone to today at least', () => {
    expect(daysSlipped(entry({}), TODAY)).toBe(14);
    expect(daysSlipped(entry({ forecastDate: '2026-06-10' }), TODAY)).toBe(14);
    expect(daysSlipped(entry({ forecastDate: '2026-06-30' }), TODAY)).toBe(29);
    // Due today is not overdue yet.
    expect(daysSlipped(entry({ plannedDate: TODAY, currentPlannedDate: TODAY }), TODAY)).toBe(0);
  });

  it('counts a missed milestone to its actual date, else today; a cancelled one not at all', () => {
    expect(daysSlipped(entry({ status: 'missed' }), TODAY)).toBe(14);
    expect(daysSlipped(entry({ status: 'missed', actualDate: '2026-06-05' }), TODAY)).toBe(4);
    expect(
      daysSlipped(entry({ status: 'cancelled', currentPlannedDate: '2026-09-01' }), TODAY),
    ).toBe(0);
  });

  it('labels the status in Chinese, overdue apart', () => {
    expect(statusLabel(entry({}), TODAY)).toBe('逾期');
    expect(statusLabel(entry({ currentPlannedDate: '2026-07-01' }), TODAY)).toBe('进行中');
    expect(statusLabel(entry({ status: 'met' }), TODAY)).toBe('已完成');
    expect(statusLabel(entry({ status: 'cancelled' }), TODAY)).toBe('已取消');
  });
});

describe('CSV (RFC 4180, UTF-8 with BOM)', () => {
  it('quotes commas, quotes and line breaks, and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(12)).toBe('12');
    expect(csvField(null)).toBe('');
  });

  it('keeps a formula-like text from being a formula', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(-3)).toBe('-3');
  });

  it('starts with a BOM and ends every record with CRLF', () => {
    expect(
      toCsv([
        ['项目', '延期天数'],
        ['城北, 一期', 3],
      ]),
    ).toBe('\uFEFF项目,延期天数\r\n"城北, 一期",3\r\n');
  });
});
