import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ClientRequest, IncomingMessage, get } from 'node:http';
import { AddressInfo, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Admin, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import {
  AlertEventTypes,
  MilestoneEventData,
  MilestoneEventTypes,
  Topics,
  chinaDate,
  createEvent,
  deadlineAfter,
  dlqTopic,
} from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { pgClientConfig } from '@duban/persistence';
import { fullSchema } from '@duban/platform';
import {
  TestDatabase,
  TestTopics,
  TopicReader,
  TsProcess,
  createTestDatabase,
  createTestTopics,
  startTsProcess,
  tokens,
} from '@duban/testing';
import { schedulerSchema } from '../../apps/scheduler/src/schema';

/**
 * The fault suite's scheduler: one or more scheduler processes (same database, consumer group
 * and Redis prefix, as deploy/k8s runs replicas) on a redis-server of the suite's own, never
 * the machine's, with an SMTP sink that counts every mail, and a clock the scenario moves
 * (see scheduler-main.ts). Milestone events go straight onto the projects topic, as the
 * projects service publishes them; what the scheduler did is read back from its outbox (the
 * alert events, written in the same transaction as the alert) and its mail rows.
 */

const DAY = 86_400_000;
export const SWEEP_SECONDS = 5;
const MAIL_TO = 'AGRI=agri@example.test,*=duchashi@example.test';
/** Each alert event mailed goes to the owner unit and the supervisors. */
export const RECIPIENTS = 2;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON answers
type Json = Record<string, any>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 100 ms until it holds; throws `what` (and the last detail) after `ms`. */
export async function until(
  what: string,
  ms: number,
  probe: () => Promise<boolean>,
  detail: () => unknown = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      const last: unknown = await Promise.resolve()
        .then(detail)
        .catch((err: Error) => err.message);
      throw new Error(`${what}: not within ${ms} ms ${JSON.stringify(last)}`);
    }
    await sleep(100);
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/**
 * A redis-server of the scenario's own on a spare port, in a temp directory, without
 * persistence (as the machine's): killed, it comes back empty.
 */
export class RedisServer {
  private proc: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'duban-fault-redis-'));
  private clients: Redis[] = [];

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!(await portFree(this.port))) {
      throw new Error(`port ${this.port} is taken: the fault suite's redis-server needs it`);
    }
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { cwd: this.dir, stdio: 'ignore' },
    );
    this.proc = proc;
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await until('redis-server answers', 10000, async () => {
        if (proc.exitCode !== null) throw new Error(`redis-server exited ${proc.exitCode}`);
        if (probe.status !== 'ready') await probe.connect().catch(() => undefined);
        return (await probe.ping()) === 'PONG';
      });
    } finally {
      probe.disconnect();
    }
  }

  /** SIGKILL (no save: nothing to save), then wait for the exit. */
  async kill(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }

  /** A client of the test's own (closed by stop). */
  client(): Redis {
    const c = new Redis(this.url, { maxRetriesPerRequest: 1 });
    c.on('error', () => undefined);
    this.clients.push(c);
    return c;
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.disconnect();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Received {
  to: string;
  subject: string;
}

/** An SMTP server that keeps every mail it accepts; while `refusing`, answers 451 (try later). */
export class SmtpSink {
  readonly received: Received[] = [];
  refusing = false;
  private server!: SMTPServer;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      // No reverse DNS per connection: the sink must not be what makes mail slow.
      disableReverseLookup: true,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.refusing) {
            return callback(Object.assign(new Error('try later'), { responseCode: 451 }));
          }
          const head = Buffer.concat(chunks)
            .toString('utf8')
            .split(/\r?\n\r?\n/)[0];
          const subject = /^subject: (.*)$/im.exec(head.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '';
          for (const to of session.envelope.rcptTo) this.received.push({ to: to.address, subject });
          callback();
        });
      },
    });
    // A replica killed mid-session resets its connection; smtp-server reports that as an
    // 'error' on the server, which would otherwise be thrown as an uncaught ECONNRESET.
    this.server.on('error', () => undefined);
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** Mails received more than once (same recipient, same subject). */
  duplicates(): number {
    return this.received.length - new Set(this.received.map((r) => `${r.to}|${r.subject}`)).size;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

interface Replica {
  port: number;
  proc: TsProcess | null;
}

/** One server-sent event as a screen receives it. */
export interface SseFrame {
  id: string;
  event: string;
  data: string;
}

/** A live alert screen (GET /api/v1/alerts/stream as a supervisor): every frame it got. */
export interface Screen {
  frames: SseFrame[];
  /** Event ids received of a type, in order of arrival. */
  ids(event: string): string[];
  /** The connection is gone (the replica died, or close()). */
  readonly ended: boolean;
  close(): void;
}

/** Splits an SSE byte stream into frames (`id:`, `event:`, `data:` lines; blank-line separated). */
export function parseSse(text: string): { frames: SseFrame[]; rest: string } {
  const blocks = text.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  const frames: SseFrame[] = [];
  for (const block of blocks) {
    const frame: SseFrame = { id: '', event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') frame.id = value;
      else if (field === 'event') frame.event = value;
      else if (field === 'data') data.push(value);
    }
    frame.data = data.join('\n');
    if (frame.id || data.length > 0) frames.push(frame);
  }
  return { frames, rest };
}

/** Alerts as the scheduler's outbox holds them, against what the scenario expects. */
export interface AlertTally {
  /** Milestones that must raise an overdue alert. */
  sent: number;
  /** Alert-raised events written. */
  applied: number;
  lost: number;
  duplicated: number;
  /** Raised for a milestone that must not be (not yet due, or not the scenario's). */
  unexpected: number;
}

export interface MailTally {
  rows: number;
  sent: number;
  received: number;
  duplicated: number;
}

export class SchedulerStack {
  readonly redis: RedisServer;
  readonly smtp = new SmtpSink();
  readonly redisPrefix: string;
  /** Milestone ids that must raise exactly one overdue alert. */
  readonly due = new Set<string>();
  /** Milestone ids that must raise nothing (their deadline is after the scenario). */
  readonly notDue = new Set<string>();
  /** When each milestone was announced (real time). */
  readonly publishedAt = new Map<string, number>();
  private readonly replicas: Replica[];
  private readonly clockDir = mkdtempSync(join(tmpdir(), 'duban-fault-clock-'));
  private clockOffsetMs = 0;
  private topics!: TestTopics;
  private db!: TestDatabase;
  private pool!: Pool;
  private producer!: Producer;
  private admin!: Admin;
  private alertsReader!: TopicReader;
  private readonly screens: Screen[] = [];

  private constructor(
    private readonly label: string,
    ports: number[],
    redisPort: number,
    private readonly extraEnv: Record<string, string>,
  ) {
    this.redis = new RedisServer(redisPort);
    this.redisPrefix = `fault-${label}-${randomUUID().slice(0, 8)}`;
    this.replicas = ports.map((port) => ({ port, proc: null }));
  }

  /** One scheduler process per port, all on one database, group and Redis prefix. */
  static async start(
    label: string,
    ports: number[],
    redisPort: number,
    env: Record<string, string> = {},
  ): Promise<SchedulerStack> {
    const stack = new SchedulerStack(label, ports, redisPort, env);
    try {
      await stack.boot();
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  private get clockFile(): string {
    return join(this.clockDir, 'offset');
  }

  private async boot(): Promise<void> {
    this.setClockOffset(0);
    await this.redis.start();
    await this.smtp.start();
    this.topics = await createTestTopics(`fault-${this.label}`);
    this.db = await createTestDatabase(
      `fault_${this.label}_scheduler`,
      fullSchema(schedulerSchema),
    );
    void this.db.dataSource.destroy();
    this.pool = new Pool({ ...pgClientConfig(this.db.config, this.db.config.database), max: 2 });
    this.pool.on('error', () => undefined);
    await Promise.all(this.replicas.map((_, i) => this.startReplica(i)));
    this.producer = createIdempotentProducer(this.topics.kafka);
    await this.producer.connect();
    this.admin = this.topics.kafka.admin();
    await this.admin.connect();
    this.alertsReader = await new TopicReader(this.topics.kafka, [
      this.topics.name(Topics.alerts),
    ]).start();
  }

  private env(port: number): Record<string, string> {
    return {
      DUBAN_TOPIC_PREFIX: this.topics.config.topicPrefix,
      DUBAN_LOG_LEVEL: 'warn',
      DUBAN_SCHEDULER_PORT: String(port),
      DUBAN_SCHEDULER_DB: this.db.config.database,
      DUBAN_REDIS_URL: this.redis.url,
      DUBAN_REDIS_PREFIX: this.redisPrefix,
      DUBAN_SCHEDULER_SWEEP_SECONDS: String(SWEEP_SECONDS),
      DUBAN_SMTP_URL: this.smtp.url,
      DUBAN_ALERT_MAIL_TO: MAIL_TO,
      // A retry waits a minute: mail sent sooner after its job was lost was queued by the sweep.
      DUBAN_MAIL_BACKOFF_MS: '60000',
      DUBAN_MAIL_SWEEP_SECONDS: '2',
      DUBAN_MAIL_GRACE_SECONDS: '2',
      DUBAN_FAULT_CLOCK_FILE: this.clockFile,
      ...this.extraEnv,
    };
  }

  async startReplica(i: number): Promise<void> {
    const r = this.replicas[i];
    const proc = startTsProcess('test/faults/scheduler-main.ts', this.env(r.port));
    r.proc = proc;
    const deadline = Date.now() + 90000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${r.port}/health/ready`)
        .then((res) => res.status === 200)
        .catch(() => false);
      if (ready) return;
      if (Date.now() > deadline || proc.child.exitCode !== null) {
        throw new Error(`scheduler ${i} did not start:\n${proc.output.slice(-40).join('\n')}`);
      }
      await sleep(200);
    }
  }

  /** SIGKILL: no shutdown hook, no offset commit, no lock given back but by the dead socket. */
  async kill9(i: number): Promise<number> {
    const r = this.replicas[i];
    const pid = r.proc!.child.pid!;
    await r.proc!.kill('SIGKILL');
    r.proc = null;
    return pid;
  }

  pidOf(i: number): number | undefined {
    return this.replicas[i].proc?.child.pid;
  }

  /** Throws if a replica that should be running has exited by itself. */
  assertAlive(): void {
    this.replicas.forEach((r, i) => {
      const c = r.proc?.child;
      if (c && (c.exitCode !== null || c.signalCode !== null)) {
        throw new Error(
          `scheduler ${i} (pid ${c.pid}) exited by itself (code ${c.exitCode}, signal ` +
            `${c.signalCode}):\n${r.proc!.output.slice(-60).join('\n')}`,
        );
      }
    });
  }

  tail(i: number, lines = 30): string {
    return (this.replicas[i].proc?.output ?? []).slice(-lines).join('\n');
  }

  // --- the clock ---

  /** The scheduler's "now" (the test's clock plus the offset). */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  get clockOffset(): number {
    return this.clockOffsetMs;
  }

  setClockOffset(ms: number): void {
    this.clockOffsetMs = ms;
    const tmp = `${this.clockFile}.tmp`;
    writeFileSync(tmp, String(ms));
    renameSync(tmp, this.clockFile);
  }

  /**
   * Moves the scheduler's clock so that a midnight in China (a deadline) is `inMs` of real
   * time away; returns that midnight, the real time it falls at, and the day ending then.
   */
  midnightIn(inMs: number): { midnight: Date; realAt: number; today: string } {
    const realAt = Date.now() + inMs;
    // The end of the China day holding that instant: at or after it, so the offset is >= 0 (a
    // clock behind real time would see the test's events as from the future).
    const today = chinaDate(new Date(realAt));
    const midnight = deadlineAfter(today);
    this.setClockOffset(midnight.getTime() - realAt);
    return { midnight, realAt, today };
  }

  /** The scheduler's calendar day `days` from its today. */
  day(days: number): string {
    return chinaDate(new Date(this.now().getTime() + days * DAY));
  }

  // --- traffic ---

  /** A pending milestone of the AGRI unit planned for `date`, with a name of its own. */
  milestone(date: string): MilestoneEventData {
    const id = randomUUID();
    return {
      subjectType: 'project',
      subjectId: randomUUID(),
      milestoneId: id,
      name: `故障节点-${id.slice(0, 8)}`,
      ownerUnit: 'AGRI',
      plannedDate: date,
      currentPlannedDate: date,
      forecastDate: null,
      actualDate: null,
      status: 'pending',
    };
  }

  /**
   * Milestones as the projects service announces them. `mustRaise`: each is expected to
   * raise exactly one overdue alert by the end of the scenario; otherwise none.
   */
  async publish(milestones: MilestoneEventData[], mustRaise: boolean): Promise<void> {
    for (const m of milestones) (mustRaise ? this.due : this.notDue).add(m.milestoneId);
    const at = Date.now();
    for (const m of milestones) this.publishedAt.set(m.milestoneId, at);
    await this.producer.send({
      topic: this.topics.name(Topics.projects),
      messages: milestones.map((data) => ({
        key: data.milestoneId,
        value: JSON.stringify(
          createEvent({
            type: MilestoneEventTypes.scheduled,
            service: 'projects',
            subject: data.milestoneId,
            region: '511112',
            data,
          }),
        ),
      })),
    });
  }

  /**
   * Sends batches at a steady pace over `durationMs`, every 100 ms one; `mustRaise` per batch.
   * Resolves once all are sent.
   */
  async stream(
    batches: { milestones: MilestoneEventData[]; mustRaise: boolean }[],
    durationMs: number,
  ): Promise<void> {
    const start = Date.now();
    const every = durationMs / Math.max(1, batches.length);
    for (let i = 0; i < batches.length; i++) {
      await this.publish(batches[i].milestones, batches[i].mustRaise);
      const wait = start + (i + 1) * every - Date.now();
      if (wait > 0) await sleep(wait);
    }
  }

  // --- what the scheduler holds ---

  query<T extends Json>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.pool.query<T>(sql, params).then((r) => r.rows);
  }

  /** Timetable rows for the scenario's milestones. */
  async timetabled(): Promise<number> {
    const ids = [...this.due, ...this.notDue];
    const [{ n }] = await this.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM timetable WHERE milestone_id = ANY($1)',
      [ids],
    );
    return n;
  }

  /** Overdue alerts raised (outbox events) against the milestones that must raise one. */
  async alerts(): Promise<AlertTally> {
    const rows = await this.query<{ m: string }>(
      `SELECT payload->'data'->>'milestoneId' AS m FROM outbox
        WHERE event_type = $1 AND payload->'data'->>'rule' = 'overdue'`,
      [AlertEventTypes.raised],
    );
    const seen = new Set(rows.map((r) => r.m));
    let lost = 0;
    for (const id of this.due) if (!seen.has(id)) lost++;
    let unexpected = 0;
    for (const id of seen) if (!this.due.has(id)) unexpected++;
    return {
      sent: this.due.size,
      applied: rows.length,
      lost,
      duplicated: rows.length - seen.size,
      unexpected,
    };
  }

  /** Escalation events per alert id (level reached). */
  async escalations(): Promise<Map<string, number[]>> {
    const rows = await this.query<{ alert: string; level: number }>(
      `SELECT payload->'data'->>'alertId' AS alert, (payload->'data'->>'escalationLevel')::int AS level
         FROM outbox WHERE event_type = $1`,
      [AlertEventTypes.escalated],
    );
    const out = new Map<string, number[]>();
    for (const r of rows) out.set(r.alert, [...(out.get(r.alert) ?? []), r.level]);
    return out;
  }

  /** Open alerts' ids (for escalation). */
  async openAlerts(): Promise<string[]> {
    const rows = await this.query<{ id: string }>(`SELECT id FROM alerts WHERE state = 'open'`);
    return rows.map((r) => r.id);
  }

  /** Alert events of a type the relay has published (read back from the topic). */
  published(type: string): number {
    return this.alertsReader.messages.filter((m) => m.json<{ type: string }>().type === type)
      .length;
  }

  /** Mail rows and what the SMTP sink received. */
  async mail(): Promise<MailTally> {
    const [row] = await this.query<{ rows: number; sent: number }>(
      `SELECT count(*)::int AS rows, (count(*) FILTER (WHERE state = 'sent'))::int AS sent
         FROM mail_deliveries`,
    );
    return {
      rows: row.rows,
      sent: row.sent,
      received: this.smtp.received.length,
      duplicated: this.smtp.duplicates(),
    };
  }

  /** Every mail row sent, each received by the sink at least once. */
  async mailDone(expectedRows: number): Promise<boolean> {
    const m = await this.mail();
    return m.rows >= expectedRows && m.sent === m.rows && m.received >= m.rows;
  }

  /** The deadline timers (BullMQ delayed jobs) of `ids` present in Redis. */
  async timersPresent(ids: Iterable<string>, date: string, redis: Redis): Promise<number> {
    const keys = [...ids].map((id) => `${this.redisPrefix}:timers:deadline_${id}_${date}`);
    if (keys.length === 0) return 0;
    return redis.exists(...keys);
  }

  /**
   * What the scheduler's group has not yet committed of the milestone events. (Not the alerts
   * topic: the relay writes it in transactions, whose commit markers hold offsets a consumer
   * never commits past; its fan-out is judged by the mail rows instead.)
   */
  async lag(): Promise<number> {
    const groupId = `${this.topics.config.topicPrefix}duban-scheduler`;
    let lag = 0;
    for (const logical of [Topics.projects]) {
      const topic = this.topics.name(logical);
      const [high, committed] = await Promise.all([
        this.admin.fetchTopicOffsets(topic),
        this.admin.fetchOffsets({ groupId, topics: [topic] }),
      ]);
      const at = new Map(committed[0].partitions.map((p) => [p.partition, BigInt(p.offset)]));
      for (const p of high) {
        const c = at.get(p.partition) ?? -1n;
        lag += Number(BigInt(p.high) - (c < 0n ? 0n : c));
      }
    }
    return lag;
  }

  /** Records in the dead-letter topics of what the scheduler consumes here. */
  async deadLetters(): Promise<number> {
    let n = 0;
    for (const logical of [Topics.projects, Topics.alerts]) {
      const offsets = await this.admin
        .fetchTopicOffsets(this.topics.name(dlqTopic(logical)))
        .catch(() => []);
      for (const p of offsets) n += Number(BigInt(p.high) - BigInt(p.low));
    }
    return n;
  }

  /** Members of the scheduler's consumer group and the partitions each holds. */
  async members(): Promise<number> {
    const groupId = `${this.topics.config.topicPrefix}duban-scheduler`;
    const { groups } = await this.admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  }

  // --- HTTP ---

  /** Opens replica i's live alert stream as a supervisor; resolves once it answered 200. */
  async screen(i: number): Promise<Screen> {
    const frames: SseFrame[] = [];
    let text = '';
    let ended = false;
    let req!: ClientRequest;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req = get(
        {
          host: '127.0.0.1',
          port: this.replicas[i].port,
          path: '/api/v1/alerts/stream',
          headers: { authorization: `Bearer ${tokens.supervisor()}`, accept: 'text/event-stream' },
        },
        resolve,
      );
      req.on('error', reject);
    });
    if (res.statusCode !== 200) {
      res.destroy();
      throw new Error(`alert stream of scheduler ${i}: ${res.statusCode}`);
    }
    // A replica killed mid-stream resets the connection: that ends the screen, nothing more.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    res.on('close', () => (ended = true));
    res.setEncoding('utf8').on('data', (chunk: string) => {
      const parsed = parseSse(text + chunk);
      text = parsed.rest;
      frames.push(...parsed.frames);
    });
    const screen: Screen = {
      frames,
      ids: (event) => frames.filter((f) => f.event === event).map((f) => f.id),
      get ended() {
        return ended;
      },
      close: () => res.destroy(),
    };
    this.screens.push(screen);
    return screen;
  }

  /** Outbox event ids of a type (what the relay publishes), in commit order. */
  async outboxIds(type: string): Promise<string[]> {
    const rows = await this.query<{ id: string }>(
      `SELECT event_id::text AS id FROM outbox WHERE event_type = $1 ORDER BY sequence`,
      [type],
    );
    return rows.map((r) => r.id);
  }

  /** Ids of the alert events of a type the test's own reader has read off the topic. */
  publishedIds(type: string): string[] {
    return this.alertsReader.messages
      .map((m) => m.json<{ id: string; type: string }>())
      .filter((e) => e.type === type)
      .map((e) => e.id);
  }

  async http(i: number, path: string): Promise<{ status: number; body: Json; ms: number }> {
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${this.replicas[i].port}${path}`, {
      headers: { authorization: `Bearer ${tokens.supervisor()}` },
      signal: AbortSignal.timeout(15000),
    });
    const body = (await res.json().catch(() => null)) as Json;
    return { status: res.status, body, ms: Date.now() - started };
  }

  /**
   * Processes first (the replicas, the redis-server), so that nothing of this file outlives
   * it even when the shared broker is away and the Kafka clean-up below takes long.
   */
  async stop(): Promise<void> {
    for (const screen of this.screens) screen.close();
    await Promise.all(
      this.replicas.map(async (r) => {
        await r.proc?.kill('SIGTERM');
        r.proc = null;
      }),
    );
    await this.redis.stop();
    await this.smtp.stop().catch(() => undefined);
    rmSync(this.clockDir, { recursive: true, force: true });
    await this.pool?.end().catch(() => undefined);
    await this.db?.drop().catch(() => undefined);
    const bounded = (p: Promise<unknown> | undefined) =>
      Promise.race([p?.catch(() => undefined), sleep(20000)]);
    await bounded(this.alertsReader?.stop());
    await bounded(this.producer?.disconnect());
    await bounded(this.admin?.disconnect());
    await bounded(this.topics?.drop());
  }
}

/** `fault=… sent applied lost duplicated dlq 5xx recovered_s`, as the ingest scenarios print. */
export function alertFaultLine(
  name: string,
  t: AlertTally,
  dlq: number,
  fivexx: number,
  recoveredS: number,
): string {
  return (
    `fault=${name} sent=${t.sent} applied=${t.applied} lost=${t.lost} ` +
    `duplicated=${t.duplicated} dlq=${dlq} 5xx=${fivexx} recovered_s=${recoveredS.toFixed(1)}`
  );
}
