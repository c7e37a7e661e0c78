import { Admin, ConfigResourceTypes, Kafka } from 'kafkajs';
import { TopicSpec } from '@duban/contracts';

export interface ProvisionReport {
  created: string[];
  grown: string[];
  /** Existing topics whose configuration differed from the declared one, now aligned. */
  reconfigured: string[];
  unchanged: string[];
}

/**
 * Creates missing topics, grows partitions to the declared count and aligns existing topics'
 * configuration with the declared one (a topic created before a setting was declared, e.g.
 * LogAppendTime on ingest topics, would otherwise keep its old behaviour). Safe to run again.
 */
export async function provisionTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
): Promise<ProvisionReport> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length) {
      await admin.createTopics({
        // kafkajs's own wait retries LEADER_NOT_AVAILABLE only; a busy broker may also answer
        // UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created, so we wait ourselves.
        waitForLeaders: false,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: -1,
          configEntries: topicConfig(s),
        })),
      });
      await waitForLeaders(
        admin,
        missing.map((s) => s.name),
      );
    }
    const present = specs.filter((s) => existing.has(s.name));
    const grown = await growPartitions(admin, present);
    const reconfigured = await alignConfigs(admin, present);
    return {
      created: missing.map((s) => s.name),
      grown,
      reconfigured,
      unchanged: present
        .map((s) => s.name)
        .filter((n) => !grown.includes(n) && !reconfigured.includes(n)),
    };
  } finally {
    await admin.disconnect();
  }
}

/**
 * AlterConfigs (not the incremental kind, which kafkajs lacks) replaces a topic's whole set of
 * overrides: the declared set is the truth, so it is sent whole.
 */
async function alignConfigs(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name })),
  });
  const current = new Map(
    resources.map((r) => [
      r.resourceName,
      new Map(r.configEntries.map((e) => [e.configName, e.configValue])),
    ]),
  );
  const drifted = specs.filter((s) =>
    topicConfig(s).some((e) => current.get(s.name)?.get(e.name) !== e.value),
  );
  if (drifted.length) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: drifted.map((s) => ({
        type: ConfigResourceTypes.TOPIC,
        name: s.name,
        configEntries: topicConfig(s),
      })),
    });
  }
  return drifted.map((s) => s.name);
}

const LEADER_WAIT_MS = 30_000;

/** Until every partition of `topics` has a leader, so producers and consumers may start. */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics });
      const led = meta.topics.every((t) => t.partitions.every((p) => p.leader >= 0));
      if (led && meta.topics.length === topics.length) return;
    } catch (err) {
      if (!isNotYetKnown(err)) throw err;
    }
    if (Date.now() > deadline) {
      throw new Error(`topics still without leaders after ${LEADER_WAIT_MS / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** kafkajs wraps the broker's answer once its own retries run out (KafkaJSNumberOfRetriesExceeded). */
function isNotYetKnown(err: unknown): boolean {
  const e = err as { type?: string; cause?: { type?: string } };
  return ['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'].includes(
    e.type ?? e.cause?.type ?? '',
  );
}

async function growPartitions(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
  const toGrow = specs.filter((s) => {
    const found = topics.find((t) => t.name === s.name);
    return found !== undefined && found.partitions.length < s.partitions;
  });
  if (toGrow.length) {
    await admin.createPartitions({
      topicPartitions: toGrow.map((s) => ({ topic: s.name, count: s.partitions })),
    });
  }
  return toGrow.map((s) => s.name);
}

function topicConfig(spec: TopicSpec): { name: string; value: string }[] {
  const entries = [
    { name: 'cleanup.policy', value: spec.cleanupPolicy },
    { name: 'retention.ms', value: String(spec.retentionMs) },
  ];
  if (spec.cleanupPolicy === 'compact')
    entries.push({ name: 'min.cleanable.dirty.ratio', value: '0.1' });
  if (spec.timestampType)
    entries.push({ name: 'message.timestamp.type', value: spec.timestampType });
  return entries;
}
