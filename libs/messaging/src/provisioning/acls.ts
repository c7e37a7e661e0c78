import {
  AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from 'kafkajs';
import {
  SERVICES,
  ServiceName,
  TOPIC_SPECS,
  Topics,
  dlqTopic,
  isIngestTopic,
  outboxCheckpointSpec,
} from '@duban/contracts';
import { liveGroupPrefix } from '../live/live-consumer';
import { recoveryGroupPrefix } from '../outbox/relay-checkpoint';

export type KafkaRole = 'service' | 'department' | 'integrator' | 'admin';

/**
 * What each service reads and writes on Kafka: its own domain topic out, the topics its app
 * module subscribes to in (a rejected ingest update is announced on the service's own topic).
 * test/security/kafka-service-acls.spec.ts holds this to the app modules.
 */
export const SERVICE_TOPICS: Readonly<
  Record<ServiceName, { publishes: readonly string[]; consumes: readonly string[] }>
> = {
  projects: { publishes: [Topics.projects], consumes: [Topics.parks, Topics.projectsIngest] },
  parks: { publishes: [Topics.parks], consumes: [Topics.parksIngest] },
  transport: { publishes: [Topics.transport], consumes: [Topics.transportIngest] },
  evaluation: {
    publishes: [Topics.evaluation],
    consumes: [Topics.projects, Topics.parks, Topics.transport, Topics.evaluation, Topics.alerts],
  },
  scheduler: {
    publishes: [Topics.alerts],
    consumes: [Topics.projects, Topics.parks, Topics.transport, Topics.evaluation, Topics.alerts],
  },
};

/** Department systems write here and nowhere else. */
export const INGEST_TOPICS: readonly string[] = TOPIC_SPECS.map((s) => s.name).filter(
  isIngestTopic,
);

/** What integrators may read: every published domain topic (state topics included once declared). */
export const PUBLIC_TOPICS: readonly string[] = TOPIC_SPECS.map((s) => s.name).filter(
  (t) => !isIngestTopic(t),
);

export const usernameFor = (role: Exclude<KafkaRole, 'service'>, name: string): string =>
  `${role}.${name}`;
export const serviceUsername = (service: ServiceName): string => `duban-${service}`;
/** Consumer groups an integrator may use: its username and a dot, then anything. */
export const integratorGroupPrefix = (username: string): string => `${username}.`;

const { TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID } = AclResourceTypes;
const { READ, WRITE, DESCRIBE, DELETE, IDEMPOTENT_WRITE, ALL } = AclOperationTypes;
const { LITERAL, PREFIXED } = ResourcePatternTypes;

function allow(
  username: string,
  resourceType: AclResourceTypes,
  resourceName: string,
  operation: AclOperationTypes,
  resourcePatternType: ResourcePatternTypes = LITERAL,
): AclEntry {
  return {
    resourceType,
    resourceName,
    resourcePatternType,
    principal: `User:${username}`,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  };
}

export function serviceAcls(
  service: ServiceName,
  prefix = '',
  user = serviceUsername(service),
): AclEntry[] {
  const { publishes, consumes } = SERVICE_TOPICS[service];
  const checkpoint = outboxCheckpointSpec(service, prefix).name;
  return [
    ...consumes.map((t) => allow(user, TOPIC, prefix + t, READ)),
    ...consumes.map((t) => allow(user, TOPIC, prefix + dlqTopic(t), WRITE)),
    ...publishes.map((t) => allow(user, TOPIC, prefix + t, WRITE)),
    // The relay commits each batch with a checkpoint record and reads it back on takeover.
    allow(user, TOPIC, checkpoint, WRITE),
    allow(user, TOPIC, checkpoint, READ),
    allow(user, GROUP, `${prefix}duban-${service}`, READ),
    // Live readers (the scheduler's SSE): a throwaway group per process, deleted on shutdown.
    ...(service === 'scheduler'
      ? [READ, DELETE].map((op) =>
          allow(user, GROUP, liveGroupPrefix(service, prefix), op, PREFIXED),
        )
      : []),
    // The takeover scan uses a throwaway group per run and deletes it afterwards.
    allow(user, GROUP, recoveryGroupPrefix(checkpoint), READ, PREFIXED),
    allow(user, GROUP, recoveryGroupPrefix(checkpoint), DELETE, PREFIXED),
    // Prefixed: the relay's transactional id may gain a per-replica suffix.
    allow(user, TRANSACTIONAL_ID, `duban-outbox-relay-${service}`, WRITE, PREFIXED),
    allow(user, TRANSACTIONAL_ID, `duban-outbox-relay-${service}`, DESCRIBE, PREFIXED),
    allow(user, CLUSTER, 'kafka-cluster', IDEMPOTENT_WRITE),
  ];
}

export function departmentAcls(username: string, prefix = ''): AclEntry[] {
  // No IdempotentWrite: since Kafka 3.0, WRITE on a topic lets an idempotent producer start.
  return INGEST_TOPICS.map((t) => allow(username, TOPIC, prefix + t, WRITE));
}

export function integratorAcls(username: string, prefix = ''): AclEntry[] {
  return [
    ...PUBLIC_TOPICS.map((t) => allow(username, TOPIC, prefix + t, READ)),
    allow(username, GROUP, prefix + integratorGroupPrefix(username), READ, PREFIXED),
  ];
}

/** Everything, like the broker's super user, but revocable on its own. */
export function adminAcls(username: string): AclEntry[] {
  return [
    ...[TOPIC, GROUP, TRANSACTIONAL_ID].map((type) => allow(username, type, '*', ALL)),
    allow(username, CLUSTER, 'kafka-cluster', ALL),
  ];
}

export function aclsFor(role: KafkaRole, username: string, prefix = ''): AclEntry[] {
  switch (role) {
    case 'service':
      return serviceAcls(serviceOf(username), prefix);
    case 'department':
      return departmentAcls(username, prefix);
    case 'integrator':
      return integratorAcls(username, prefix);
    case 'admin':
      return adminAcls(username);
  }
}

function serviceOf(username: string): ServiceName {
  const service = SERVICES.find((s) => serviceUsername(s) === username);
  if (!service) throw new Error(`${username} is not a service principal`);
  return service;
}
