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
    why: z.string().min(1),
  })
  .strict();

export const ChangePolicy = z
  .object({
    $comment: z.string().optional(),
    rules: z.array(PolicyRule),
    otherwise: Approval,
  })
  .strict();
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
