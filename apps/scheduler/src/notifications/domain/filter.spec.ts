import { matches } from './filter';

const alert = { ownerUnit: 'AGRI', region: '511112', severity: 'major' as const };

describe('alert filters', () => {
  it('passes everything with no filter', () => expect(matches({}, alert)).toBe(true));
  it('filters by unit and region', () => {
    expect(matches({ unit: 'AGRI', region: '511112' }, alert)).toBe(true);
    expect(matches({ unit: 'WATER' }, alert)).toBe(false);
    expect(matches({ region: '511113' }, alert)).toBe(false);
  });
  it('passes a severity at or above the minimum', () => {
    expect(matches({ minSeverity: 'major' }, alert)).toBe(true);
    expect(matches({ minSeverity: 'minor' }, alert)).toBe(true);
    expect(matches({ minSeverity: 'critical' }, alert)).toBe(false);
  });
});
