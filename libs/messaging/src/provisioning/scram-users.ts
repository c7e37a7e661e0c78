import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KafkaConfig } from '../kafka/kafka.config';

/**
 * SCRAM users live in the cluster metadata and kafkajs 2.2.4 has no AlterUserScramCredentials,
 * so Kafka's own ConfigCommand (from the jars deploy/local/kafka.sh fetched) sets them, about
 * 1.5 s of JVM per call. Clusters run by Strimzi get their users from KafkaUser resources.
 */
export async function setScramPassword(
  admin: KafkaConfig,
  username: string,
  password: string,
): Promise<void> {
  await configCommand(
    admin,
    ['--add-config', `SCRAM-SHA-512=[password=${password}]`, ...user(username)],
    password,
  );
}

export async function deleteScramUser(admin: KafkaConfig, username: string): Promise<void> {
  await configCommand(admin, ['--delete-config', 'SCRAM-SHA-512', ...user(username)]);
}

const user = (username: string): string[] => ['--entity-type', 'users', '--entity-name', username];

/** The jars of kafka.sh's KAFKA_VERSION, under DUBAN_CACHE_DIR as for the script. */
export function kafkaLibsDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.DUBAN_CACHE_DIR
    ? resolve(env.DUBAN_CACHE_DIR)
    : join(__dirname, '..', '..', '..', '..', 'deploy', 'local', '.cache');
  return join(cache, 'kafka-3.9.1', 'libs');
}

async function configCommand(admin: KafkaConfig, args: string[], secret?: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'duban-kafka-'));
  try {
    const props = join(dir, 'admin.properties');
    await writeFile(props, clientProperties(admin), { mode: 0o600 });
    const { code, output } = await runJava([
      // a short-lived JVM: skip the optimising compiler, it costs more than it saves here
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-cp',
      `${kafkaLibsDir()}/*`,
      'kafka.admin.ConfigCommand',
      '--bootstrap-server',
      admin.brokers.join(','),
      '--command-config',
      props,
      '--alter',
      ...args,
    ]);
    if (code !== 0) {
      const shown = secret ? output.split(secret).join('***') : output;
      throw new Error(`kafka ConfigCommand failed (exit ${code}): ${shown.trim().slice(-2000)}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A Java client's view of the same connection settings as kafkaConfigFor's. */
function clientProperties(config: KafkaConfig): string {
  if (!config.sasl) throw new Error('managing SCRAM users needs admin credentials');
  const jaasQuote = (s: string): string => JSON.stringify(s);
  const lines = [
    `security.protocol=${config.ssl ? 'SASL_SSL' : 'SASL_PLAINTEXT'}`,
    'sasl.mechanism=SCRAM-SHA-512',
    'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required ' +
      `username=${jaasQuote(config.sasl.username)} password=${jaasQuote(config.sasl.password)};`,
  ];
  if (config.ssl?.caFile) {
    lines.push('ssl.truststore.type=PEM', `ssl.truststore.location=${config.ssl.caFile}`);
  }
  return lines.join('\n') + '\n';
}

function runJava(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.env.JAVA ?? 'java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => fail(new Error(`cannot run java: ${err.message}`)));
    child.on('close', (code) => done({ code, output }));
  });
}
