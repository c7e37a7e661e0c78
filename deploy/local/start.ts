/**
 * `npm start`: the whole of Duban on this machine, with demo data. Brings the stack up
 * (PostgreSQL, Redis, Kafka, topics, migrations), seeds each service's demo data, starts the five
 * services (and the department simulator), prints where everything is, and stops what it
 * started on Ctrl-C. Flags: --no-simulate, --no-seed.
 *
 * The services and the seed CLIs run compiled, from dist/ (`npm start` builds it first), as the
 * image runs them: ts-node in every service cost start-up time and memory for nothing.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authConfigFrom, formatLifetime, signToken } from '@duban/auth';
import { SERVICES, ServiceName, developmentUnlessSet } from '@duban/contracts';
import {
  DEMO_INTEGRATOR,
  LocalPrincipals,
  kafkaConfigFor,
  readLocalPrincipals,
  serviceUsername,
} from '@duban/messaging';
import { DEFAULT_PORTS, portFor } from '@duban/platform';

// A development run: services, CLIs and the simulator it starts inherit it (an unset NODE_ENV
// would be production everywhere: dev secrets refused, docs off, Kafka credentials required).
developmentUnlessSet();

const ROOT = join(__dirname, '..', '..');
const LOGS = join(ROOT, 'deploy', 'local', '.run', 'logs');
const args = new Set(process.argv.slice(2));
const children: { name: string; child: ChildProcess }[] = [];
const say = (line: string): void => void process.stdout.write(`[start] ${line}\n`);
const started = Date.now();
let kafkaWasRunning = false;
/** Directories first (parks), then what refers to them; evaluation's schemes come last. */
const SEED_ORDER: ServiceName[] = ['parks', 'projects', 'transport', 'evaluation', 'scheduler'];
let stopping = false;
/** Written by `npm run topics`: each service connects to Kafka as its own principal. */
let principals: LocalPrincipals = {};

function run(
  command: string,
  commandArgs: string[],
  what: string,
  extraEnv: Record<string, string> = {},
): void {
  // kafkajs reports its own retried start-up hiccups as ERROR lines; the step's result is what counts.
  const env = {
    ...process.env,
    ...extraEnv,
    DUBAN_KAFKA_LOG_LEVEL: process.env.DUBAN_KAFKA_LOG_LEVEL ?? 'nothing',
  };
  const result = spawnSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) fail(`${what} failed (exit ${result.status}); see the output above`);
}

/**
 * How a compiled entry point runs: `npm run build` wrote dist/apps/… and dist/libs/…, and
 * tsconfig-paths maps the `@duban/*` aliases onto dist/ instead of the sources. Paths the code
 * finds from its own location (the local broker's credentials under deploy/local/.run) would
 * point into dist/, so DUBAN_RUN_DIR names the real one.
 */
const COMPILED_ENV: Record<string, string> = {
  TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
  TS_NODE_BASEURL: join(ROOT, 'dist'),
  DUBAN_RUN_DIR: process.env.DUBAN_RUN_DIR ?? join(ROOT, 'deploy', 'local', '.run'),
};
const compiled = (source: string): string => join(ROOT, 'dist', source.replace(/\.ts$/, '.js'));

/** The development tools that are not part of the build (the simulator) still run on ts-node. */
const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

function startProcess(
  name: string,
  nodeArgs: string[],
  env: Record<string, string> = {},
): ChildProcess {
  const log = createWriteStream(join(LOGS, `${name}.log`), { flags: 'w' });
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.on('exit', (code) => {
    if (!stopping) say(`${name} exited (code ${code}); its log: ${join(LOGS, `${name}.log`)}`);
  });
  children.push({ name, child });
  return child;
}

async function waitReady(service: ServiceName, timeoutMs = 120_000): Promise<void> {
  const url = `http://127.0.0.1:${portFor(service)}/health/ready`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const child = children.find((c) => c.name === service)?.child;
    if (child?.exitCode !== null && child?.exitCode !== undefined) break;
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const log = join(LOGS, `${service}.log`);
  const tail = readFileSync(log, 'utf8').split('\n').slice(-30).join('\n');
  fail(`${service} did not become ready at ${url}; last lines of ${log}:\n${tail}`);
}

function kafkaCredentials(username: string): Record<string, string> {
  const password = principals[username];
  if (!password) fail(`no Kafka credentials for ${username}: run npm run topics`);
  return { DUBAN_KAFKA_USERNAME: username, DUBAN_KAFKA_PASSWORD: password };
}

function fail(message: string): never {
  process.stderr.write(`[start] ERROR: ${message}\n`);
  void stop(1);
  throw new Error(message);
}

