import { RuleViolation } from '@duban/contracts';
import { Principal } from '@duban/auth';
import { CHANGE_POLICY, approvalFor, parseChangePolicy, routeChange } from './change-policy';

const lead: Principal = {
  subject: 'dept-agri',
  role: 'department',
  unit: 'AGRI',
  region: '511112',
};
const admin: Principal = { subject: 'admin', role: 'admin' };

describe('the shipped change policy', () => {
  it.each([
    ['project', 'county', 'reschedule', 'supervisor'],
    ['project', 'county', 'cancel', 'supervisor'],
    ['project', 'municipal', 'reschedule', 'self'],
    ['project', 'provincial', 'cancel', 'self'],
    ['project', 'national', 'reschedule', 'self'],
    ['campaign-task', undefined, 'reschedule', 'supervisor'],
    ['campaign-task', undefined, 'cancel', 'supervisor'],
    ['transport-work', undefined, 'reschedule', 'supervisor'],
    ['transport-work', undefined, 'cancel', 'admin'],
    ['honour', undefined, 'cancel', 'supervisor'],
  ] as const)('%s (%s) %s needs %s approval', (subjectType, level, kind, approval) => {
    expect(approvalFor(CHANGE_POLICY, { subjectType, level, kind }).approval).toBe(approval);
  });

  it('applies an admin’s own command at once, whatever the rule', () => {
    for (const [subjectType, kind] of [
      ['project', 'reschedule'],
      ['transport-work', 'cancel'],
    ] as const) {
      expect(
        routeChange(CHANGE_POLICY, admin, { subjectType, level: 'county', kind, label: 'x' }),
      ).toBe('apply');
    }
  });

  it('turns a lead unit’s command into a request, or applies it where self-approval is allowed', () => {
    const county = {
      subjectType: 'project',
      level: 'county',
      kind: 'reschedule',
      label: 'x',
    } as const;
    expect(routeChange(CHANGE_POLICY, lead, county)).toBe('request');
    expect(routeChange(CHANGE_POLICY, lead, { ...county, level: 'national' })).toBe('apply');
  });

  it('refuses a non-admin where only an admin may, with the policy’s reason', () => {
    const e = (() => {
      try {
        routeChange(CHANGE_POLICY, lead, {
          subjectType: 'transport-work',
          kind: 'cancel',
          label: 'gate pre-feasibility (预可研)',
        });
      } catch (err) {
        return err as RuleViolation;
      }
      throw new Error('expected a refusal');
    })();
    expect(e).toMatchObject({ kind: 'forbidden' });
    expect(e.message).toBe(
      'only an admin may cancel gate pre-feasibility (预可研): a waived gate no longer blocks the phase it guards',
    );
  });
});

describe('parsing a policy', () => {
  it('takes the first matching rule, then the fallback', () => {
    const policy = parseChangePolicy({
      rules: [
        { subjectType: 'project', kind: 'cancel', approval: 'admin', why: 'a' },
        { subjectType: 'project', approval: 'self', why: 'b' },
      ],
      otherwise: 'supervisor',
    });
    expect(approvalFor(policy, { subjectType: 'project', kind: 'cancel' })).toEqual({
      approval: 'admin',
      why: 'a',
    });
    expect(approvalFor(policy, { subjectType: 'project', kind: 'reschedule' })).toEqual({
      approval: 'self',
      why: 'b',
    });
    expect(approvalFor(policy, { subjectType: 'campaign-task', kind: 'cancel' })).toEqual({
      approval: 'supervisor',
      why: null,
    });
  });

  it.each([
    [{ rules: [], otherwise: 'anyone' }, 'otherwise'],
    [{ rules: [{ subjectType: 'project', approval: 'self' }], otherwise: 'self' }, 'rules.0.why'],
    [
      { rules: [{ subjectType: 'road', approval: 'self', why: 'x' }], otherwise: 'self' },
      'rules.0.subjectType',
    ],
    [
      {
        rules: [{ subjectType: 'project', level: 'town', approval: 'self', why: 'x' }],
        otherwise: 'self',
      },
      'rules.0.level',
    ],
    [{ rules: [], otherwise: 'self', extra: 1 }, '(root)'],
    [
      { rules: [{ subjectType: 'project', approval: 'self', why: ' ' }], otherwise: 'self' },
      'rules.0.why',
    ],
    [
      {
        rules: [{ subjectType: 'campaign-task', level: 'county', approval: 'self', why: 'x' }],
        otherwise: 'self',
      },
      'rules.0.level',
    ],
    // A project-wide self rule before the county rule would silently win over it.
    [
      {
        rules: [
          { subjectType: 'project', approval: 'self', why: 'x' },
          { subjectType: 'project', level: 'county', approval: 'supervisor', why: 'y' },
        ],
        otherwise: 'supervisor',
      },
      'rules.1',
    ],
    [
      {
        rules: [
          { subjectType: 'campaign-task', kind: 'cancel', approval: 'admin', why: 'x' },
          { subjectType: 'campaign-task', kind: 'cancel', approval: 'self', why: 'y' },
        ],
        otherwise: 'supervisor',
      },
      'rules.1',
    ],
  ])('refuses %j naming %s', (raw, field) => {
    expect(() => parseChangePolicy(raw)).toThrow(`change policy: ${field}:`);
  });
});
