import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVICES } from '@duban/contracts';
import { KafkaConfig, localKafkaRunDir } from '../kafka/kafka.config';
import { KafkaRole, aclsFor, serviceUsername, usernameFor } from './acls';
import {
  Credentials,
  applyAcls,
  authenticates,
  newPassword,
  untilAuthenticates,
  withAdmin,
} from './principals';
import { setScramPassword } from './scram-users';

/** username → password of the local stack's principals, mode 600 beside the admin password. */
export type LocalPrincipals = Record<string, string>;

export const localPrincipalsFile = (env: NodeJS.ProcessEnv = process.env): string =>
  join(localKafkaRunDir(env), 'principals.json');

/** The integrator `npm start` shows a kcat command for; the simulator reads refusals as it. */
export const DEMO_INTEGRATOR = usernameFor('integrator', 'demo');
/** The department system `npm run simulate` plays: it writes the ingest topics, nothing else. */
export const SIMULATOR_DEPARTMENT = usernameFor('department', 'simulator');

export const LOCAL_PRINCIPALS: readonly { username: string; role: KafkaRole }[] = [
  ...SERVICES.map((s) => ({ username: serviceUsername(s), role: 'service' as const })),
  { username: DEMO_INTEGRATOR, role: 'integrator' },
  { username: SIMULATOR_DEPARTMENT, role: 'department' },
];

export interface LocalPrincipalsReport {
  created: string[];
  kept: string[];
}

/**
 * One principal per service plus the demo integrator, with their ACLs, on the local broker.
 * Idempotent: known passwords that still log in are kept, so running services stay connected.
 */
export async function provisionLocalPrincipals(
  admin: KafkaConfig,
  file = localPrincipalsFile(),
): Promise<LocalPrincipalsReport> {
  await applyLocalAcls(admin);
  const known = await readLocalPrincipals(file);
  const stale: string[] = [];
  for (const { username } of LOCAL_PRINCIPALS) {
    const password = known[username];
    if (!password || !(await authenticates(admin, { username, password }))) stale.push(username);
  }
  const fresh: Credentials[] = stale.map((username) => ({ username, password: newPassword() }));
  await Promise.all(
    fresh.map(async (c) => {
      await setScramPassword(admin, c.username, c.password);
      await untilAuthenticates(admin, c);
    }),
  );
  for (const c of fresh) known[c.username] = c.password;
  await writeLocalPrincipals(file, known);
  return {
    created: stale,
    kept: LOCAL_PRINCIPALS.map((p) => p.username).filter((u) => !stale.includes(u)),
  };
}

/** ACLs only, for a stack whose users were made elsewhere (docker-compose formats them in). */
export async function applyLocalAcls(admin: KafkaConfig): Promise<void> {
  await withAdmin(admin, async (a) => {
    for (const p of LOCAL_PRINCIPALS) {
      await applyAcls(a, p.username, aclsFor(p.role, p.username, admin.topicPrefix));
    }
  });
}

export async function readLocalPrincipals(file = localPrincipalsFile()): Promise<LocalPrincipals> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LocalPrincipals;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

async function writeLocalPrincipals(file: string, principals: LocalPrincipals): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(principals, null, 2) + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
