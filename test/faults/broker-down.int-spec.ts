import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FaultStack, runScenario } from './fault-stack';

/**
 * Fault 5: the Kafka broker stopped for 30 s mid-stream and started again. Only ever a broker
 * of this file's own (port 19192, its own run directory and admin password), never the shared
 * one on 9092. Producers keep what they could not send; consumers and relays reconnect.
 */
jest.setTimeout(400000);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const runDir = mkdtempSync(join(tmpdir(), 'duban-fault-broker-'));
const BROKER_ENV = {
  KAFKA_PORT: '19192',
  KAFKA_CONTROLLER_PORT: '19193',
  DUBAN_RUN_DIR: runDir,
};
const saved = { brokers: process.env.DUBAN_KAFKA_BROKERS, runDir: process.env.DUBAN_RUN_DIR };

const kafkaSh = (command: 'start' | 'stop') =>
  run('bash', [join(ROOT, 'deploy/local/kafka.sh'), command], {
    cwd: ROOT,
    env: { ...process.env, ...BROKER_ENV },
    timeout: 120000,
  });

let stack: FaultStack;

beforeAll(async () => {
  await kafkaSh('start');
  // This file's clients (topics, producer, admin) and the services: the suite's broker.
  process.env.DUBAN_KAFKA_BROKERS = '127.0.0.1:19192';
  process.env.DUBAN_RUN_DIR = runDir;
  stack = await FaultStack.start('broker', 14131, {
    DUBAN_KAFKA_BROKERS: '127.0.0.1:19192',
    DUBAN_RUN_DIR: runDir,
  });
}, 240000);

afterAll(async () => {
  await stack?.stop();
  await kafkaSh('stop').catch(() => undefined);
  if (saved.brokers === undefined) delete process.env.DUBAN_KAFKA_BROKERS;
  else process.env.DUBAN_KAFKA_BROKERS = saved.brokers;
  if (saved.runDir === undefined) delete process.env.DUBAN_RUN_DIR;
  else process.env.DUBAN_RUN_DIR = saved.runDir;
  rmSync(runDir, { recursive: true, force: true });
}, 120000);

it('the broker stopped for 30 s mid-stream and started again: nothing lost, nothing dead-lettered, nothing twice', async () => {
  let downS = 0;
  await runScenario(
    stack,
    'broker-down-30s',
    async () => {
      await new Promise((r) => setTimeout(r, 3000));
      await kafkaSh('stop');
      const down = Date.now();
      await new Promise((r) => setTimeout(r, 30000));
      await kafkaSh('start');
      const faultEnd = Date.now();
      downS = (faultEnd - down) / 1000;
      return faultEnd;
    },
    240000,
  );
  console.log(
    `broker down ${downS.toFixed(1)} s (stop to ready); the stream re-sent ${stack.sendFailures} batches`,
  );
});
