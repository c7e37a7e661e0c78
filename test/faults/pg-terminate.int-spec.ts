import { Client } from 'pg';
import { databaseConfigFor, pgClientConfig } from '@duban/persistence';
import { FaultStack, runScenario } from './fault-stack';

/**
 * Fault 1: every ~200 ms for 10 s, every PostgreSQL backend of the three consuming services
 * is terminated while the stream flows. The consumer holds back the partition that met the
 * dead connection and retries it: nothing lost, nothing dead-lettered, nothing twice.
 */
jest.setTimeout(300000);

let stack: FaultStack;

beforeAll(async () => {
  stack = await FaultStack.start('pgkill', 14101);
}, 180000);

afterAll(async () => {
  await stack?.stop();
});

it('PostgreSQL backends terminated every 200 ms for 10 s: nothing lost, nothing dead-lettered, nothing twice', async () => {
  let terminated = 0;
  await runScenario(stack, 'pg-terminate', async () => {
    const admin = new Client(pgClientConfig(databaseConfigFor('test'), 'postgres'));
    await admin.connect();
    try {
      // Let the stream start flowing first.
      await new Promise((r) => setTimeout(r, 1000));
      const end = Date.now() + 10000;
      while (Date.now() < end) {
        const res = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = ANY($1) AND pid <> pg_backend_pid()`,
          [stack.databases()],
        );
        terminated += res.rowCount ?? 0;
        await new Promise((r) => setTimeout(r, 200));
      }
      return Date.now();
    } finally {
      await admin.end();
    }
  });
  expect(terminated).toBeGreaterThan(0);
});
