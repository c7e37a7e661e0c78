import { developmentUnlessSet } from '@duban/contracts';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Role } from './principal';
import { DEV_AUTH_SECRET, authConfigFrom, signToken } from './token';

const USAGE =
  'usage: npm run token -- --role <department|supervisor|integrator|admin> ' +
  '[--unit <code> --region <code>] [--subject <s>] [--expires <e.g. 8h; at most the maximum lifetime>]';

/**
 * Two people given tokens for one unit must not share a subject: the subject is who histories
 * name and whose Idempotency-Keys are whose.
 */
const uniqueSubject = (base: string): string =>
  `${base.toLowerCase()}-${randomBytes(4).toString('hex')}`;

function tokenFrom(args: string[], secret: string, maxLifetimeSeconds: number): string {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      role: { type: 'string' },
      unit: { type: 'string' },
      region: { type: 'string' },
      subject: { type: 'string' },
      expires: { type: 'string' },
    },
  });
  const { role, unit, region, subject, expires } = values;
  if (role === undefined) throw new Error('--role is required');
  // signToken checks the role, codes and lifetime, so the CLI cannot mint what verifyToken refuses.
  return signToken(
    { subject: subject ?? uniqueSubject(unit ?? role), role: role as Role, unit, region },
    secret,
    { expiresIn: expires, maxLifetimeSeconds },
  );
}

function main(args: string[]): number {
  // A local tool like the other CLIs: without NODE_ENV it signs with the (announced) dev secret.
  developmentUnlessSet();
  const { secret, maxTokenLifetimeSeconds } = authConfigFrom();
  let token: string;
  try {
    token = tokenFrom(args, secret, maxTokenLifetimeSeconds);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (secret === DEV_AUTH_SECRET) {
    process.stderr.write('note: signed with the development secret; set DUBAN_AUTH_SECRET\n');
  }
  process.stdout.write(`${token}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
