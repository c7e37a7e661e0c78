import { RuleViolation } from '@duban/contracts';
import { deriveIndicators, divideHalfUp, hundredths } from './indicators';

describe('derived park indicators', () => {
  it('computes occupancy and tax per mu exactly', () => {
    expect(
      deriveIndicators({ plannedAreaMu: 5000, developedAreaMu: 3860.5, taxWan: '1930.25' }),
    ).toEqual({ occupancyPct: 77.21, taxPerMuWan: '0.50' });
    expect(
      deriveIndicators({ plannedAreaMu: 1200, developedAreaMu: 1200, taxWan: '36000.00' }),
    ).toEqual({ occupancyPct: 100, taxPerMuWan: '30.00' });
  });

  it('rounds half up at the last digit', () => {
    // 1 / 8 = 12.5 % exactly; 1 / 3 = 33.333… % → 33.33; 2 / 3 = 66.666… % → 66.67
    expect(
      deriveIndicators({ plannedAreaMu: 8, developedAreaMu: 1, taxWan: '0.00' }).occupancyPct,
    ).toBe(12.5);
    expect(
      deriveIndicators({ plannedAreaMu: 3, developedAreaMu: 1, taxWan: '0.00' }).occupancyPct,
    ).toBe(33.33);
    expect(
      deriveIndicators({ plannedAreaMu: 3, developedAreaMu: 2, taxWan: '0.00' }).occupancyPct,
    ).toBe(66.67);
    // 0.01 万元 over 2 mu = 0.005 → 0.01 (half up); over 3 mu = 0.00333… → 0.00
    expect(
      deriveIndicators({ plannedAreaMu: 5, developedAreaMu: 2, taxWan: '0.01' }).taxPerMuWan,
    ).toBe('0.01');
    expect(
      deriveIndicators({ plannedAreaMu: 5, developedAreaMu: 3, taxWan: '0.01' }).taxPerMuWan,
    ).toBe('0.00');
    // 1000.00 万元 over 3000 mu = 0.3333… → 0.33
    expect(
      deriveIndicators({ plannedAreaMu: 3000, developedAreaMu: 3000, taxWan: '1000.00' })
        .taxPerMuWan,
    ).toBe('0.33');
  });

  it('keeps large sums exact where floats would not', () => {
    // 9 999 999 999 999.99 万元 × 100 in fen is far beyond Number's 2^53.
    expect(
      deriveIndicators({ plannedAreaMu: 1, developedAreaMu: 1, taxWan: '9999999999999.99' })
        .taxPerMuWan,
    ).toBe('9999999999999.99');
    expect(
      deriveIndicators({ plannedAreaMu: 9, developedAreaMu: 3, taxWan: '9999999999999.99' })
        .taxPerMuWan,
    ).toBe('3333333333333.33');
  });

  it('refuses a tax per mu its column (numeric(15,2)) cannot hold as a 400 on taxWan', () => {
    let refusal: unknown;
    try {
      deriveIndicators({ plannedAreaMu: 1, developedAreaMu: 0.01, taxWan: '9999999999999.99' });
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(RuleViolation);
    expect(refusal).toMatchObject({
      kind: 'invalid',
      details: {
        errors: [
          {
            field: 'taxWan',
            message:
              "is too large for the park's developed area of 0.01 mu: tax per mu would exceed 9999999999999.99 万元",
          },
        ],
      },
    });
    // Just within: 99 999 999 999.99 万元 over 0.01 mu.
    expect(
      deriveIndicators({ plannedAreaMu: 1, developedAreaMu: 0.01, taxWan: '99999999999.99' })
        .taxPerMuWan,
    ).toBe('9999999999999.00');
  });

  it('reports 0 for a park with no developed land', () => {
    expect(deriveIndicators({ plannedAreaMu: 800, developedAreaMu: 0, taxWan: '12.00' })).toEqual({
      occupancyPct: 0,
      taxPerMuWan: '0.00',
    });
  });

  it('reads areas as exact hundredths', () => {
    expect(hundredths(0.29)).toBe(29n); // 0.29 * 100 = 28.999999999999996 in floats
    expect(hundredths(3860.5)).toBe(386050n);
    expect(() => hundredths(-1)).toThrow(RangeError);
    expect(divideHalfUp(5n, 2n)).toBe(3n);
    expect(divideHalfUp(4n, 3n)).toBe(1n);
  });
});
