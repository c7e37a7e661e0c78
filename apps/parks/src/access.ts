import { EntityManager } from 'typeorm';
import { RuleViolation } from '@duban/contracts';
import { Principal, assertMayActFor, mayReadRegion } from '@duban/auth';
import { Park } from './parks/park.entity';

async function findPark(m: EntityManager, id: string, lock = false): Promise<Park> {
  const park = await m.findOne(Park, {
    where: { id },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!park) throw new RuleViolation(`no park ${id}`, 'not-found');
  return park;
}

/**
 * The park, locked for this transaction, if the caller may write for it: its managing unit or
 * an admin. Enterprises and indicators of a park are written under the same rule and lock, so
 * a park's events leave in commit order. One the caller may not see is a 404 before anything
 * else, so a refusal never names its owner.
 */
export async function writablePark(m: EntityManager, actor: Principal, id: string): Promise<Park> {
  const park = await readablePark(m, actor, id, true);
  assertMayActFor(actor, park.managingUnit);
  return park;
}

/**
 * The park if the caller may see it: a park in another region than the caller's token is
 * bound to is as good as absent (404), like everything read under it (indicators, ...).
 */
export async function readablePark(
  m: EntityManager,
  actor: Principal,
  id: string,
  lock = false,
): Promise<Park> {
  const park = await findPark(m, id, lock);
  if (!mayReadRegion(actor, park.regionCode)) throw new RuleViolation(`no park ${id}`, 'not-found');
  return park;
}

/**
 * A park named in a body must exist where the caller can see it: a 400 naming the field, not
 * a 404 of the whole call (and no hint that it exists in another region).
 */
export async function referencedPark(
  m: EntityManager,
  actor: Principal,
  id: string,
  field = 'parkId',
  lock = false,
): Promise<Park> {
  try {
    return await readablePark(m, actor, id, lock);
  } catch (e) {
    if (e instanceof RuleViolation && e.kind === 'not-found') {
      throw new RuleViolation(`no park ${id}`, 'invalid', {
        errors: [{ field, message: `unknown park ${id}` }],
      });
    }
    throw e;
  }
}
