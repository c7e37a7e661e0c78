import { EntityManager } from 'typeorm';
import { RuleViolation } from '@duban/contracts';
import { Principal, assertMayActFor, assertRegion, mayReadRegion } from '@duban/auth';
import { Project } from './project.entity';

export async function findProject(m: EntityManager, id: string, lock = false): Promise<Project> {
  const project = await m.findOne(Project, {
    where: { id },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!project) throw new RuleViolation(`no project ${id}`, 'not-found');
  return project;
}

/**
 * The project, locked for this transaction, if the caller may write it: its lead unit, or an
 * admin. The lock also orders this project's events (commit order = outbox order).
 */
export async function writableProject(
  m: EntityManager,
  actor: Principal,
  id: string,
): Promise<Project> {
  const project = await findProject(m, id, true);
  assertMayActFor(actor, project.leadUnit);
  assertRegion(actor, project.regionCode);
  return project;
}

/** The project if the caller may see it; one in another region is as good as absent (404). */
export async function readableProject(
  m: EntityManager,
  actor: Principal,
  id: string,
): Promise<Project> {
  const project = await findProject(m, id);
  if (!mayReadRegion(actor, project.regionCode)) {
    throw new RuleViolation(`no project ${id}`, 'not-found');
  }
  return project;
}