async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping the services ...');
  for (const { child } of children) child.kill('SIGTERM');
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r))),
    ),
  );
  if (!kafkaWasRunning) {
    say('stopping the Kafka broker this command started');
    spawnSync('bash', ['deploy/local/kafka.sh', 'stop'], { cwd: ROOT, stdio: 'inherit' });
  }
  say('stopped (PostgreSQL and Redis belong to the machine and keep running)');
  process.exit(code);
}

function banner(): void {
  const { secret, maxTokenLifetimeSeconds } = authConfigFrom();
  const token = (role: 'department' | 'supervisor' | 'integrator' | 'admin', unit?: string) =>
    signToken(
      { subject: `demo-${role}`, role, unit, region: role === 'department' ? '511112' : undefined },
      secret,
    );
  const supervisor = token('supervisor');
  const lines = [
    '',
    `Duban is up (${Math.round((Date.now() - started) / 1000)} s). Services, OpenAPI pages and logs:`,
    ...SERVICES.map(
      (s) =>
        `  ${s.padEnd(10)} http://127.0.0.1:${portFor(s)}   docs http://127.0.0.1:${portFor(s)}/docs   log ${join(LOGS, `${s}.log`)}`,
    ),
    `  kafka      127.0.0.1:9092 (log deploy/local/.run/kafka/kafka.log)`,
    '',
    `Demo tokens (Authorization: Bearer <token>), valid ${formatLifetime(maxTokenLifetimeSeconds)} (npm run token for more):`,
    `  department AGRI: ${token('department', 'AGRI')}`,
    `  supervisor:      ${supervisor}`,
    `  integrator:      ${token('integrator')}`,
    `  admin:           ${token('admin')}`,
    '',
    'Try:',
    `  curl -s -H "Authorization: Bearer ${supervisor}" 'http://127.0.0.1:3005/api/v1/alerts?state=open'`,
    `  curl -s -H "Authorization: Bearer ${supervisor}" 'http://127.0.0.1:3005/api/v1/milestones?dueWithinDays=7'`,
    `  curl -sN -H "Authorization: Bearer ${supervisor}" http://127.0.0.1:3005/api/v1/alerts/stream`,
    `  curl -s -H "Authorization: Bearer ${supervisor}" 'http://127.0.0.1:3004/api/v1/schemes'   # then …/schemes/<id>/rankings`,
    `  curl -s -H "Authorization: Bearer ${supervisor}" 'http://127.0.0.1:3003/api/v1/mileage?regionCode=511112'`,
    '  curl -s http://127.0.0.1:3001/docs/asyncapi.json   # every topic and event schema, for integrators',
    `  kcat -C -b ${kafkaConfigFor('duban-start').brokers.join(',')} -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=SCRAM-SHA-512 \\`,
    `    -X sasl.username=${DEMO_INTEGRATOR} -X sasl.password=${principals[DEMO_INTEGRATOR]} -t duban.alerts.v1 -o beginning   # as the demo integrator`,
    '',
    args.has('--no-simulate')
      ? ''
      : `The department simulator is posting updates (log ${join(LOGS, 'simulator.log')}).`,
    'Ctrl-C stops everything this command started.',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  mkdirSync(LOGS, { recursive: true });
  kafkaWasRunning =
    spawnSync('bash', ['deploy/local/kafka.sh', 'status'], { cwd: ROOT }).status === 0;

  say('1/4 the local stack: PostgreSQL, Redis, Kafka, topics, migrations');
  run('bash', ['deploy/local/up.sh'], 'bringing the stack up');
  if (!args.has('--no-seed')) {
    say('2/4 demo data');
    for (const service of SEED_ORDER) {
      const cli = compiled(`apps/${service}/src/seed/seed.cli.ts`);
      if (!existsSync(cli)) continue;
      run(
        process.execPath,
        ['-r', 'tsconfig-paths/register', cli],
        `seeding the demo ${service} data`,
        COMPILED_ENV,
      );
    }
  }
  say(`3/4 starting ${SERVICES.join(', ')} (ports ${Object.values(DEFAULT_PORTS).join(', ')})`);
  principals = await readLocalPrincipals();
  for (const service of SERVICES) {
    startProcess(
      service,
      ['-r', 'tsconfig-paths/register', compiled(`apps/${service}/src/main.ts`)],
      {
        ...COMPILED_ENV,
        ...kafkaCredentials(serviceUsername(service)),
      },
    );
  }
  for (const service of SERVICES) {
    await waitReady(service);
    say(`${service} ready on :${portFor(service)}`);
  }
  if (!args.has('--no-simulate')) {
    say('4/4 the department simulator');
    startProcess('simulator', [
      ...TS_NODE,
      'deploy/local/simulator/simulate.ts',
      '--interval',
      '5',
    ]);
  }
  banner();
}

main().catch((err: Error) => {
  if (!stopping) {
    process.stderr.write(`[start] ERROR: ${err.message}\n`);
    void stop(1);
  }
});
