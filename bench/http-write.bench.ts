/**
 * The HTTP write path of the projects service against pgbench running the same SQL, in one run.
 *
 *   npm run stack:up     # PostgreSQL 127.0.0.1:5432, Kafka 127.0.0.1:9092
 *   npm run bench:http   # builds dist/, then runs this; BENCH_* below tune it
 *
 * The service runs as its own process from compiled JavaScript (dist/, as `npm start` and the
 * image run it) with its default settings, on a database and topics of its own. Nothing consumes
 * its topics ("consumers paused"): only its HTTP side and its outbox relay (which still publishes
 * every event to Kafka) share the machine with the driver and PostgreSQL. pgbench then runs the
 * service's SQL for one milestone (lock the project, insert the milestone, insert the outbox row,
 * notify) at the same concurrency on the same database, the service still running. See
 * bench/README.md.
 */
process.env.DUBAN_KAFKA_LOG_LEVEL ??= 'nothing';
process.env.NODE_ENV ??= 'test';

import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { authSecretFrom, signToken } from '@duban/auth';
import { fullSchema } from '@duban/platform';
import { dataSourceOptions, databaseConfigFor } from '@duban/persistence';
import { DataSource } from 'typeorm';
import { TestDatabase, TestTopics, createTestDatabase, createTestTopics } from '@duban/testing';
import { projectsSchema } from '../apps/projects/src/schema';
import { Row, printTable, summarize } from './stats';

function numberEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${name}=${raw}: need a number ≥ ${min}`);
  return value;
}

const SECONDS = numberEnv('BENCH_SECONDS', 15, 1);
const READ_SECONDS = numberEnv('BENCH_READ_SECONDS', 10, 1);
const CONNECTIONS = Math.floor(numberEnv('BENCH_CONNECTIONS', 8, 1));
const PROJECTS = Math.floor(numberEnv('BENCH_PROJECTS', 10, 1));
const PORT = Math.floor(numberEnv('BENCH_PORT', 15101, 1));
/** With BENCH_IDEMPOTENCY=1 every write carries a fresh Idempotency-Key (two more statements). */
const IDEMPOTENCY = process.env.BENCH_IDEMPOTENCY === '1';
/** BENCH_CPU_PROF=<dir>: the service runs under `node --cpu-prof`, profiles written there. */
const CPU_PROF = process.env.BENCH_CPU_PROF;
const PGBENCH = process.env.BENCH_PGBENCH ?? '/usr/bin/pgbench';
/**
 * BENCH_TARGET=http://127.0.0.1:3001: drive a projects service already running (`npm start`,
 * its consumers downstream running) instead of starting one; pgbench then writes into that
 * service's database (BENCH_TARGET_DB, default duban_projects), adding milestones to it.
 */
const TARGET = process.env.BENCH_TARGET;
const TARGET_DB = process.env.BENCH_TARGET_DB ?? 'duban_projects';
const ROOT = join(__dirname, '..');
const ENTRY = join(ROOT, 'dist', 'apps', 'projects', 'src', 'main.js');
const REGION = '511112';
const UNIT = 'AGRI';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const base = TARGET ?? `http://127.0.0.1:${PORT}`;
const token = signToken(
  { subject: 'bench-agri', role: 'department', unit: UNIT, region: REGION },
  authSecretFrom(),
);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

