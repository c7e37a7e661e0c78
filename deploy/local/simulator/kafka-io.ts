/**
 * Who the simulator is on Kafka: department systems, as a real one would be, never the broker's
 * super user.
 *
 * - It produces as a department principal, allowed to write the ingest topics and nothing else:
 *   DUBAN_SIM_KAFKA_USERNAME / DUBAN_SIM_KAFKA_PASSWORD (what `npm run -s kafka-user -- --role
 *   department --name <n>` prints), else `department.simulator`, which `npm run topics` (part of
 *   `npm run stack:up`) creates on the local stack and writes to the run dir's principals.json.
 * - A department can read nothing, so refusal announcements (on the public domain topics) are
 *   read as an integrator: DUBAN_SIM_LISTEN_USERNAME / DUBAN_SIM_LISTEN_PASSWORD, else the local
 *   demo integrator; without either the run goes on without reporting refusals.
 * - Each unit signs with its own ingest key, handed out once per unit as `npm run -s ingest-key
 *   -- --unit U --region R` prints it; the sender holds keys, never the secret they derive from.
 */
import {
  IngestKeyId,
  deriveIngestKey,
  formatKeyId,
  ingestSecretFrom,
  signIngestMessage,
} from '@duban/auth';
import {
  DEMO_INTEGRATOR,
  KafkaConfig,
  SIMULATOR_DEPARTMENT,
  integratorGroupPrefix,
  kafkaConfigFor,
  localPrincipalsFile,
  readLocalPrincipals,
} from '@duban/messaging';

const CLIENT_ID = 'duban-simulator';

export interface SimulatorKafka {
  /** The department principal the ingest messages are produced as. */
  producer: KafkaConfig;
  /** An integrator reading refusal announcements, with the consumer group it may use. */
  listener: { config: KafkaConfig; groupId: string } | null;
}

export class SimulatorIdentityError extends Error {}

/**
 * The simulator's Kafka connections for `env` (brokers, topic prefix and TLS as every client
 * reads them), with the department and integrator credentials described above.
 */
export async function simulatorKafka(env: NodeJS.ProcessEnv): Promise<SimulatorKafka> {
  const local = await readLocalPrincipals(localPrincipalsFile(env));
  const department = credentials(env, 'DUBAN_SIM_KAFKA', SIMULATOR_DEPARTMENT, local);
  if (!department) {
    throw new SimulatorIdentityError(
      `no department principal for the simulator: run \`npm run topics\` (it creates ${SIMULATOR_DEPARTMENT}) ` +
        'or set DUBAN_SIM_KAFKA_USERNAME and DUBAN_SIM_KAFKA_PASSWORD from ' +
        '`npm run -s kafka-user -- --role department --name <name>`',
    );
  }
  const producer = connectionAs(env, department);
  const integrator = credentials(env, 'DUBAN_SIM_LISTEN', DEMO_INTEGRATOR, local);
  if (!integrator) return { producer, listener: null };
  const config = connectionAs(env, integrator);
  const group = `${integratorGroupPrefix(integrator.username)}simulator-${process.pid}-${Date.now()}`;
  return { producer, listener: { config, groupId: config.topicPrefix + group } };
}

interface Login {
  username: string;
  password: string;
}

function credentials(
  env: NodeJS.ProcessEnv,
  prefix: 'DUBAN_SIM_KAFKA' | 'DUBAN_SIM_LISTEN',
  localUsername: string,
  local: Record<string, string>,
): Login | null {
  const username = env[`${prefix}_USERNAME`];
  const password = env[`${prefix}_PASSWORD`];
  if (username && password) return { username, password };
  if (username || password) {
    throw new SimulatorIdentityError(
      `${prefix}_USERNAME and ${prefix}_PASSWORD must be set together`,
    );
  }
  const known = local[localUsername];
  return known ? { username: localUsername, password: known } : null;
}

/** Everything but the credentials as kafkaConfigFor reads it; the login is the one given. */
const connectionAs = (env: NodeJS.ProcessEnv, login: Login): KafkaConfig =>
  kafkaConfigFor(CLIENT_ID, {
    ...env,
    DUBAN_KAFKA_USERNAME: login.username,
    DUBAN_KAFKA_PASSWORD: login.password,
  });

/** How a unit gets its key: from the operator, as `npm run -s ingest-key` hands it out. */
export type IngestKeyIssuer = (keyId: IngestKeyId) => string;

/** The local operator's answer to `npm run -s ingest-key -- --unit U --region R`. */
export const issuedByIngestKeyCli: IngestKeyIssuer = (keyId) =>
  deriveIngestKey(ingestSecretFrom(), keyId);

/** Each unit's ingest key (version 1), asked for once, the first time the unit sends. */
export class IngestKeys {
  private readonly keys = new Map<string, string>();

  constructor(private readonly issue: IngestKeyIssuer = issuedByIngestKeyCli) {}

  /** The `duban-key-id` and `duban-signature` headers of `value`, signed with the unit's key. */
  sign(value: Buffer, as: { unit: string; region: string }): Record<string, string> {
    const keyId: IngestKeyId = { region: as.region, unit: as.unit, version: 1 };
    const id = formatKeyId(keyId);
    let key = this.keys.get(id);
    if (key === undefined) {
      key = this.issue(keyId);
      this.keys.set(id, key);
    }
    return signIngestMessage(value, key, keyId);
  }
}
