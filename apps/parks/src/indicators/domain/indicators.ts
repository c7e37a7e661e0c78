import { RuleViolation, fromCents, toCents } from '@duban/contracts';

/**
 * Figures derived from a park's monthly indicators, computed in integers (areas in hundredths
 * of a mu, money in fen as BigInt) so no float rounds them. Rounding: half up, once, at the end
 * (both quantities are never negative, so half up is also half away from zero).
 */
export interface DerivedIndicators {
  /** Developed over planned area, percent with two decimals. */
  occupancyPct: number;
  /**
   * 亩均税收 of the month: tax over developed area, 万元 per mu with two decimals. A park with
   * no developed land has no per-mu figure; it is reported as "0.00".
   */
  taxPerMuWan: string;
}

/** The largest amount in 万元 that MoneyWan and the numeric(15,2) columns hold, in fen. */
const MAX_FEN = 10n ** 15n - 1n;

export function deriveIndicators(input: {
  plannedAreaMu: number;
  developedAreaMu: number;
  taxWan: string;
}): DerivedIndicators {
  const planned = hundredths(input.plannedAreaMu);
  const developed = hundredths(input.developedAreaMu);
  // percent × 100 = developed / planned × 10 000
  const occupancyBasisPoints = planned === 0n ? 0n : divideHalfUp(developed * 10000n, planned);
  // fen per mu = tax fen / (developed hundredths / 100)
  const taxPerMuFen = developed === 0n ? 0n : divideHalfUp(toCents(input.taxWan) * 100n, developed);
  if (taxPerMuFen > MAX_FEN) {
    // A tiny developed area under a large tax: refused as the caller's figure, not a 500 at
    // the insert (numeric overflow) nor a value no event could carry.
    throw new RuleViolation('tax per mu out of range', 'invalid', {
      errors: [
        {
          field: 'taxWan',
          message: `is too large for the park's developed area of ${input.developedAreaMu} mu: tax per mu would exceed ${fromCents(MAX_FEN)} 万元`,
        },
      ],
    });
  }
  return {
    occupancyPct: Number(occupancyBasisPoints) / 100,
    taxPerMuWan: fromCents(taxPerMuFen),
  };
}

/** An area with at most two decimals as an exact count of hundredths of a mu. */
export function hundredths(mu: number): bigint {
  if (!Number.isFinite(mu) || mu < 0) throw new RangeError(`not an area: ${mu}`);
  return BigInt(Math.round(mu * 100));
}

/** a / b rounded half up, for a ≥ 0 and b > 0. */
export function divideHalfUp(a: bigint, b: bigint): bigint {
  return (2n * a + b) / (2n * b);
}
