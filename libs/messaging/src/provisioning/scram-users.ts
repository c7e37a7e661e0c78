import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KafkaConfig } from '../kafka/kafka.config';

/**
 * SCRAM users live in the cluster metadata and kafkajs 2.2.4 has no AlterUserScramCredentials,
 * so Kafka's own ConfigCommand (from the jars deploy/local/kafka.sh fetched) sets them, about
 * 1.5 s of JVM per call. Clusters run by Strimzi get their users from KafkaUser resources.
 * No secret is ever on a command line, where `ps` shows it to every local user: the admin's
 * login is in --command-config, and the tool's arguments (the new password among them) are in
 * a java launcher argument file (`java @file`; ConfigCommand's own --add-config-file cannot
 * take SCRAM credentials in 3.9), both mode 600 in a directory of this call's own, deleted
 * afterwards.
 */
export async function setScramPassword(
  admin: KafkaConfig,
  username: string,
  password: string,
): Promise<void> {
  await runConfigCommand((dir) => scramPasswordCommand(admin, username, password, dir), password);
}

export async function deleteScramUser(admin: KafkaConfig, username: string): Promise<void> {
  await runConfigCommand((dir) => scramDeleteCommand(admin, username, dir));
}

/** One ConfigCommand run: the java process's argv, and the files (name in `dir` → content) it reads. */
export interface ConfigCommand {
  args: string[];
  files: Record<string, string>;
}

export function scramPasswordCommand(
  admin: KafkaConfig,
  username: string,
  password: string,
  dir: string,
): ConfigCommand {
  const add = ['--add-config', `SCRAM-SHA-512=[password=${password}]`, ...user(username)];
  return configCommand(admin, dir, add);
}

export function scramDeleteCommand(
  admin: KafkaConfig,
  username: string,
  dir: string,
): ConfigCommand {
  return configCommand(admin, dir, ['--delete-config', 'SCRAM-SHA-512', ...user(username)]);
}

const user = (username: string): string[] => ['--entity-type', 'users', '--entity-name', username];

/** The jars of kafka.sh's KAFKA_VERSION, under DUBAN_CACHE_DIR as for the script. */
export function kafkaLibsDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.DUBAN_CACHE_DIR
    ? resolve(env.DUBAN_CACHE_DIR)
    : join(__dirname, '..', '..', '..', '..', 'deploy', 'local', '.cache');
  return join(cache, 'kafka-3.9.1', 'libs');
}

function configCommand(admin: KafkaConfig, dir: string, alter: string[]): ConfigCommand {
  const tool = [
    'kafka.admin.ConfigCommand',
    '--bootstrap-server',
    admin.brokers.join(','),
    '--command-config',
    join(dir, 'admin.properties'),
    '--alter',
    ...alter,
  ];
  return {
    args: [
      // a short-lived JVM: skip the optimising compiler, it costs more than it saves here
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-cp',
      `${kafkaLibsDir()}/*`,
      `@${join(dir, 'config-command.args')}`,
    ],
    files: {
      'admin.properties': clientProperties(admin),
      'config-command.args': tool.map(argFileWord).join('\n') + '\n',
    },
  };
}

/** One argument in a java launcher argument file: quoted, with `\` and `"` escaped. */
const argFileWord = (word: string): string => `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

async function runConfigCommand(
  plan: (dir: string) => ConfigCommand,
  secret?: string,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'duban-kafka-'));
  try {
    const { args, files } = plan(dir);
    for (const [name, content] of Object.entries(files)) {
      await writeFile(join(dir, name), content, { mode: 0o600 });
    }
    const { code, output } = await runJava(args);
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
