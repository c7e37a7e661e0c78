/**
 * The one declarative list of Kafka topics. Provisioning (`npm run topics`), the
 * deploy/ manifests and the AsyncAPI document are all derived from it.
 */
export const Topics = {
  projects: 'duban.projects.v1',
  projectsIngest: 'duban.projects.ingest.v1',
  parks: 'duban.parks.v1',
  parksIngest: 'duban.parks.ingest.v1',
  transport: 'duban.transport.v1',
  transportIngest: 'duban.transport.ingest.v1',
  evaluation: 'duban.evaluation.v1',
  alerts: 'duban.alerts.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export interface TopicSpec {
  name: string;
  partitions: number;
  /** `delete` keeps events for `retentionMs`; `compact` keeps the latest per key. */
  cleanupPolicy: 'delete' | 'compact';
  retentionMs: number;
  /** Consumed topics get a `<name>.dlq` twin for poison messages. */
  consumed: boolean;
  /**
   * `LogAppendTime`: the broker stamps each record with when it appended it, whatever the
   * producer says. Ingest topics need it: a signed message appended long after its signed
   * `time` is a replay, and only a timestamp the sender cannot set can show that.
   */
  timestampType?: 'LogAppendTime';
  description: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const domain = (name: string, description: string): TopicSpec => ({
  name,
  partitions: 6,
  cleanupPolicy: 'delete',
  // Replaying a domain topic from the beginning must rebuild read models and scores,
  // so domain topics keep their history.
  retentionMs: -1,
  consumed: true,
  description,
});
const ingest = (name: string, description: string): TopicSpec => ({
  name,
  partitions: 6,
  cleanupPolicy: 'delete',
  retentionMs: 30 * DAY_MS,
  consumed: true,
  timestampType: 'LogAppendTime',
  description,
});

export const TOPIC_SPECS: readonly TopicSpec[] = [
  domain(Topics.projects, 'Key projects (重点项目), milestones and monthly progress'),
  ingest(Topics.projectsIngest, 'Inbound updates from department systems for projects'),
  domain(Topics.parks, 'Industrial parks (园区), enterprises, indicators, campaign tasks'),
  ingest(Topics.parksIngest, 'Inbound updates from department systems for parks'),
  domain(Topics.transport, 'Transport works (交通建设), phases, gates and sections'),
  ingest(Topics.transportIngest, 'Inbound updates from department systems for transport'),
  domain(Topics.evaluation, 'Evaluation (考评): scores, rankings, honours'),
  domain(Topics.alerts, 'Milestone alerts raised, escalated, acknowledged and resolved'),
];

export const dlqTopic = (topic: string): string => `${topic}.dlq`;

/** Every topic to create: each spec, its dead-letter twin, and each relay's checkpoint topic. */
export function allTopicSpecs(services: readonly string[] = SERVICES, prefix = ''): TopicSpec[] {
  const specs: TopicSpec[] = [];
  for (const spec of TOPIC_SPECS) {
    specs.push({ ...spec, name: prefix + spec.name });
    if (spec.consumed) {
      specs.push({
        ...spec,
        name: prefix + dlqTopic(spec.name),
        retentionMs: 30 * DAY_MS,
        consumed: false,
        description: `Dead letters of ${spec.name}, with the reason in headers`,
      });
    }
  }
  for (const service of services) {
    specs.push(outboxCheckpointSpec(service, prefix));
  }
  return specs;
}

export const SERVICES = ['projects', 'parks', 'transport', 'evaluation', 'scheduler'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The relay records its last Kafka transaction here, so a new relay knows what was sent. */
export function outboxCheckpointSpec(service: string, prefix = ''): TopicSpec {
  return {
    name: `${prefix}duban.${service}.outbox-checkpoint`,
    partitions: 1,
    cleanupPolicy: 'compact',
    retentionMs: -1,
    consumed: false,
    description: `Internal: the ${service} outbox relay's last committed batch`,
  };
}
