import { RuleViolation } from '@duban/contracts';
import { SilenceScope, expiryJobId, isExpired, silenceWindow, silences } from './silence';

const at = (iso: string) => new Date(iso);
const project = '0192f0c4-0000-7000-8000-000000000001';
const other = '0192f0c4-0000-7000-8000-000000000002';
const alert = {
  subjectType: 'project',
  subjectId: project,
  ownerUnit: 'WATER',
  region: '511112',
  campaignId: null as string | null,
};
const silence = (over: Partial<SilenceScope> = {}): SilenceScope => ({
  subjectType: 'project',
  subjectId: project,
  unit: null,
  region: '511112',
  startsAt: at('2026-06-01T00:00:00+08:00'),
  endsAt: at('2026-09-01T00:00:00+08:00'),
  state: 'active',
  ...over,
});
const inside = at('2026-07-15T12:00:00+08:00');

describe('silences (matching)', () => {
  it("covers its own subject's alerts inside its window", () => {
    expect(silences(silence(), alert, inside)).toBe(true);
  });

  it('covers nothing before it starts, and nothing from its end on (the end is exclusive)', () => {
    expect(silences(silence(), alert, at('2026-05-31T23:59:59+08:00'))).toBe(false);
    expect(silences(silence(), alert, at('2026-06-01T00:00:00+08:00'))).toBe(true);
    expect(silences(silence(), alert, at('2026-08-31T23:59:59+08:00'))).toBe(true);
    expect(silences(silence(), alert, at('2026-09-01T00:00:00+08:00'))).toBe(false);
  });

  it('covers nothing once ended, even inside its window', () => {
    expect(silences(silence({ state: 'ended' }), alert, inside)).toBe(false);
  });

  it('covers neither another subject nor the same id under another subject type', () => {
    expect(silences(silence({ subjectId: other }), alert, inside)).toBe(false);
    expect(silences(silence({ subjectType: 'park' }), alert, inside)).toBe(false);
  });

  it("a unit silence covers every alert the unit owns, and no other unit's", () => {
    const unit = silence({ subjectType: 'unit', subjectId: null, unit: 'WATER' });
    expect(silences(unit, alert, inside)).toBe(true);
    expect(
      silences(unit, { ...alert, subjectType: 'campaign-task', subjectId: other }, inside),
    ).toBe(true);
    expect(silences(unit, { ...alert, ownerUnit: 'AGRI' }, inside)).toBe(false);
  });

  it("a campaign silence covers its tasks' alerts, and no other campaign's", () => {
    const campaign = silence({ subjectType: 'campaign', subjectId: other });
    const task = { ...alert, subjectType: 'campaign-task', subjectId: project, campaignId: other };
    expect(silences(campaign, task, inside)).toBe(true);
    expect(silences(campaign, { ...task, campaignId: project }, inside)).toBe(false);
    expect(silences(campaign, alert, inside)).toBe(false);
  });

  it('covers nothing in another region: unit codes repeat across counties', () => {
    expect(silences(silence(), { ...alert, region: '511113' }, inside)).toBe(false);
    const unit = silence({ subjectType: 'unit', subjectId: null, unit: 'WATER' });
    expect(silences(unit, { ...alert, region: '511113' }, inside)).toBe(false);
  });
});

describe('isExpired', () => {
  it('is due at its end time exactly, not a moment before', () => {
    const s = silence();
    expect(isExpired(s, at('2026-08-31T23:59:59.999+08:00'))).toBe(false);
    expect(isExpired(s, at('2026-09-01T00:00:00+08:00'))).toBe(true);
    expect(isExpired(s, at('2026-10-01T00:00:00+08:00'))).toBe(true);
  });

  it('never for an ended silence: it ends once', () => {
    expect(isExpired(silence({ state: 'ended' }), at('2026-10-01T00:00:00+08:00'))).toBe(false);
  });
});

describe('silenceWindow', () => {
  const now = at('2026-06-01T09:00:00+08:00');
  const field = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(RuleViolation);
      return (e as RuleViolation).details.errors?.[0]?.field;
    }
    return undefined;
  };

  it('starts now by default and keeps the requested end', () => {
    const endsAt = at('2026-08-01T00:00:00+08:00');
    expect(
      silenceWindow({ subjectType: 'project', subjectId: project, endsAt, reason: 'x' }, now, 90),
    ).toEqual({ startsAt: now, endsAt, subjectId: project, unit: null });
  });

  it('may start later; a start in the past is taken as now', () => {
    const startsAt = at('2026-07-01T00:00:00+08:00');
    const endsAt = at('2026-08-01T00:00:00+08:00');
    const req = { subjectType: 'unit' as const, unit: 'WATER', endsAt, reason: 'x' };
    expect(silenceWindow({ ...req, startsAt }, now, 90).startsAt).toEqual(startsAt);
    expect(
      silenceWindow({ ...req, startsAt: at('2026-01-01T00:00:00Z') }, now, 90).startsAt,
    ).toEqual(now);
    expect(silenceWindow(req, now, 90)).toMatchObject({ subjectId: null, unit: 'WATER' });
  });

  it('is bounded: at most maxDays, counted from its start', () => {
    const req = { subjectType: 'project' as const, subjectId: project, reason: 'x' };
    const endsAt = new Date(now.getTime() + 90 * 86_400_000);
    expect(silenceWindow({ ...req, endsAt }, now, 90).endsAt).toEqual(endsAt);
    expect(
      field(() => silenceWindow({ ...req, endsAt: new Date(endsAt.getTime() + 1) }, now, 90)),
    ).toBe('endsAt');
  });

  it('refuses an end in the past or not after the start, naming endsAt', () => {
    const req = { subjectType: 'project' as const, subjectId: project, reason: 'x' };
    expect(field(() => silenceWindow({ ...req, endsAt: now }, now, 90))).toBe('endsAt');
    const startsAt = at('2026-07-01T00:00:00+08:00');
    expect(field(() => silenceWindow({ ...req, startsAt, endsAt: startsAt }, now, 90))).toBe(
      'endsAt',
    );
  });

  it('needs a subject for a subject silence and a unit (only) for a unit silence', () => {
    const endsAt = at('2026-07-01T00:00:00+08:00');
    expect(field(() => silenceWindow({ subjectType: 'park', endsAt, reason: 'x' }, now, 90))).toBe(
      'subjectId',
    );
    expect(field(() => silenceWindow({ subjectType: 'unit', endsAt, reason: 'x' }, now, 90))).toBe(
      'unit',
    );
    expect(
      field(() =>
        silenceWindow(
          { subjectType: 'unit', unit: 'WATER', subjectId: project, endsAt, reason: 'x' },
          now,
          90,
        ),
      ),
    ).toBe('subjectId');
    expect(
      field(() =>
        silenceWindow(
          { subjectType: 'project', unit: 'WATER', subjectId: project, endsAt, reason: 'x' },
          now,
          90,
        ),
      ),
    ).toBe('unit');
  });
});

describe('expiryJobId', () => {
  it('is one per silence and end time, without the ":" BullMQ reserves', () => {
    const id = expiryJobId({ id: project, endsAt: at('2026-09-01T00:00:00+08:00') });
    expect(id).toBe(`silence-expiry_${project}_${at('2026-09-01T00:00:00+08:00').getTime()}`);
    expect(id).not.toContain(':');
  });
});
