import { InvalidPrincipalError, Principal, Role, mayActFor, toPrincipal } from './principal';

describe('toPrincipal', () => {
  it('accepts a department with a unit and region', () => {
    expect(
      toPrincipal({ subject: 'drc-key', role: 'department', unit: 'DRC', region: '511112' }),
    ).toEqual({ subject: 'drc-key', role: 'department', unit: 'DRC', region: '511112' });
  });

  it('leaves absent unit and region out rather than undefined', () => {
    expect(Object.keys(toPrincipal({ subject: 's', role: 'supervisor' }))).toEqual([
      'subject',
      'role',
    ]);
  });

  it.each([
    [{ subject: 's', role: 'department' }, /must carry a unit/],
    [{ subject: 's', role: 'boss' }, /role must be one of/],
    [{ subject: '', role: 'admin' }, /subject/],
    [{ subject: 's', role: 'department', unit: 'DRC' }, /must carry a region/],
    [{ subject: 's', role: 'department', unit: 'drc', region: '511112' }, /unit drc/],
    [{ subject: 's', role: 'department', unit: 'D', region: '511112' }, /unit D /],
    [{ subject: 's', role: 'admin', region: '51111' }, /region 51111/],
    [{ subject: 's', role: 'admin', region: '51111a' }, /region/],
  ])('refuses %j', (candidate, message) => {
    expect(() => toPrincipal(candidate)).toThrow(InvalidPrincipalError);
    expect(() => toPrincipal(candidate)).toThrow(message);
  });
});

describe('mayActFor', () => {
  const as = (role: Role, unit?: string): Principal => ({ subject: 's', role, unit });

  it.each<[Principal, string, boolean]>([
    [as('admin'), 'DRC', true],
    [as('admin', 'OFFICE'), 'TOWN-QINGFU', true],
    [as('department', 'DRC'), 'DRC', true],
    [as('department', 'DRC'), 'TOWN-QINGFU', false],
    [as('supervisor'), 'DRC', false],
    [as('supervisor', 'DRC'), 'DRC', false],
    [as('integrator'), 'DRC', false],
    [as('integrator', 'DRC'), 'DRC', false],
  ])('%j for %s → %s', (principal, unit, expected) => {
    expect(mayActFor(principal, unit)).toBe(expected);
  });
});