interface Service {
  /** CPU time (user + system) the service process has used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
  logFile: string;
}

/** The compiled service, as `npm start` runs it, its log written straight to a file. */
async function startService(
  db: TestDatabase,
  topics: TestTopics,
  workDir: string,
): Promise<Service> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`);
  const logFile = join(workDir, 'projects.log');
  const log = openSync(logFile, 'w');
  const profile = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '-r', 'tsconfig-paths/register', ENTRY], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      TS_NODE_BASEURL: join(ROOT, 'dist'),
      // The local broker's credentials, found from the source tree's layout, not dist/'s.
      DUBAN_RUN_DIR: process.env.DUBAN_RUN_DIR ?? join(ROOT, 'deploy', 'local', '.run'),
      DUBAN_PROJECTS_PORT: String(PORT),
      DUBAN_PROJECTS_DB: db.config.database,
      DUBAN_TOPIC_PREFIX: topics.config.topicPrefix,
      DUBAN_KAFKA_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the service exited (${child.exitCode}):\n${readFileSync(logFile, 'utf8')}`);
    }
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`not ready in 90 s; see ${logFile}`);
    await sleep(300);
  }
  return {
    logFile,
    cpuMs: () => {
      // /proc/<pid>/stat fields 14 and 15 (utime, stime) in clock ticks (100 per second).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
      await exited;
    },
  };
}

