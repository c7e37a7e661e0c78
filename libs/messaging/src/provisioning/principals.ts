import { randomBytes } from 'node:crypto';
import {
  AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Admin,
  KafkaJSSASLAuthenticationError,
  ResourcePatternTypes,
} from 'kafkajs';
import { KafkaConfig, createKafka } from '../kafka/kafka.config';
import { KafkaRole, aclsFor, usernameFor } from './acls';
import { deleteScramUser, setScramPassword } from './scram-users';

export interface Credentials {
  username: string;
  password: string;
}

export interface PrincipalSpec {
  role: Exclude<KafkaRole, 'service'>;
  name: string;
  /** The deployment's topic prefix, as in kafkaConfigFor: ACLs name the prefixed topics. */
  topicPrefix?: string;
}

/** Hex: safe unquoted in ConfigCommand's `[password=…]`, JAAS lines and kcat's `-X`. */
export const newPassword = (): string => randomBytes(24).toString('hex');

/**
 * Creates the principal, or gives an existing one a new password; either way its ACLs become
 * exactly its role's. `admin` must be a principal allowed to alter users and ACLs.
 */
export async function createPrincipal(
  admin: KafkaConfig,
  spec: PrincipalSpec,
): Promise<Credentials> {
  const username = usernameFor(spec.role, spec.name);
  return createPrincipalWithAcls(admin, username, aclsFor(spec.role, username, spec.topicPrefix));
}

/** ACLs first: by the time the password works, the principal can do what it is for. */
export async function createPrincipalWithAcls(
  admin: KafkaConfig,
  username: string,
  acls: AclEntry[],
): Promise<Credentials> {
  await withAdmin(admin, (a) => applyAcls(a, username, acls));
  const credentials = { username, password: newPassword() };
  await setScramPassword(admin, username, credentials.password);
  await untilAuthenticates(admin, credentials);
  return credentials;
}

const PROPAGATION_TIMEOUT_MS = 10_000;

/** The controller has the credential; brokers learn it from the metadata log moments later. */
export async function untilAuthenticates(
  admin: KafkaConfig,
  credentials: Credentials,
): Promise<void> {
  const deadline = Date.now() + PROPAGATION_TIMEOUT_MS;
  while (!(await authenticates(admin, credentials))) {
    if (Date.now() > deadline) {
      throw new Error(`${credentials.username} still cannot log in after its password was set`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Removes the principal's ACLs and its SCRAM credential: it can no longer connect. */
export async function deletePrincipal(admin: KafkaConfig, username: string): Promise<void> {
  await withAdmin(admin, (a) => applyAcls(a, username, []));
  await deleteScramUser(admin, username);
}

export async function withAdmin<T>(
  config: KafkaConfig,
  work: (a: Admin) => Promise<T>,
): Promise<T> {
  const admin = createKafka(config).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Makes the principal's ACLs exactly `desired`: missing ones added, any other removed. */
export async function applyAcls(
  admin: Admin,
  username: string,
  desired: AclEntry[],
): Promise<void> {
  const principal = `User:${username}`;
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    principal,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  const current: AclEntry[] = resources.flatMap(({ acls, ...resource }) =>
    acls.filter((acl) => acl.principal === principal).map((acl) => ({ ...resource, ...acl })),
  );
  const wanted = new Set(desired.map(aclKey));
  const present = new Set(current.map(aclKey));
  const stale = current.filter((acl) => !wanted.has(aclKey(acl)));
  const missing = desired.filter((acl) => !present.has(aclKey(acl)));
  if (stale.length) await admin.deleteAcls({ filters: stale });
  if (missing.length) await admin.createAcls({ acl: missing });
}

const aclKey = (a: AclEntry): string =>
  [
    a.resourceType,
    a.resourcePatternType,
    a.resourceName,
    a.principal,
    a.host,
    a.operation,
    a.permissionType,
  ].join('\u0000');

/** Whether these credentials still log in (a re-formatted broker has forgotten them). */
export async function authenticates(
  config: KafkaConfig,
  credentials: Credentials,
): Promise<boolean> {
  const admin = createKafka({
    ...config,
    sasl: { mechanism: 'scram-sha-512', ...credentials },
  }).admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    return true;
  } catch (err) {
    if (err instanceof KafkaJSSASLAuthenticationError) return false;
    throw err;
  } finally {
    await admin.disconnect();
  }
}
