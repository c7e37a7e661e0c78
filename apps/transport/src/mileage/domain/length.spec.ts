import { RuleViolation } from '@duban/contracts';
import { kmToMetres, metresToKm, operatingMetres } from './length';

/** How the mileage row accumulates openings: one integer addition per section. */
const sum = (metres: readonly number[]): number => metres.reduce((a, b) => a + b, 0);

describe('lengths in whole metres', () => {
  it('converts km with up to three decimals exactly', () => {
    expect(kmToMetres(141)).toBe(141000);
    expect(kmToMetres(12.345)).toBe(12345);
    expect(kmToMetres(0.001)).toBe(1);
    expect(kmToMetres(1.005)).toBe(1005); // 1.005 * 1000 is 1004.9999999999999 as a float
    expect(metresToKm(12345)).toBe(12.345);
  });

  it('refuses a fourth decimal, naming the field', () => {
    const refuse = () => kmToMetres(1.0005, 'baselineKm');
    expect(refuse).toThrow(RuleViolation);
    expect(refuse).toThrow('baselineKm must have at most three decimals');
  });

  it('sums many sections without float drift', () => {
    const tenths = Array.from({ length: 10 }, () => kmToMetres(0.1));
    const floatSum = Array.from({ length: 10 }, () => 0.1).reduce((a, b) => a + b, 0);
    expect(floatSum).toBe(0.9999999999999999); // what summing km as floats would drift to
    expect(metresToKm(sum(tenths))).toBe(1);
    const sections = [0.1, 0.2, 12.345, 7.655, 3.333].map((km) => kmToMetres(km));
    expect(sum(sections)).toBe(23633);
    expect(metresToKm(sum(sections))).toBe(23.633);
  });

  it('adds what opened to the baseline: 141 km plus 0.1 + 0.2 km is exactly 141.3 km', () => {
    const opened = sum([kmToMetres(0.1), kmToMetres(0.2)]);
    const operating = operatingMetres({ baselineMetres: kmToMetres(141), openedMetres: opened });
    expect(operating).toBe(141300);
    expect(metresToKm(operating)).toBe(141.3);
    expect(String(metresToKm(operating))).toBe('141.3');
  });
});
