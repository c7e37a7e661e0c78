import { RuleViolation } from '@duban/contracts';
import { assertMayActFor, assertMayActForAny } from './unit-access';

describe('assertMayActFor', () => {
  it('lets a department act for its own unit', () => {
    expect(() =>
      assertMayActFor({ subject: 's', role: 'department', unit: 'DRC' }, 'DRC'),
    ).not.toThrow();
  });

  it('refuses as forbidden (403, rule-forbidden) naming the caller and the unit', () => {
    const act = (): void =>
      assertMayActFor({ subject: 's', role: 'department', unit: 'DRC' }, 'TOWN-QINGFU');
    expect(act).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(act).toThrow(RuleViolation);
    expect(act).toThrow('unit DRC may not act for unit TOWN-QINGFU');
  });

  it('names the role when the caller has no unit', () => {
    const act = (): void => assertMayActFor({ subject: 's', role: 'supervisor' }, 'DRC');
    expect(act).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(act).toThrow('unit supervisor may not act for unit DRC');
  });
});

describe('assertMayActForAny', () => {
  const water = { subject: 's', role: 'department' as const, unit: 'WATER' };
  it('passes for any of the units', () => {
    expect(() => assertMayActForAny(water, ['WATER', 'AGRI'])).not.toThrow();
    expect(() => assertMayActForAny(water, ['AGRI', 'WATER'])).not.toThrow();
  });

  it('refuses naming the last unit, the one that may always act', () => {
    expect(() => assertMayActForAny(water, ['EDU', 'AGRI'])).toThrow(
      'unit WATER may not act for unit AGRI',
    );
  });
});
