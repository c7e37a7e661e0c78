import { RuleViolation } from '@duban/contracts';
import {
  allowedNextStatuses,
  changeStatus,
  PROJECT_STATUSES,
  ProjectStatus,
} from './project-status';

function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}

describe('project lifecycle', () => {
  it.each<[ProjectStatus, ProjectStatus[]]>([
    ['reserve', ['pre-work', 'suspended']],
    ['pre-work', ['under-construction', 'suspended']],
    ['under-construction', ['completed', 'suspended']],
    ['completed', ['in-operation']],
    ['in-operation', []],
  ])('from %s allows exactly %j', (status, allowed) => {
    expect(allowedNextStatuses(status, null)).toEqual(allowed);
  });

  it('from suspended allows only the state it left', () => {
    expect(allowedNextStatuses('suspended', 'pre-work')).toEqual(['pre-work']);
    expect(allowedNextStatuses('suspended', null)).toEqual([]);
  });

  it.each<[ProjectStatus, ProjectStatus]>([
    ['reserve', 'pre-work'],
    ['pre-work', 'under-construction'],
    ['under-construction', 'completed'],
    ['completed', 'in-operation'],
  ])('moves forward from %s to %s', (from, to) => {
    expect(changeStatus(from, null, to)).toEqual({ status: to, suspendedFrom: null });
  });

  it.each<ProjectStatus>(['reserve', 'pre-work', 'under-construction'])(
    'suspends from %s and resumes to it',
    (active) => {
      const suspended = changeStatus(active, null, 'suspended');
      expect(suspended).toEqual({ status: 'suspended', suspendedFrom: active });
      const resumed = changeStatus(suspended.status, suspended.suspendedFrom, active);
      expect(resumed).toEqual({ status: active, suspendedFrom: null });
    },
  );

  it.each<ProjectStatus>(['completed', 'in-operation'])('cannot suspend a %s project', (done) => {
    const e = violation(() => changeStatus(done, null, 'suspended'));
    expect(e.kind).toBe('conflict');
    expect(e.details).toEqual({
      from: done,
      to: 'suspended',
      allowed: allowedNextStatuses(done, null),
    });
  });

  it('resumes only to the state it left, never onward or elsewhere', () => {
    for (const target of PROJECT_STATUSES.filter((s) => s !== 'pre-work')) {
      const e = violation(() => changeStatus('suspended', 'pre-work', target));
      expect(e.details).toEqual({ from: 'suspended', to: target, allowed: ['pre-work'] });
    }
  });

  it.each<[ProjectStatus, ProjectStatus, ProjectStatus[]]>([
    ['reserve', 'under-construction', ['pre-work', 'suspended']],
    ['reserve', 'in-operation', ['pre-work', 'suspended']],
    ['under-construction', 'pre-work', ['completed', 'suspended']],
    ['completed', 'under-construction', ['in-operation']],
    ['in-operation', 'reserve', []],
    ['pre-work', 'pre-work', ['under-construction', 'suspended']],
  ])('refuses %s → %s, listing %j', (from, to, allowed) => {
    const e = violation(() => changeStatus(from, null, to));
    expect(e).toMatchObject({ kind: 'conflict', details: { from, to, allowed } });
    expect(e.message).toContain(from);
    expect(e.message).toContain(to);
    for (const next of allowed) expect(e.message).toContain(next);
  });

  it('says so when nothing follows', () => {
    const e = violation(() => changeStatus('in-operation', null, 'completed'));
    expect(e.message).toBe(
      'a project cannot move from in-operation to completed; allowed next: none',
    );
  });

  it('refuses suspending an already suspended project', () => {
    const e = violation(() => changeStatus('suspended', 'reserve', 'suspended'));
    expect(e.details).toEqual({ from: 'suspended', to: 'suspended', allowed: ['reserve'] });
  });
});
