import { EntityManager } from 'typeorm';
import { RuleViolation } from '@duban/contracts';
import { Principal, assertMayActFor, mayReadRegion } from '@duban/auth';
import { TransportWork } from './transport-work.entity';

async function findWork(m: EntityManager, id: string, lock = false): Promise<TransportWork> {
  const work = await m.findOne(TransportWork, {
    where: { id },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!work) throw new RuleViolation(`no transport work ${id}`, 'not-found');
  return work;
}

/**
 * The work, locked for this transaction, if the caller may write it: its lead unit's department,
 * or an admin. The lock also orders the work's events (commit order = outbox order) and makes a
 * phase move see its gates as they are. One the caller may not see is a 404 before anything
 * else, so a refusal never names its owner.
 */
export async function writableWork(
  m: EntityManager,
  actor: Principal,
  id: string,
): Promise<TransportWork> {
  const work = await readableWork(m, actor, id, true);
  assertMayActFor(actor, work.leadUnit);
  return work;
}

/** The work if the caller may see it; one in another region is as good as absent (404). */
export async function readableWork(
  m: EntityManager,
  actor: Principal,
  id: string,
  lock = false,
): Promise<TransportWork> {
  const work = await findWork(m, id, lock);
  if (!mayReadRegion(actor, work.regionCode)) {
    throw new RuleViolation(`no transport work ${id}`, 'not-found');
  }
  return work;
}
