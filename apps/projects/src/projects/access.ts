import { EntityManager } from 'typeorm';
import { RuleViolation } from '@duban/contracts';
import { Principal, assertMayActFor, mayReadRegion } from '@duban/auth';
import { Project } from './project.entity';

async function findProject(m: EntityManager, id: string, lock = false): Promise<Project> {
  const project = await m.findOne(Project, {
    where: { id },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!project) throw new RuleViolation(`no project ${id}`, 'not-found');
  return project;
}

/**
 * The project, locked for this transaction, if the caller may write it: its lead unit, or an
 * admin. The lock also orders this project's events (commit order = outbox order). One the
 * caller may not see is a 404 before anything else, so a refusal never names its owner.
 */
export async function writableProject(
  m: EntityManager,
  actor: Principal,
  id: string,
): Promise<Project> {
  const project = await readableProject(m, actor, id, true);
  assertMayActFor(actor, project.leadUnit);
  return project;
}

/** The project if the caller may see it; one in another region is as good as absent (404). */
export async function readableProject(
  m: EntityManager,
  actor: Principal,
  id: string,
  lock = false,
): Promise<Project> {
  const project = await findProject(m, id, lock);
  if (!mayReadRegion(actor, project.regionCode)) {
    throw new RuleViolation(`no project ${id}`, 'not-found');
  }
  return project;
}
