import { AclEntry, AclOperationTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { SERVICES } from '@duban/contracts';
import {
  adminAcls,
  departmentAcls,
  integratorAcls,
  serviceAcls,
  serviceUsername,
  usernameFor,
} from './acls';

const { TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID } = AclResourceTypes;
const { READ, WRITE } = AclOperationTypes;

// kafkajs's enums are plain objects at run time, without TypeScript's reverse mapping.
const nameIn = (table: object, value: number): string =>
  Object.entries(table).find(([, v]) => v === value)?.[0] ?? String(value);

/** `<op> <type> <pattern>:<name>`, readable in a failure. */
const show = (acls: AclEntry[]): string[] =>
  acls
    .map(
      (a) =>
        `${nameIn(AclOperationTypes, a.operation)} ${nameIn(AclResourceTypes, a.resourceType)} ` +
        `${nameIn(ResourcePatternTypes, a.resourcePatternType)}:${a.resourceName}`,
    )
    .sort();

describe('Kafka ACLs per role', () => {
  it('lets a department write the ingest topics and nothing else', () => {
    expect(show(departmentAcls('department.agri'))).toEqual([
      'WRITE TOPIC LITERAL:duban.parks.ingest.v1',
      'WRITE TOPIC LITERAL:duban.projects.ingest.v1',
      'WRITE TOPIC LITERAL:duban.transport.ingest.v1',
    ]);
  });

  it('lets an integrator read the public topics with groups under its own name only', () => {
    expect(show(integratorAcls('integrator.city-platform'))).toEqual([
      'READ GROUP PREFIXED:integrator.city-platform.',
      'READ TOPIC LITERAL:duban.alerts.v1',
      'READ TOPIC LITERAL:duban.evaluation.v1',
      'READ TOPIC LITERAL:duban.parks.v1',
      'READ TOPIC LITERAL:duban.projects.v1',
      'READ TOPIC LITERAL:duban.transport.v1',
    ]);
  });

  it('gives the projects service exactly its topics, group, relay and dead letters', () => {
    expect(show(serviceAcls('projects'))).toEqual([
      'DELETE GROUP PREFIXED:duban.projects.outbox-checkpoint.recovery.',
      'DESCRIBE TRANSACTIONAL_ID PREFIXED:duban-outbox-relay-projects',
      'IDEMPOTENT_WRITE CLUSTER LITERAL:kafka-cluster',
      'READ GROUP LITERAL:duban-projects',
      'READ GROUP PREFIXED:duban.projects.outbox-checkpoint.recovery.',
      'READ TOPIC LITERAL:duban.parks.v1',
      'READ TOPIC LITERAL:duban.projects.ingest.v1',
      'READ TOPIC LITERAL:duban.projects.outbox-checkpoint',
      'WRITE TOPIC LITERAL:duban.parks.v1.dlq',
      'WRITE TOPIC LITERAL:duban.projects.ingest.v1.dlq',
      'WRITE TOPIC LITERAL:duban.projects.outbox-checkpoint',
      'WRITE TOPIC LITERAL:duban.projects.v1',
      'WRITE TRANSACTIONAL_ID PREFIXED:duban-outbox-relay-projects',
    ]);
  });

  it('lets no service write another service’s domain topic', () => {
    const domainTopics = ['projects', 'parks', 'transport', 'evaluation', 'alerts'];
    for (const service of SERVICES) {
      const own = service === 'scheduler' ? 'alerts' : service;
      const written = serviceAcls(service)
        .filter((a) => a.resourceType === TOPIC && a.operation === WRITE)
        .map((a) => a.resourceName);
      const foreign = domainTopics.filter((d) => d !== own).map((d) => `duban.${d}.v1`);
      expect(written.filter((t) => foreign.includes(t))).toEqual([]);
    }
  });

  it('names every resource under the deployment prefix but the relay’s transactional id', () => {
    const acls = serviceAcls('scheduler', 'test.x.');
    const unprefixed = acls.filter(
      (a) => a.resourceType !== CLUSTER && !a.resourceName.startsWith('test.x.'),
    );
    expect(unprefixed.map((a) => a.resourceType)).toEqual([TRANSACTIONAL_ID, TRANSACTIONAL_ID]);
    expect(
      integratorAcls('integrator.a', 'test.x.').find((a) => a.resourceType === GROUP),
    ).toMatchObject({ resourceName: 'test.x.integrator.a.', operation: READ });
  });

  it('names principals by role, services after their client id', () => {
    expect(usernameFor('integrator', 'city-platform')).toBe('integrator.city-platform');
    expect(serviceUsername('scheduler')).toBe('duban-scheduler');
    expect(
      adminAcls('admin.ops').every((a) => a.resourceName === '*' || a.resourceType === CLUSTER),
    ).toBe(true);
  });
});
