import { z } from 'zod';
import {
  ChangeRequestKind,
  MilestoneSubjectType,
  ProjectLevel,
  RuleViolation,
} from '@duban/contracts';
import { Principal } from '@duban/auth';
import policyFile from './change-approval.json';

const Approval = z.enum(['self', 'supervisor', 'admin']);
export type Approval = z.infer<typeof Approval>;

const PolicyRule = z
  .object({
    subjectType: MilestoneSubjectType,
    /** Only for projects: 国家/省/市/县 key project. Absent = any level. */
    level: ProjectLevel.optional(),
    /** Absent = both reschedule and cancel. */
    kind: ChangeRequestKind.optional(),
    approval: Approval,
    why: z.string().trim().min(1, 'must not be blank'),
  })
  .strict()
  .refine((r) => r.level === undefined || r.subjectType === 'project', {
    message: 'only a project rule may name a level',
    path: ['level'],
  });
type PolicyRule = z.infer<typeof PolicyRule>;

/** Whether every case `later` matches is already taken by `earlier` (first match wins). */
const covers = (earlier: PolicyRule, later: PolicyRule): boolean =>
  earlier.subjectType === later.subjectType &&
  (earlier.level === undefined || earlier.level === later.level) &&
  (earlier.kind === undefined || earlier.kind === later.kind);

export const ChangePolicy = z
  .object({
    $comment: z.string().optional(),
    rules: z.array(PolicyRule),
    otherwise: Approval,
  })
  .strict()
  // A rule an earlier one shadows never applies: an edit that reorders rules must not silently
  // turn a county project's approval into self-approval.
  .superRefine((policy, ctx) => {
    policy.rules.forEach((rule, i) => {
      const earlier = policy.rules.findIndex((e, j) => j < i && covers(e, rule));
      if (earlier >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i],
          message: `never applies: rules.${earlier} already matches every case it names`,
        });
      }
    });
  });
export type ChangePolicy = z.infer<typeof ChangePolicy>;

export interface PolicySubject {
  subjectType: z.infer<typeof MilestoneSubjectType>;
  level?: z.infer<typeof ProjectLevel>;
  kind: ChangeRequestKind;
}

/** Parses a policy, naming the first bad field: a broken file must stop the service at boot. */
export function parseChangePolicy(raw: unknown): ChangePolicy {
  const parsed = ChangePolicy.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`change policy: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** The policy shipped with the code (change-approval.json), checked once when first loaded. */
export const CHANGE_POLICY: ChangePolicy = parseChangePolicy(policyFile);

export function approvalFor(
  policy: ChangePolicy,
  s: PolicySubject,
): { approval: Approval; why: string | null } {
  const rule = policy.rules.find(
    (r) =>
      r.subjectType === s.subjectType &&
      (r.level === undefined || r.level === s.level) &&
      (r.kind === undefined || r.kind === s.kind),
  );
  return rule
    ? { approval: rule.approval, why: rule.why }
    : { approval: policy.otherwise, why: null };
}

/**
 * What becomes of a reschedule or cancel command: applied at once, or a change request. An
 * admin's own command is always applied; anyone else needs what the policy asks, and where only
 * an admin may give it the command is a 403 naming the policy's reason.
 */
export function routeChange(
  policy: ChangePolicy,
  actor: Principal,
  s: PolicySubject & { label: string },
): 'apply' | 'request' {
  if (actor.role === 'admin') return 'apply';
  const { approval, why } = approvalFor(policy, s);
  if (approval === 'self') return 'apply';
  if (approval === 'supervisor') return 'request';
  throw new RuleViolation(
    `only an admin may ${s.kind} ${s.label}${why ? `: ${why}` : ''}`,
    'forbidden',
  );
}
