import { ForbiddenException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RuleViolation } from '@duban/contracts';
import { Principal, assertMayActFor } from '@duban/auth';
import { Project } from './project.entity';

/** Who did it, as the history and events record it: the unit, or the token's subject. */
export const actorName = (p: Principal): string => p.unit ?? p.subject;

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

/** A token bound to a region (county) writes only there; admins and unbound tokens anywhere. */
export function assertRegion(actor: Principal, regionCode: string): void {
  if (actor.role !== 'admin' && actor.region && actor.region !== regionCode) {
    throw new ForbiddenException(
      `a token for region ${actor.region} may not write in region ${regionCode}`,
    );
  }
}

export function assertVersion(
  entity: { version: number },
  expected: number | undefined,
  what: string,
): void {
  if (expected !== undefined && expected !== entity.version) {
    throw new RuleViolation(
      `${what} has changed: version ${expected} is stale, the current version is ${entity.version}`,
      'conflict',
      { currentVersion: entity.version },
    );
  }
}
