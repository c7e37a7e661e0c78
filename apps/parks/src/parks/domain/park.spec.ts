import { RuleViolation } from '@duban/contracts';
import { checkAreas, earnDesignation } from './park';

const provincial = {
  title: '省级重点特色园区',
  earnedOn: '2023-06-01',
  issuer: '省经济和信息化厅',
};

describe('park areas', () => {
  it('allows developed land up to the planned land', () => {
    expect(() => checkAreas({ plannedAreaMu: 3000, developedAreaMu: 3000 })).not.toThrow();
    expect(() => checkAreas({ plannedAreaMu: 3000, developedAreaMu: 0 })).not.toThrow();
  });

  it('refuses more developed than planned land, naming developedAreaMu', () => {
    try {
      checkAreas({ plannedAreaMu: 3000, developedAreaMu: 3000.01 });
      throw new Error('not refused');
    } catch (e) {
      expect(e).toBeInstanceOf(RuleViolation);
      expect((e as RuleViolation).kind).toBe('invalid');
      expect((e as RuleViolation).details.errors).toEqual([
        { field: 'developedAreaMu', message: 'must not exceed plannedAreaMu (3000 mu)' },
      ]);
    }
  });
});

describe('designations', () => {
  it('adds a title, keeping them oldest first', () => {
    const city = {
      title: '全市首批特色（专业）园区',
      earnedOn: '2024-03-15',
      issuer: '市人民政府',
    };
    const older = {
      title: '省级农产品加工示范园区',
      earnedOn: '2022-01-10',
      issuer: '省农业农村厅',
    };
    const held = earnDesignation([provincial], city, '2026-01-01');
    expect(earnDesignation(held, older, '2026-01-01').map((d) => d.title)).toEqual([
      '省级农产品加工示范园区',
      '省级重点特色园区',
      '全市首批特色（专业）园区',
    ]);
  });

  it('refuses the same title twice as a conflict', () => {
    expect(() =>
      earnDesignation([provincial], { ...provincial, earnedOn: '2024-01-01' }, '2026-01-01'),
    ).toThrow(
      expect.objectContaining({
        kind: 'conflict',
        message: expect.stringContaining('省级重点特色园区'),
      }),
    );
  });

  it('refuses a title earned after today', () => {
    expect(() =>
      earnDesignation([], { ...provincial, earnedOn: '2026-01-02' }, '2026-01-01'),
    ).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});