async function createProjects(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < PROJECTS; i++) {
    const suffix = randomUUID().slice(0, 8);
    const res = await fetch(`${base}/api/v1/projects`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        code: `BENCH-${suffix}`,
        name: `压测项目 ${suffix}`,
        category: 'agriculture',
        level: 'county',
        leadUnit: UNIT,
        responsibleLeader: '张副县长',
        township: '青富镇',
        regionCode: REGION,
        totalPlannedInvestmentWan: '120000.00',
        annualPlannedInvestmentWan: '30000.00',
        plannedStartDate: '2024-03-01',
        plannedEndDate: '2028-12-31',
      }),
    });
    if (res.status !== 201) throw new Error(`create project: ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

/** The running service's own database: used, never dropped. */
async function targetDatabase(): Promise<TestDatabase> {
  const config = { ...databaseConfigFor('test'), database: TARGET_DB };
  const dataSource = new DataSource(dataSourceOptions(config, fullSchema(projectsSchema)));
  await dataSource.initialize();
  return { config, dataSource, drop: () => dataSource.destroy() };
}

interface LoadResult {
  count: number;
  errors: number;
  seconds: number;
  latencies: number[];
  firstError?: string;
}

/** CONNECTIONS closed loops, each sending its next request as soon as the last one answered. */
async function closedLoop(
  seconds: number,
  request: (i: number) => Promise<Response>,
  expect: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const res = await request(n++);
        const body = await res.text();
        if (res.status === expect) latencies.push(performance.now() - t0);
        else {
          errors++;
          firstError ??= `${res.status} ${body.slice(0, 300)}`;
        }
      }
    }),
  );
  return {
    count: latencies.length,
    errors,
    seconds: (performance.now() - started) / 1000,
    latencies,
    firstError,
  };
}

function writeMilestone(projects: string[]): (i: number) => Promise<Response> {
  return (i) =>
    fetch(`${base}/api/v1/projects/${projects[i % projects.length]}/milestones`, {
      method: 'POST',
      headers: IDEMPOTENCY ? { ...headers, 'idempotency-key': randomUUID() } : headers,
      body: JSON.stringify({
        name: `压测里程碑 ${i}`,
        ownerUnit: UNIT,
        plannedDate: '2027-06-30',
      }),
    });
}

/**
 * A string literal pgbench passes through unchanged: it reads `:word` as a variable, so colons
 * (in JSON and timestamps) are written as the escape \x3a of an E'' literal.
 */
const sqlText = (v: unknown): string =>
  v === null || v === undefined
    ? 'NULL'
    : `E'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/:/g, '\\x3a')}'`;
const sqlJson = (v: unknown): string => `${sqlText(v)}::jsonb`;

/**
 * One pgbench script per project (run with equal weights), each the service's transaction for
 * one milestone: TypeORM's `findOne(... lock pessimistic_write)` of the project, its INSERT of the
 * milestone, addToOutbox's INSERT and pg_notify. The milestone and outbox rows are copies of
 * rows the HTTP phase wrote, with new ids.
 */
async function pgbenchScripts(
  db: TestDatabase,
  projects: string[],
  dir: string,
): Promise<string[]> {
  const q = db.dataSource;
  const [ms] = await q.query(
    `SELECT name, owner_unit, planned_date::text, current_planned_date::text, status, history::text
       FROM milestones ORDER BY created_at DESC LIMIT 1`,
  );
  const [ob] = await q.query(
    `SELECT topic, aggregate_type, event_type, payload::text, headers::text
       FROM outbox WHERE event_type LIKE '%milestone.scheduled' ORDER BY sequence DESC LIMIT 1`,
  );
  const { writeFileSync } = await import('node:fs');
  return projects.map((projectId, i) => {
    const file = join(dir, `milestone-${i}.sql`);
    writeFileSync(
      file,
      [
        'BEGIN;',
        `SELECT * FROM projects WHERE id = '${projectId}' LIMIT 1 FOR UPDATE;`,
        `INSERT INTO milestones (id, project_id, name, owner_unit, planned_date, current_planned_date, forecast_date, actual_date, status, history, version, created_at, updated_at) VALUES (gen_random_uuid(), '${projectId}', ${sqlText(ms.name)}, ${sqlText(ms.owner_unit)}, ${sqlText(ms.planned_date)}, ${sqlText(ms.current_planned_date)}, NULL, NULL, ${sqlText(ms.status)}, ${sqlJson(ms.history)}, 1, DEFAULT, DEFAULT);`,
        `INSERT INTO outbox (event_id, topic, aggregate_type, aggregate_id, event_type, payload, headers, published_at, last_error) VALUES (gen_random_uuid(), ${sqlText(ob.topic)}, ${sqlText(ob.aggregate_type)}, '${projectId}', ${sqlText(ob.event_type)}, ${sqlJson(ob.payload)}, ${sqlJson(ob.headers)}, DEFAULT, DEFAULT) RETURNING sequence, created_at, attempts;`,
        `SELECT pg_notify('duban_outbox', '');`,
        'COMMIT;',
        '',
      ].join('\n'),
    );
    return file;
  });
}

interface PgbenchResult {
  tps: number;
  latencies: number[];
  output: string;
}

function runPgbench(db: TestDatabase, scripts: string[], dir: string): PgbenchResult {
  const logDir = join(dir, 'pgbench-log');
  spawnSync('mkdir', ['-p', logDir]);
  const args = [
    '-h',
    db.config.host,
    '-p',
    String(db.config.port),
    '-U',
    db.config.user,
    '-n',
    '-c',
    String(CONNECTIONS),
    '-j',
    String(Math.min(CONNECTIONS, 2)),
    '-T',
    String(SECONDS),
    // node-postgres sends parameterised queries as unnamed extended-protocol statements.
    '-M',
    'extended',
    '-l',
    `--log-prefix=${join(logDir, 'tx')}`,
    ...scripts.map((s) => `--file=${s}@1`),
    db.config.database,
  ];
  const run = spawnSync(PGBENCH, args, {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: db.config.password ?? '' },
  });
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`pgbench failed (${run.status}):\n${output}`);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1]);
  // Each log line: client_id transaction_no time_us script_no epoch epoch_us.
  const latencies: number[] = [];
  for (const file of readdirSync(logDir)) {
    for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
      const us = Number(line.split(' ')[2]);
      if (Number.isFinite(us) && line) latencies.push(us / 1000);
    }
  }
  return { tps, latencies, output };
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

function row(name: string, r: { latencies: number[] }, perSec: number): Row {
  return { name, latencies: r.latencies, throughput: perSec };
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'duban-bench-http-'));
  const [db, topics] = TARGET
    ? [await targetDatabase(), undefined]
    : await Promise.all([
        createTestDatabase('bench_http', fullSchema(projectsSchema)),
        createTestTopics('bench-http'),
      ]);
  let service: Service | undefined;
  const cleanup = async (): Promise<void> => {
    await service?.stop().catch(() => undefined);
    await db.drop().catch(() => undefined);
    await topics?.drop().catch(() => undefined);
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const loadBefore = loadavg().map((l) => round(l, 2));
    if (topics) service = await startService(db, topics, workDir);
    const projects = await createProjects();
    const projectUrl = (i: number): string => `${base}/api/v1/projects/${projects[i % PROJECTS]}`;

    // Warm-up: JIT, pools, prepared plans; left out of the figures.
    await closedLoop(2, writeMilestone(projects), 201);
    await closedLoop(1, (i) => fetch(projectUrl(i), { headers }), 200);

    // The service's CPU per request: steadier than rates on a machine others load too.
    const cpu0 = service?.cpuMs() ?? NaN;
    const writes = await closedLoop(SECONDS, writeMilestone(projects), 201);
    const cpu1 = service?.cpuMs() ?? NaN;
    const reads = await closedLoop(READ_SECONDS, (i) => fetch(projectUrl(i), { headers }), 200);
    const cpu2 = service?.cpuMs() ?? NaN;
    const live = await closedLoop(
      Math.min(READ_SECONDS, 5),
      () => fetch(`${base}/health/live`),
      200,
    );
    const loadMid = loadavg().map((l) => round(l, 2));

    const pg = runPgbench(db, await pgbenchScripts(db, projects, workDir), workDir);
    const loadAfter = loadavg().map((l) => round(l, 2));

    const httpWritesPerSec = writes.count / writes.seconds;
    const httpReadsPerSec = reads.count / reads.seconds;
    const liveRate = live.count / live.seconds;
    printTable([
      row(`POST milestone x${CONNECTIONS}`, writes, httpWritesPerSec),
      row(`pgbench same SQL -c ${CONNECTIONS}`, pg, pg.tps),
      row(`GET project x${CONNECTIONS}`, reads, httpReadsPerSec),
      row(`GET /health/live x${CONNECTIONS}`, live, liveRate),
    ]);
    for (const [what, r] of [
      ['writes', writes],
      ['reads', reads],
      ['live', live],
    ] as const) {
      if (r.errors) console.log(`${what}: ${r.errors} unexpected answers, first: ${r.firstError}`);
    }
    const w = summarize(writes.latencies);
    const p = summarize(pg.latencies);
    const r = summarize(reads.latencies);
    console.log(
      `cpus ${cpus().length}, load ${loadBefore.join(' ')} before, ${loadMid.join(' ')} after HTTP, ${loadAfter.join(' ')} after pgbench; service log ${service?.logFile ?? TARGET}`,
    );
    console.log(
      JSON.stringify({
        httpWritesPerSec: round(httpWritesPerSec),
        pgbenchTps: round(pg.tps),
        httpReadsPerSec: round(httpReadsPerSec),
        ratio: round(httpWritesPerSec / pg.tps, 3),
        healthLivePerSec: round(liveRate),
        httpWriteP50Ms: round(w.p50, 2),
        httpWriteP99Ms: round(w.p99, 2),
        pgbenchP50Ms: round(p.p50, 2),
        pgbenchP99Ms: round(p.p99, 2),
        httpReadP50Ms: round(r.p50, 2),
        httpReadP99Ms: round(r.p99, 2),
        serviceCpuMsPerWrite: round((cpu1 - cpu0) / (writes.count + writes.errors), 2),
        serviceCpuMsPerRead: round((cpu2 - cpu1) / (reads.count + reads.errors), 2),
        httpWriteErrors: writes.errors,
        httpReadErrors: reads.errors,
        connections: CONNECTIONS,
        seconds: SECONDS,
        idempotencyKeys: IDEMPOTENCY,
        consumers: TARGET ? `running (${TARGET})` : 'paused',
        load1: loadBefore[0],
        cpus: cpus().length,
      }),
    );
    if (writes.errors || reads.errors || !writes.count || !Number.isFinite(pg.tps)) {
      process.exitCode = 1;
    }
  } finally {
    await cleanup();
  }
}

const watchdog = setTimeout(
  () => {
    console.error('bench: watchdog expired');
    process.exit(2);
  },
  (SECONDS * 2 + READ_SECONDS * 2 + 180) * 1000,
);
watchdog.unref();

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
