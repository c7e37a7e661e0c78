import { developmentUnlessSet } from '@duban/contracts';
import { kafkaConfigFor } from '../kafka/kafka.config';
import { runDlq } from './dlq-command';

/** `npm run dlq -- list|show|redrive --topic <t> …`: inspect and redrive a topic's dead letters. */
// Against the local stack unless NODE_ENV says otherwise (then with DUBAN_KAFKA_USERNAME/PASSWORD).
developmentUnlessSet();
runDlq(process.argv.slice(2), kafkaConfigFor('duban-dlq'), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`[dlq] failed: ${err.message}\n`);
    process.exit(1);
  },
);
