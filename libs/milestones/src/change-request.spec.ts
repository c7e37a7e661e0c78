import { RuleViolation } from '@duban/contracts';
import { Principal } from '@duban/auth';
import {
  ChangeDecision,
  ChangeRequestRecord,
  assertMayDecide,
  assertNoOpenRequest,
  commandOf,
  decide,
  mayReadRequest,
  requestChange,
} from './change-request';

const lead: Principal = {
  subject: 'dept-agri',
  role: 'department',
  unit: 'AGRI',
  region: '511112',
};
const otherUnit: Principal = { ...lead, subject: 'dept-edu', unit: 'EDU' };
const sameUnitElsewhere: Principal = { ...lead, region: '511102' };
const supervisor: Principal = { subject: 'duchashi', role: 'supervisor', region: '511112' };
const cityWide: Principal = { subject: 'shi-duchashi', role: 'supervisor' };
const supervisorElsewhere: Principal = {
  subject: 'qu-duchashi',
  role: 'supervisor',
  region: '511102',
};
const integrator: Principal = { subject: 'bi', role: 'integrator', region: '511112' };
const admin: Principal = { subject: 'admin', role: 'admin' };

const at = '2026-07-01T02:00:00.000Z';
const subject = {
  id: '0190a6c0-0000-7000-8000-000000000001',
  subjectType: 'project' as const,
  subjectId: '0190a6c0-0000-7000-8000-0000000000aa',
  aggregateId: '0190a6c0-0000-7000-8000-0000000000aa',
  milestoneId: '0190a6c0-0000-7000-8000-0000000000bb',
  regionCode: '511112',
};

const requested = (): ChangeRequestRecord =>
  requestChange(
    subject,
    { kind: 'reschedule', plannedDate: '2026-09-30', reason: ' 用地报批延后 ' },
    lead,
    at,
  );

function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}

const by = (who: string, note: string | null = null) => ({ by: who, at, note });

describe('a change request', () => {
  it('starts requested, with the proposed date, the trimmed reason and the requesting unit', () => {
    expect(requested()).toEqual({
      ...subject,
      kind: 'reschedule',
      proposedDate: '2026-09-30',
      reason: '用地报批延后',
      state: 'requested',
      requestedBy: 'AGRI',
      requestingUnit: 'AGRI',
      requestedAt: at,
      decidedBy: null,
      decisionNote: null,
      decidedAt: null,
    });
  });

  it('asks to cancel with no proposed date, and stands for the command it was made from', () => {
    const cancel = requestChange(subject, { kind: 'cancel', reason: '并入企业满园行动' }, lead, at);
    expect(cancel.proposedDate).toBeNull();
    expect(commandOf(cancel)).toEqual({ kind: 'cancel', reason: '并入企业满园行动' });
    expect(commandOf(requested())).toEqual({
      kind: 'reschedule',
      plannedDate: '2026-09-30',
      reason: '用地报批延后',
    });
  });
});

describe('deciding', () => {
  it.each([
    ['approve', 'approved'],
    ['reject', 'rejected'],
    ['withdraw', 'withdrawn'],
  ] as [ChangeDecision, string][])(
    '%s moves requested to %s, recording who, when and the note',
    (d, state) => {
      const { request, changed } = decide(requested(), d, by('duchashi', ' 同意 '));
      expect(changed).toBe(true);
      expect(request).toMatchObject({
        state,
        decidedBy: 'duchashi',
        decidedAt: at,
        decisionNote: '同意',
      });
    },
  );

  it('approving an approved request again changes nothing and answers it', () => {
    const approved = decide(requested(), 'approve', by('duchashi')).request;
    const again = decide(approved, 'approve', by('admin', 'again'));
    expect(again).toEqual({ request: approved, changed: false });
  });

  it.each([
    ['approved', 'reject'],
    ['approved', 'withdraw'],
    ['rejected', 'approve'],
    ['rejected', 'reject'],
    ['withdrawn', 'approve'],
    ['withdrawn', 'withdraw'],
  ] as [
    ChangeDecision extends never ? never : 'approved' | 'rejected' | 'withdrawn',
    ChangeDecision,
  ][])('a %s request cannot be %sd: 409 naming its state', (state, d) => {
    const decidedAlready = { ...requested(), state };
    const e = violation(() => decide(decidedAlready, d, by('duchashi', 'x')));
    expect(e.kind).toBe('conflict');
    expect(e.message).toContain(`is already ${state}`);
    expect(e.details).toEqual({ state });
  });

  it.each([null, '', '  '])('refuses a rejection without a note (%j), naming the field', (note) => {
    const e = violation(() => decide(requested(), 'reject', by('duchashi', note)));
    expect(e.kind).toBe('invalid');
    expect(e.details.errors).toEqual([{ field: 'note', message: 'must not be blank' }]);
  });

  it('leaves the input untouched', () => {
    const r = requested();
    const before = structuredClone(r);
    decide(r, 'approve', by('duchashi'));
    expect(r).toEqual(before);
  });
});

describe('who decides', () => {
  const r = requested();
  const may = (actor: Principal, d: ChangeDecision) => {
    try {
      assertMayDecide(actor, r, d);
      return true;
    } catch (e) {
      expect(e).toMatchObject({ kind: 'forbidden' });
      return false;
    }
  };

  it('a supervisor of the region, a region-free supervisor or an admin approve and reject', () => {
    for (const d of ['approve', 'reject'] as const) {
      expect([supervisor, cityWide, admin].map((a) => may(a, d))).toEqual([true, true, true]);
      expect([supervisorElsewhere, lead, otherUnit, integrator].map((a) => may(a, d))).toEqual([
        false,
        false,
        false,
        false,
      ]);
    }
  });

  it('only the requesting unit (or an admin) withdraws; a supervisor does not', () => {
    expect([lead, admin].map((a) => may(a, 'withdraw'))).toEqual([true, true]);
    expect([otherUnit, supervisor, integrator].map((a) => may(a, 'withdraw'))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('names who may in the 403', () => {
    expect(() => assertMayDecide(lead, r, 'approve')).toThrow(
      `change request ${r.id} may be approved only by a supervisor of the region or an admin`,
    );
  });
});

describe('who sees a request', () => {
  it('a department its own unit’s in its region; others their region; admins all', () => {
    const r = requested();
    expect(
      [
        lead,
        otherUnit,
        sameUnitElsewhere,
        supervisor,
        supervisorElsewhere,
        cityWide,
        integrator,
        admin,
      ].map((a) => mayReadRequest(a, r)),
    ).toEqual([true, false, false, true, false, true, true, true]);
  });
});

describe('one open request per milestone', () => {
  it('passes with none open, and a second is a 409 naming the open one', () => {
    expect(() => assertNoOpenRequest(null, subject.milestoneId)).not.toThrow();
    const e = violation(() => assertNoOpenRequest(requested(), subject.milestoneId));
    expect(e).toMatchObject({ kind: 'conflict', details: { changeRequestId: subject.id } });
    expect(e.message).toBe(
      `milestone ${subject.milestoneId} already has an open change request ${subject.id}`,
    );
  });
});
