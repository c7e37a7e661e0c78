import { RuleViolation } from '@duban/contracts';
import { Principal } from './principal';
import { assertRegion, mayReadRegion, regionFilter } from './region-access';

const county: Principal = { subject: 'duchashi', role: 'supervisor', region: '511112' };
const city: Principal = { subject: 'city', role: 'supervisor' };
const admin: Principal = { subject: 'root', role: 'admin', region: '511112' };

describe('region access', () => {
  it('filters a bound token to its own region and refuses another', () => {
    expect(regionFilter(county)).toBe('511112');
    expect(regionFilter(county, '511112')).toBe('511112');
    expect(() => regionFilter(county, '511102')).toThrow(
      new RuleViolation('a token for region 511112 may not read region 511102', 'forbidden'),
    );
  });

  it('leaves unbound tokens and admins free to choose', () => {
    expect(regionFilter(city)).toBeUndefined();
    expect(regionFilter(city, '511102')).toBe('511102');
    expect(regionFilter(admin, '511102')).toBe('511102');
  });

  it('lets a bound token read and write only its region', () => {
    expect(mayReadRegion(county, '511112')).toBe(true);
    expect(mayReadRegion(county, '511102')).toBe(false);
    expect(mayReadRegion(city, '511102')).toBe(true);
    expect(() => assertRegion(county, '511102')).toThrow(
      expect.objectContaining({ kind: 'forbidden' }),
    );
    expect(() => assertRegion(county, '511112')).not.toThrow();
    expect(() => assertRegion(admin, '511102')).not.toThrow();
  });
});
