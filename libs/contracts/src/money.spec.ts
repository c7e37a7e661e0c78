import { addWan, compareWan, fromCents, subtractWan, sumWan, toCents } from './money';
import { RuleViolation } from './rule-violation';

describe('money in 万元', () => {
  it('adds without float error', () => {
    expect(addWan('0.10', '0.20')).toBe('0.30');
    expect(sumWan(['1234.56', '0.44', '99999999.99'])).toBe('100001234.99');
  });

  it('subtracts into negatives and back', () => {
    expect(subtractWan('10.00', '12.50')).toBe('-2.50');
    expect(addWan('-2.50', '2.50')).toBe('0.00');
  });

  it('compares amounts', () => {
    expect(compareWan('100.00', '99.99')).toBe(1);
    expect(compareWan('3000.00', '3000.00')).toBe(0);
    expect(compareWan('-0.01', '0.00')).toBe(-1);
  });

  it('round-trips cents', () => {
    expect(fromCents(toCents('12345.67'))).toBe('12345.67');
    expect(toCents('-0.05')).toBe(-5n);
  });

  it('refuses anything that is not two-decimal 万元', () => {
    for (const bad of ['1.5', '1e3', '1,000.00', '', '.50']) {
      expect(() => toCents(bad)).toThrow(RuleViolation);
    }
  });
});
