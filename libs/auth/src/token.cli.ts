import { parseArgs } from 'node:util';
import { Role } from './principal';
import { DEV_AUTH_SECRET, authSecretFrom, signToken } from './token';

const USAGE =
  'usage: npm run token -- --role <department|supervisor|integrator|admin> [--unit <code>] ' +
  '[--region <code>] [--subject <s>] [--expires <e.g. 30d>]';

function tokenFrom(args: string[], secret: string): string {
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
  if (values.role === undefined) throw new Error('--role is required');
  const { role, unit, region, expires } = values;
  // signToken checks the role and codes, so the CLI cannot mint what verifyToken would refuse.
  return signToken(
    { subject: values.subject ?? unit ?? role, role: role as Role, unit, region },
    secret,
    // A bare number means seconds here; jsonwebtoken would read a numeric string as milliseconds.
    { expiresIn: expires !== undefined && /^\d+$/.test(expires) ? Number(expires) : expires },
  );
}

function main(args: string[]): number {
  const secret = authSecretFrom();
  let token: string;
  try {
    token = tokenFrom(args, secret);
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
