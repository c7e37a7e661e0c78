import { EntityManager } from 'typeorm';
import { RuleViolation } from '@duban/contracts';
import { Principal, assertRegion, mayReadRegion } from '@duban/auth';
import { Scheme } from './scheme.entity';

async function findScheme(m: EntityManager, id: string, lock = false): Promise<Scheme> {
  const scheme = await m.findOne(Scheme, {
    where: { id },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!scheme) throw new RuleViolation(`no scheme ${id}`, 'not-found');
  return scheme;
}

/**
 * Who may see a scheme: a token of its region (or one bound to none, or an admin). A city's
 * scheme ranking its counties (subject kind `region`) may also be read, never written, by a
 * token bound to one of the counties it ranks: "全市第二" is that county's business too.
 */
export function mayReadScheme(
  actor: Principal,
  scheme: Pick<Scheme, 'regionCode' | 'subjectKind' | 'subjects'>,
): boolean {
  if (mayReadRegion(actor, scheme.regionCode)) return true;
  return (
    scheme.subjectKind === 'region' &&
    actor.region !== undefined &&
    scheme.subjects.some((s) => s.code === actor.region)
  );
}

/** The scheme if the caller may see it; one in another region is as good as absent (404). */
export async function readableScheme(
  m: EntityManager,
  actor: Principal,
  id: string,
  lock = false,
): Promise<Scheme> {
  const scheme = await findScheme(m, id, lock);
  if (!mayReadScheme(actor, scheme)) throw new RuleViolation(`no scheme ${id}`, 'not-found');
  return scheme;
}

/**
 * The scheme, locked, if the caller may write in its region: one it may not see is a 404, a
 * city's scheme it only reads as a ranked county is a 403.
 */
export async function writableScheme(
  m: EntityManager,
  actor: Principal,
  id: string,
): Promise<Scheme> {
  const scheme = await readableScheme(m, actor, id, true);
  assertRegion(actor, scheme.regionCode);
  return scheme;
}
