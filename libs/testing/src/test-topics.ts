import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { SERVICES, allTopicSpecs } from '@duban/contracts';
import { KafkaConfig, createKafka, kafkaConfigFor, provisionTopics } from '@duban/messaging';

export interface TestTopics {
  /** Kafka config whose `topicPrefix` isolates this test file's topics. */
  config: KafkaConfig;
  kafka: Kafka;
  /** The real topic name for a logical one. */
  name(logical: string): string;
  drop(): Promise<void>;
}

/** Every declared topic, under a prefix of this test file's own, on the real broker. */
export async function createTestTopics(label: string, partitions = 3): Promise<TestTopics> {
  const prefix = `test.${label.replace(/[^\w-]/g, '-')}.${randomBytes(4).toString('hex')}.`;
  const config: KafkaConfig = { ...kafkaConfigFor(`duban-test-${label}`), topicPrefix: prefix };
  const kafka = createKafka(config);
  const specs = allTopicSpecs(SERVICES, prefix).map((s) => ({
    ...s,
    partitions: Math.min(s.partitions, partitions),
  }));
  await provisionTopics(kafka, specs);
  return {
    config,
    kafka,
    name: (logical) => prefix + logical,
    drop: async () => {
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: specs.map((s) => s.name) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
