/**
 * A relay in a process of its own, so tests can kill it the hard way (SIGKILL) as a crashed
 * replica would die. Configured by env: DUBAN_TEST_DB, DUBAN_TOPIC_PREFIX, DUBAN_SERVICE.
 */
import { OutboxRelay, createKafka, kafkaConfigFor } from '@duban/messaging';
import { databaseConfigFor, pgClientConfig } from '@duban/persistence';

const service = process.env.DUBAN_SERVICE ?? 'projects';
const db = {
  ...databaseConfigFor(service),
  database: process.env.DUBAN_TEST_DB ?? `duban_${service}`,
};
const kafkaConfig = kafkaConfigFor(`relay-${process.pid}`);
const say = (line: string): boolean => process.stdout.write(`${line}\n`);

const relay = new OutboxRelay({
  service,
  pg: pgClientConfig(db),
  kafka: createKafka(kafkaConfig),
  topicPrefix: kafkaConfig.topicPrefix,
  standbyRetryMs: 200,
  pollIntervalMs: 500,
  batchSize: Number(process.env.DUBAN_RELAY_BATCH ?? 50),
  logger: { log: say, warn: say },
});
relay.start();
say('started');
process.on('SIGTERM', () => void relay.stop().then(() => process.exit(0)));
