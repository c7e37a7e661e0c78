import { parseArgs } from 'node:util';
import { developmentUnlessSet } from '@duban/contracts';
import { kafkaConfigFor } from '../kafka/kafka.config';
import { PrincipalSpec, createPrincipal } from './principals';

const USAGE =
  'usage: npm run -s kafka-user -- --role <admin|department|integrator> --name <name> ' +
  '[--unit <code>] [--region <code>]';
const ROLES: readonly string[] = ['admin', 'department', 'integrator'];
/** Also a valid Strimzi KafkaUser name once the role is put in front. */
const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

class UsageError extends Error {}

interface Request {
  spec: PrincipalSpec;
  unit?: string;
  region?: string;
}

function requestFrom(args: string[]): Request {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        name: { type: 'string' },
        unit: { type: 'string' },
        region: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { role, name, unit, region } = values;
  if (role === undefined) throw new UsageError('--role is required');
  if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  if (name === undefined) throw new UsageError('--name is required');
  if (!NAME.test(name)) {
    throw new UsageError('--name must be lowercase letters, digits and inner hyphens (≤ 63)');
  }
  if (unit !== undefined && role !== 'department') {
    throw new UsageError('--unit is for --role department only');
  }
  if (unit !== undefined && !/^[A-Z0-9][A-Z0-9_-]{0,31}$/.test(unit)) {
    throw new UsageError('--unit must be a unit code such as AGRI');
  }
  if (region !== undefined && role === 'admin') throw new UsageError('--region is not for admin');
  if (region !== undefined && !/^\d{6}$/.test(region)) {
    throw new UsageError('--region must be a six-digit division code such as 511112');
  }
  return { spec: { role: role as PrincipalSpec['role'], name }, unit, region };
}

/**
 * `npm run -s kafka-user`: creates a principal (or gives it a new password) with its role's ACLs
 * and prints one JSON line with its credentials; progress goes to stderr.
 */
async function main(args: string[]): Promise<number> {
  let request: Request;
  try {
    request = requestFrom(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    return 2;
  }
  // The local stack's tool unless NODE_ENV says otherwise (then with the operator's credentials).
  developmentUnlessSet();
  const admin = kafkaConfigFor('duban-kafka-user');
  const bootstrap = admin.brokers.join(',');
  const { role, name } = request.spec;
  process.stderr.write(
    `[kafka-user] ${role} ${name}: applying ACLs and a new password on ${bootstrap}\n`,
  );
  const { username, password } = await createPrincipal(admin, {
    ...request.spec,
    topicPrefix: admin.topicPrefix,
  });
  if (request.unit || request.region) {
    // Kafka ACLs cannot tell units or regions apart: each message's own credential does.
    const scope = [
      request.unit && `unit ${request.unit}`,
      request.region && `region ${request.region}`,
    ];
    process.stderr.write(
      `[kafka-user] note: ${scope.filter(Boolean).join(', ')} is enforced per message, not by Kafka\n`,
    );
  }
  process.stdout.write(
    JSON.stringify({ username, password, mechanism: 'SCRAM-SHA-512', bootstrap }) + '\n',
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    process.stderr.write(`[kafka-user] failed: ${err.message}\n`);
    process.exitCode = 1;
  },
);
