import {
  CalendarDate,
  Count,
  INT4_MAX,
  Instant,
  MoneyWan,
  Month,
  Percent,
  RegionCode,
  UnitCode,
  Uuid,
  Version,
} from './values';
import { z } from 'zod';

const accepts = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;

describe('RegionCode', () => {
  it('accepts a 6-digit division code', () => {
    expect(accepts(RegionCode, '511112')).toBe(true);
  });

  it.each(['51111', '5111123', 'abc', '51111a', '', ' 511112'])('rejects %p', (value) => {
    expect(accepts(RegionCode, value)).toBe(false);
  });

  it('rejects a number', () => {
    expect(accepts(RegionCode, 511112)).toBe(false);
  });

  it('reports the GB/T 2260 message', () => {
    const result = RegionCode.safeParse('abc');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('must be a 6-digit division code (GB/T 2260)');
  });
});

describe('UnitCode', () => {
  it.each(['DRC', 'TOWN-QINGFU', 'A1', 'X'.repeat(32)])('accepts %p', (value) => {
    expect(accepts(UnitCode, value)).toBe(true);
  });

  it.each(['D', 'drc', 'Town-Qingfu', '-DRC', 'DRC_1', 'X'.repeat(33), ''])(
    'rejects %p',
    (value) => {
      expect(accepts(UnitCode, value)).toBe(false);
    },
  );
});

describe('MoneyWan', () => {
  it.each(['1234.50', '0.00', '-1234.50', '9999999999999.99'])('accepts %p', (value) => {
    expect(accepts(MoneyWan, value)).toBe(true);
  });

  it.each(['1234.5', '1234', '1234.500', '1e3', '12,345.00', '.50', '+1.00', '99999999999999.99'])(
    'rejects %p',
    (value) => {
      expect(accepts(MoneyWan, value)).toBe(false);
    },
  );

  it('rejects a number, even one with the right value', () => {
    expect(accepts(MoneyWan, 1234.5)).toBe(false);
  });
});

describe('CalendarDate', () => {
  it.each(['2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01'])(
    'accepts %p',
    (value) => {
      expect(accepts(CalendarDate, value)).toBe(true);
    },
  );

  it.each([
    ['2026-02-29', 'not a leap year'],
    ['1900-02-29', 'century, not a leap year'],
    ['2026-02-30', 'no 30 February'],
    ['2026-04-31', 'April has 30 days'],
    ['2026-13-01', 'no month 13'],
    ['2026-00-10', 'no month 0'],
    ['2026-01-00', 'no day 0'],
  ])('rejects %p (%s)', (value) => {
    const result = CalendarDate.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['is not a real calendar date']);
  });

  it.each(['2026-1-1', '2026/01/01', '20260101', '2026-01-01T00:00:00Z', ''])(
    'rejects the badly formatted %p',
    (value) => {
      const result = CalendarDate.safeParse(value);
      expect(result.success).toBe(false);
      // Only the format issue: a malformed value is not also called "not a real date".
      expect(result.error?.issues.map((i) => i.message)).toEqual(['must be a date as YYYY-MM-DD']);
    },
  );
});

describe('Month', () => {
  it.each(['2026-01', '2026-12'])('accepts %p', (value) => {
    expect(accepts(Month, value)).toBe(true);
  });

  it.each(['2026-00', '2026-13', '2026-1', '2026-01-01', '202601'])('rejects %p', (value) => {
    expect(accepts(Month, value)).toBe(false);
  });
});

describe('Percent', () => {
  it.each([0, 42.5, 100])('accepts %p', (value) => {
    expect(accepts(Percent, value)).toBe(true);
  });

  it.each([-1, -0.01, 100.1, NaN, Infinity])('rejects %p', (value) => {
    expect(accepts(Percent, value)).toBe(false);
  });

  it('rejects a numeric string', () => {
    expect(accepts(Percent, '50')).toBe(false);
  });

  it('names the bound that was crossed', () => {
    expect(Percent.safeParse(-1).error?.issues[0].message).toBe('must be at least 0');
    expect(Percent.safeParse(100.1).error?.issues[0].message).toBe('must be at most 100');
  });
});

describe('Uuid', () => {
  it('accepts a UUID and rejects anything else', () => {
    expect(accepts(Uuid, '0190a4c2-7b3e-7c1d-8f2a-3b4c5d6e7f80')).toBe(true);
    expect(accepts(Uuid, 'not-a-uuid')).toBe(false);
    expect(accepts(Uuid, '0190a4c27b3e7c1d8f2a3b4c5d6e7f80')).toBe(false);
  });
});

describe('Instant', () => {
  it.each(['2026-02-01T10:00:00Z', '2026-02-01T10:00:00.123Z', '2026-02-01T18:00:00+08:00'])(
    'accepts %p',
    (value) => {
      expect(accepts(Instant, value)).toBe(true);
    },
  );

  it.each(['2026-02-01T10:00:00', '2026-02-01', '10:00:00Z', 'yesterday', '2026-02-01 10:00:00Z'])(
    'rejects %p',
    (value) => {
      const result = Instant.safeParse(value);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toBe('must be an ISO 8601 instant');
    },
  );
});

describe.each([
  ['Count', Count, 0],
  ['Version', Version, 1],
])('%s (an integer column)', (_name, schema, least) => {
  it('accepts its least value and the column maximum', () => {
    expect(accepts(schema, least)).toBe(true);
    expect(accepts(schema, INT4_MAX)).toBe(true);
  });

  it.each([INT4_MAX + 1, 3e9, 1e20, Number.MAX_SAFE_INTEGER + 2])(
    'refuses %p, which the column cannot hold, saying the maximum',
    (value) => {
      const result = schema.safeParse(value);
      expect(result.error?.issues.map((i) => i.message)).toEqual(['must be at most 2147483647']);
    },
  );

  it.each([least - 1, 1.5])('refuses %p', (value) => {
    expect(accepts(schema, value)).toBe(false);
  });
});
