import { RuleViolation, TRANSPORT_PHASES } from '@duban/contracts';
import {
  PHASES_WHERE_SECTIONS_OPEN,
  openSection,
  reportProgress,
  requireSectionsMayBeAdded,
} from './section';

const building = { progressPct: 60, openedOn: null };
const TODAY = '2026-11-28';

describe('sections (标段)', () => {
  it.each(PHASES_WHERE_SECTIONS_OPEN)(
    'opens in %s: progress becomes 100 and the date is kept',
    (phase) => {
      expect(openSection(building, phase, '2026-11-20', TODAY)).toEqual({
        progressPct: 100,
        openedOn: '2026-11-20',
      });
    },
  );

  it.each(TRANSPORT_PHASES.filter((p) => !PHASES_WHERE_SECTIONS_OPEN.includes(p)))(
    'refuses to open while the work is in %s',
    (phase) => {
      expect(() => openSection(building, phase, TODAY, TODAY)).toThrow(
        `a section cannot open while its work is in ${phase}; only in construction, handover, opened`,
      );
    },
  );

  it('opens today but not tomorrow', () => {
    expect(openSection(building, 'construction', TODAY, TODAY).openedOn).toBe(TODAY);
    const refuse = () => openSection(building, 'construction', '2026-11-29', TODAY);
    expect(refuse).toThrow(RuleViolation);
    expect(refuse).toThrow('openedOn cannot be in the future');
  });

  it('opens only once, and takes no more progress once open', () => {
    const open = openSection(building, 'construction', TODAY, TODAY);
    expect(() => openSection(open, 'construction', TODAY, TODAY)).toThrow(
      `cannot open a section that opened on ${TODAY}`,
    );
    expect(() => reportProgress(open, 80)).toThrow(
      `cannot report progress of a section that opened on ${TODAY}`,
    );
  });

  it('records progress before opening, and refuses an unchanged one', () => {
    expect(reportProgress(building, 75.5)).toEqual({ progressPct: 75.5, openedOn: null });
    expect(() => reportProgress(building, 60)).toThrow('progress is already 60%');
  });
});

describe('adding a section', () => {
  it.each(TRANSPORT_PHASES.filter((p) => p !== 'opened'))(
    'is allowed while the work is in %s',
    (phase) => {
      expect(() => requireSectionsMayBeAdded(phase)).not.toThrow();
    },
  );

  it('is refused as a conflict once the work has opened', () => {
    expect(() => requireSectionsMayBeAdded('opened')).toThrow(
      'a section cannot be added to a transport work that has opened',
    );
  });
});
