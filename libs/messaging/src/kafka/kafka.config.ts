import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';

/** kafkajs stays behind this folder (it is frozen at 2.2.4): swap the client here, nowhere else. */
export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name; tests use it to get topics of their own. */
  topicPrefix: string;
}

export function kafkaConfigFor(
  clientId: string,
  env: NodeJS.ProcessEnv = process.env,
): KafkaConfig {
  return {
    brokers: (env.DUBAN_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
    clientId,
    topicPrefix: env.DUBAN_TOPIC_PREFIX ?? '',
  };
}

export function createKafka(config: KafkaConfig): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    // kafkajs logs every retried connection attempt as an ERROR; NOTHING silences it in tests.
    logLevel:
      logLevel[
        (process.env.DUBAN_KAFKA_LOG_LEVEL ?? 'ERROR').toUpperCase() as keyof typeof logLevel
      ] ?? logLevel.ERROR,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 200, retries: 5 },
  });
}

/** Idempotent, acks=all, Java-compatible partitioner so any client keys to the same partition. */
export function createIdempotentProducer(kafka: Kafka, transactionalId?: string): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    transactionalId,
    createPartitioner: Partitioners.DefaultPartitioner,
    // Back-to-back transactions often meet CONCURRENT_TRANSACTIONS while the broker finishes
    // the last commit; the client-wide 200 ms first retry put that on the latency tail.
    ...(transactionalId ? { retry: { initialRetryTime: 10, maxRetryTime: 2000, retries: 8 } } : {}),
  });
}
