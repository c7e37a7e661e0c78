import { ServiceName } from '@duban/contracts';
import { fullSchema } from '@duban/platform';
import {
  TestDatabase,
  TestTopics,
  TsProcess,
  createTestDatabase,
  createTestTopics,
  eventually,
  startTsProcess,
} from '@duban/testing';

/**
 * Each of the five services starts as its own process (as in production) against the real
 * PostgreSQL, Kafka and Redis, and reports itself live and ready.
 */
const SERVICES: { name: ServiceName; port: number; checks: string[] }[] = [
  { name: 'projects', port: 13001, checks: ['database', 'kafka', 'consumer'] },
  { name: 'parks', port: 13002, checks: ['database', 'kafka', 'consumer'] },
  { name: 'transport', port: 13003, checks: ['database', 'kafka', 'consumer'] },
  { name: 'evaluation', port: 13004, checks: ['database', 'kafka', 'consumer'] },
  { name: 'scheduler', port: 13005, checks: ['database', 'kafka', 'consumer', 'redis'] },
];

let topics: TestTopics;
const dbs: TestDatabase[] = [];
const processes: TsProcess[] = [];

beforeAll(async () => {
  topics = await createTestTopics('boot');
  for (const s of SERVICES)
    dbs.push(await createTestDatabase(s.name, fullSchema({ entities: [], migrations: [] })));
  for (const [i, s] of SERVICES.entries()) {
    processes.push(
      startTsProcess(`apps/${s.name}/src/main.ts`, {
        [`DUBAN_${s.name.toUpperCase()}_PORT`]: String(s.port),
        [`DUBAN_${s.name.toUpperCase()}_DB`]: dbs[i].config.database,
        DUBAN_TOPIC_PREFIX: topics.config.topicPrefix,
        DUBAN_LOG_LEVEL: 'info',
      }),
    );
  }
  await Promise.all(
    processes.map((p) => p.waitForLine(/Nest application successfully started/, 90000)),
  );
}, 120000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill('SIGTERM')));
  for (const db of dbs) await db.drop();
  await topics?.drop();
});

describe.each(SERVICES)('the $name service', ({ name, port, checks }) => {
  const url = (path: string): string => `http://127.0.0.1:${port}${path}`;

  it('is live and ready, checking its dependencies', async () => {
    expect(await (await fetch(url('/health/live'))).json()).toEqual({ status: 'ok' });
    const ready = await fetch(url('/health/ready'));
    const body = (await ready.json()) as { checks: Record<string, { status: string }> };
    expect(ready.status).toBe(200);
    expect(Object.keys(body.checks).sort()).toEqual([...checks].sort());
  });

  it('serves Prometheus metrics labelled with its name and its OpenAPI page', async () => {
    const metrics = await (await fetch(url('/metrics'))).text();
    expect(metrics).toContain(`service="${name}"`);
    expect((await fetch(url('/docs'))).status).toBe(200);
  });

  it('logs JSON lines carrying its name', () => {
    const line = processes[SERVICES.findIndex((s) => s.name === name)].output.find((l) =>
      l.startsWith('{'),
    );
    expect(JSON.parse(line ?? 'null')).toMatchObject({ service: name });
  });

  it('never writes a bearer token to its log', async () => {
    const output = processes[SERVICES.findIndex((s) => s.name === name)].output;
    const token = `never-log-me-${name}`;
    await fetch(url(`/api/v1/log-probe-${name}`), {
      headers: { authorization: `Bearer ${token}` },
    });
    // The barrier: the request's own log line.
    await eventually(async () => output.some((l) => l.includes(`/api/v1/log-probe-${name}`)));
    const logged = output.find((l) => l.includes(`/api/v1/log-probe-${name}`))!;
    expect(JSON.parse(logged).req.headers.authorization).toBe('[redacted]');
    expect(output.filter((l) => l.includes(token))).toEqual([]);
  });
});
