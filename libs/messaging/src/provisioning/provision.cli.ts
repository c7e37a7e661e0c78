import { SERVICES, allTopicSpecs, developmentUnlessSet } from '@duban/contracts';
import { createKafka, kafkaConfigFor } from '../kafka/kafka.config';
import { applyLocalAcls, localPrincipalsFile, provisionLocalPrincipals } from './local-principals';
import { provisionTopics } from './provision';

/**
 * `npm run topics`: applies the declarative topic list to the broker in DUBAN_KAFKA_BROKERS.
 * With `--principals` (the local stack) also the services' principals and ACLs; with `--acls` only
 * their ACLs (docker-compose makes the users when it formats the broker). A cluster run by
 * Strimzi gets both from its KafkaUser resources instead.
 */
async function main(): Promise<void> {
  // The local stack's tool unless NODE_ENV says otherwise (then with credentials of its own).
  developmentUnlessSet();
  const config = kafkaConfigFor('duban-provisioning');
  const specs = allTopicSpecs(SERVICES, config.topicPrefix);
  process.stdout.write(`[topics] applying ${specs.length} topics to ${config.brokers.join(',')}\n`);
  const report = await provisionTopics(createKafka(config), specs);
  for (const name of report.created) process.stdout.write(`[topics] created ${name}\n`);
  for (const name of report.grown) process.stdout.write(`[topics] added partitions to ${name}\n`);
  for (const name of report.reconfigured) {
    process.stdout.write(`[topics] configuration aligned with the declared one: ${name}\n`);
  }
  process.stdout.write(
    `[topics] done: ${report.created.length} created, ${report.grown.length} grown, ` +
      `${report.reconfigured.length} reconfigured, ${report.unchanged.length} already as declared\n`,
  );
  if (process.argv.includes('--acls')) {
    await applyLocalAcls(config);
    process.stdout.write('[principals] ACLs applied for the services and the demo integrator\n');
  }
  if (process.argv.includes('--principals')) {
    const principals = await provisionLocalPrincipals(config);
    process.stdout.write(
      `[principals] ACLs applied; ${principals.created.length} given a new password, ${principals.kept.length} kept; credentials in ${localPrincipalsFile()}\n`,
    );
  }
}

main().catch((err: Error) => {
  process.stderr.write(`[topics] failed: ${err.message}\n`);
  process.exit(1);
});
