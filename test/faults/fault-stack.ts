import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { Admin, Message, Producer } from 'kafkajs';
import { Pool } from 'pg';
import {
  MilestoneEventTypes,
  ParksEventTypes,
  ProjectEventTypes,
  Topics,
  TransportEventTypes,
  createEvent,
  dlqTopic,
  outboxCheckpointSpec,
} from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { pgClientConfig } from '@duban/persistence';
import { fullSchema } from '@duban/platform';
import {
  TestDatabase,
  TestTopics,
  TsProcess,
  chinaDay,
  chinaMonthFrom,
  createTestDatabase,
  createTestTopics,
  signedIngestMessage,
  startTsProcess,
  tokens,
} from '@duban/testing';
import { evaluationSchema } from '../../apps/evaluation/src/schema';
import { parksSchema } from '../../apps/parks/src/schema';
import { projectsSchema } from '../../apps/projects/src/schema';
import { schedulerSchema } from '../../apps/scheduler/src/schema';
import { transportSchema } from '../../apps/transport/src/schema';

/**
 * The fault suite's stack: the projects, parks and transport services as real processes on
 * databases and topics of their own, fed a fixed stream of signed ingest updates whose effects
 * can each be found again (and counted) in the service's outbox, written in the same
 * transaction as the effect. With `downstream`, the evaluation and scheduler services run too,
 * consuming what the projects relay publishes (each forecast change, found again in their
 * inboxes, the scheduler's timetable and evaluation's facts).
 */

/** A line to the file FAULT_TRACE names, if any (a scenario's progress while it runs). */
export function trace(line: string): void {
  const file = process.env.FAULT_TRACE;
  if (file) appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}

/** Updates per scenario (the issue asks for 5,000 across projects, parks and transport). */
export const FAULT_UPDATES = Number(process.env.FAULT_UPDATES ?? 5000);
/** How long the fixed stream takes to send, at a steady pace. */
export const SEND_MS = Number(process.env.FAULT_SEND_MS ?? 12000);

export const REGION = '511112';
export const DOMAINS = ['projects', 'parks', 'transport'] as const;
export type Domain = (typeof DOMAINS)[number];
/** The services reading the domain topics (here: the projects topic's milestone events). */
export const DOWNSTREAM = ['evaluation', 'scheduler'] as const;
export type Downstream = (typeof DOWNSTREAM)[number];
export type ServiceName = Domain | Downstream;

const UNIT: Record<Domain, string> = {
  projects: 'AGRI',
  parks: 'PARK-TEXTILE',
  transport: 'TRANSPORT',
};
export const INGEST: Record<Domain, string> = {
  projects: Topics.projectsIngest,
  parks: Topics.parksIngest,
  transport: Topics.transportIngest,
};
/** The outgoing event each applied update writes to the outbox, once. */
const EFFECT: Record<Domain, string> = {
  projects: MilestoneEventTypes.forecastChanged,
  parks: ParksEventTypes.indicatorsReported,
  transport: TransportEventTypes.sectionProgressChanged,
};
/** The key an effect is found by: the target and the value only that update carried. */
const EFFECT_KEY: Record<Domain, string> = {
  projects: `payload->'data'->>'milestoneId' || '|' || (payload->'data'->>'forecastDate')`,
  parks: `payload->'data'->>'parkId' || '|' || (payload->'data'->>'employees')`,
  transport: `payload->'data'->>'sectionId' || '|' || (payload->'data'->>'progressPct')`,
};
/** Targets per domain: updates are spread over them, so every partition carries some. */
const TARGETS = 20;

export interface Update {
  domain: Domain;
  key: string;
  message: () => Message;
}

export interface Tally {
  sent: number;
  applied: number;
  lost: number;
  duplicated: number;
  /** Effects no valid update asked for (a poison applied, say). */
  unexpected: number;
  /** Inbox rows of the ingest topic: one per event applied. */
  inbox: number;
}

/** What a downstream service holds of the projects service's forecast changes. */
export interface DownstreamTally extends Tally {
  /** Milestones whose state there is not the last forecast sent (timetable row or fact). */
  stale: number;
  /** Its rows for the stream's milestones: timetable rows, or facts. */
  rows: number;
}

interface Service {
  name: ServiceName;
  port: number;
  db: TestDatabase;
  env: Record<string, string>;
  proc: TsProcess | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON answers
type Json = Record<string, any>;

const DAY = 86_400_000;
const dateAfter = (base: string, days: number): string =>
  new Date(Date.parse(`${base}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export class FaultStack {
  readonly services = new Map<ServiceName, Service>();
  /** Every valid update's effect key, per domain. */
  readonly expected = new Map<Domain, Set<string>>(DOMAINS.map((d) => [d, new Set()]));
  readonly targets = new Map<Domain, string[]>();
  private producer!: Producer;
  /** Batches the stream had to send again (the broker was away). */
  sendFailures = 0;
  /** Updates the stream has sent so far. */
  streamed = 0;
  /**
   * Awaited before each slice of the stream with the count sent so far (a fault holds the
   * stream there, e.g. until a killed service is back); the pace resumes after it.
   */
  hold: ((sent: number) => Promise<void>) | null = null;
  private stopping = false;
  private admin!: Admin;
  private pools = new Map<ServiceName, Pool>();
  private topics!: TestTopics;
  private projectIds: string[] = [];
  private parkIds: string[] = [];
  private workIds: string[] = [];

  private constructor(
    private readonly label: string,
    private readonly basePort: number,
    private readonly extraEnv: Record<string, string>,
    readonly downstream: boolean,
  ) {}

  /**
   * `env` is laid over each service's settings (e.g. another broker). Ports: the domains from
   * `basePort`, then (with `downstream`) evaluation and the scheduler.
   */
  static async start(
    label: string,
    basePort: number,
    env: Record<string, string> = {},
    options: { downstream?: boolean } = {},
  ): Promise<FaultStack> {
    const stack = new FaultStack(label, basePort, env, options.downstream ?? false);
    try {
      await stack.boot();
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  get kafkaTopics(): TestTopics {
    return this.topics;
  }

  /** The services this stack runs: the domains, then evaluation and the scheduler. */
  get names(): ServiceName[] {
    return [...DOMAINS, ...(this.downstream ? DOWNSTREAM : [])];
  }

  private async boot(): Promise<void> {
    this.topics = await createTestTopics(`fault-${this.label}`);
    const schemas = {
      projects: projectsSchema,
      parks: parksSchema,
      transport: transportSchema,
      evaluation: evaluationSchema,
      scheduler: schedulerSchema,
    };
    const names = this.names;
    const dbs = await Promise.all(
      names.map((d) => createTestDatabase(`fault_${this.label}_${d}`, fullSchema(schemas[d]))),
    );
    const redisPrefix = `fault-${this.label}-${randomUUID()}`;
    names.forEach((service, i) => {
      const db = dbs[i];
      // The test reads through pools of its own (their connections are killed too, on purpose).
      void db.dataSource.destroy();
      const pool = new Pool({ ...pgClientConfig(db.config, db.config.database), max: 2 });
      pool.on('error', () => undefined);
      this.pools.set(service, pool);
      const name = service.toUpperCase();
      const port = this.basePort + i;
      this.services.set(service, {
        name: service,
        port,
        db,
        proc: null,
        env: {
          DUBAN_TOPIC_PREFIX: this.topics.config.topicPrefix,
          DUBAN_REDIS_PREFIX: redisPrefix,
          DUBAN_LOG_LEVEL: 'warn',
          [`DUBAN_${name}_PORT`]: String(port),
          [`DUBAN_${name}_DB`]: db.config.database,
          ...this.extraEnv,
        },
      });
    });
    await Promise.all(names.map((d) => this.startService(d)));
    this.producer = createIdempotentProducer(this.topics.kafka);
    await this.producer.connect();
    this.admin = this.topics.kafka.admin();
    await this.admin.connect();
    await this.createTargets();
  }

  async startService(domain: ServiceName): Promise<void> {
    const s = this.services.get(domain)!;
    const proc = startTsProcess(`apps/${domain}/src/main.ts`, s.env);
    s.proc = proc;
    // Up when it answers readiness (its logs are kept to warnings, so no start line to wait for).
    const deadline = Date.now() + 90000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${s.port}/health/ready`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ready) {
        trace(`${domain} ready (pid ${proc.child.pid})`);
        return;
      }
      if (Date.now() > deadline || proc.child.exitCode !== null) {
        throw new Error(`${domain} did not start:\n${proc.output.slice(-40).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGKILL: no shutdown hook, no offset commit, whatever was in flight is cut off. */
  async kill9(domain: ServiceName): Promise<number> {
    const s = this.services.get(domain)!;
    const pid = s.proc!.child.pid!;
    await s.proc!.kill('SIGKILL');
    s.proc = null;
    return pid;
  }

  pidOf(domain: ServiceName): number | undefined {
    return this.services.get(domain)?.proc?.child.pid;
  }

  databases(): string[] {
    return [...this.services.values()].map((s) => s.db.config.database);
  }

  url(domain: Domain, path: string): string {
    return `http://127.0.0.1:${this.services.get(domain)!.port}/api/v1${path}`;
  }

  async http(domain: Domain, path: string, body?: object): Promise<{ status: number; body: Json }> {
    const res = await fetch(this.url(domain, path), {
      method: body ? 'POST' : 'GET',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokens.department(UNIT[domain], REGION)}`,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Json };
  }

  private async created(domain: Domain, path: string, body: object): Promise<Json> {
    const res = await this.http(domain, path, body);
    if (res.status !== 201) {
      throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
  }

  /** 4 projects × 5 milestones, 20 parks, 4 transport works × 5 sections. */
  private async createTargets(): Promise<void> {
    const milestones: string[] = [];
    for (let p = 0; p < 4; p++) {
      const project = await this.created('projects', '/projects', {
        code: `FAULT-${randomUUID().slice(0, 8)}`,
        name: `故障测试项目 ${p}`,
        category: 'agriculture',
        level: 'county',
        leadUnit: 'AGRI',
        responsibleLeader: '王副县长',
        township: '青富镇',
        regionCode: REGION,
        totalPlannedInvestmentWan: '100.00',
        annualPlannedInvestmentWan: '50.00',
        plannedStartDate: '2026-01-01',
        plannedEndDate: '2027-12-31',
      });
      this.projectIds.push(project.id);
      for (let m = 0; m < TARGETS / 4; m++) {
        const milestone = await this.created('projects', `/projects/${project.id}/milestones`, {
          name: `节点 ${m}`,
          ownerUnit: 'AGRI',
          plannedDate: chinaDay(60),
        });
        milestones.push(`${project.id}/${milestone.id}`);
      }
    }
    const parks: string[] = [];
    for (let p = 0; p < TARGETS; p++) {
      const park = await this.created('parks', '/parks', {
        name: `纺织鞋服产业园 ${randomUUID().slice(0, 6)}`,
        regionCode: REGION,
        leadIndustry: 'textile-shoes-apparel',
        plannedAreaMu: 5000,
        developedAreaMu: 3860.5,
        managingUnit: 'PARK-TEXTILE',
      });
      parks.push(park.id);
    }
    this.parkIds = parks;
    const sections: string[] = [];
    for (let w = 0; w < 4; w++) {
      const work = await this.created('transport', '/transport-works', {
        kind: 'expressway',
        name: `XX高速 ${randomUUID().slice(0, 6)}`,
        regionCode: REGION,
        leadUnit: 'TRANSPORT',
        plannedInvestmentWan: '1850000.00',
      });
      this.workIds.push(work.id);
      for (let s = 0; s < TARGETS / 4; s++) {
        const section = await this.created('transport', `/transport-works/${work.id}/sections`, {
          name: `K${s}-K${s + 1} 标段`,
          lengthKm: 1,
        });
        sections.push(`${work.id}/${section.id}`);
      }
    }
    this.targets.set('projects', milestones);
    this.targets.set('parks', parks);
    this.targets.set('transport', sections);
  }

  /** One endpoint a user reads per service (for the 5xx count). */
  readPaths(): [Domain, string][] {
    return [
      ['projects', `/projects/${this.projectIds[0]}`],
      ['parks', `/parks/${this.parkIds[0]}`],
      ['transport', `/transport-works/${this.workIds[0]}`],
    ];
  }

  /**
   * The fixed stream: update i goes to domain i % 3, target (i / 3) % 20; each carries a value
   * only it has (a forecast date, an employee count, a progress percentage), so its effect is
   * found by that value and a second effect of it is a duplicate.
   */
  updates(count = FAULT_UPDATES): Update[] {
    const month = chinaMonthFrom(-1);
    const out: Update[] = [];
    for (let i = 0; i < count; i++) {
      const domain = DOMAINS[i % 3];
      const t = Math.floor(i / 3) % TARGETS;
      const k = Math.floor(i / (3 * TARGETS)) + 1;
      const target = this.targets.get(domain)![t];
      out.push(this.update(domain, target, k, i, month));
    }
    return out;
  }

  private update(domain: Domain, target: string, k: number, i: number, month: string): Update {
    const unit = UNIT[domain];
    const sign = (type: string, subject: string, data: unknown) => () =>
      signedIngestMessage(
        createEvent({ type, service: `${domain}-system`, subject, region: REGION, data }),
        { unit, region: REGION },
      );
    let update: Update;
    if (domain === 'projects') {
      const [projectId, milestoneId] = target.split('/');
      const forecastDate = dateAfter('2027-01-01', k);
      update = {
        domain,
        key: `${milestoneId}|${forecastDate}`,
        message: sign(ProjectEventTypes.ingestForecastReported, milestoneId, {
          projectId,
          milestoneId,
          forecastDate,
        }),
      };
    } else if (domain === 'parks') {
      const employees = i + 1;
      update = {
        domain,
        key: `${target}|${employees}`,
        message: sign(ParksEventTypes.ingestIndicatorsSubmitted, target, {
          parkId: target,
          month,
          indicators: {
            outputValueWan: '86500.00',
            industrialValueAddedWan: '21300.00',
            taxWan: '1930.25',
            fixedInvestmentWan: '12000.00',
            employees,
          },
        }),
      };
    } else {
      const [workId, sectionId] = target.split('/');
      const progressPct = k / 100;
      update = {
        domain,
        key: `${sectionId}|${progressPct}`,
        message: sign(TransportEventTypes.ingestSectionProgressReported, workId, {
          workId,
          sectionId,
          progressPct,
        }),
      };
    }
    this.expected.get(domain)!.add(update.key);
    return update;
  }

  /** Raw records onto a domain's ingest topic. */
  async send(domain: Domain, messages: Message[]): Promise<void> {
    await this.producer.send({ topic: this.topics.name(INGEST[domain]), messages });
  }

  /**
   * Sends `items` at a steady pace over `durationMs`, every 50 ms a slice; `onTick` runs
   * between slices (a fault injector may start or stop there). Resolves once all are sent.
   */
  async stream(
    items: { domain: Domain; message: () => Message }[],
    durationMs = SEND_MS,
  ): Promise<void> {
    const ticks = Math.max(1, Math.round(durationMs / 50));
    const per = Math.ceil(items.length / ticks);
    let start = Date.now();
    this.streamed = 0;
    for (let t = 0; t * per < items.length; t++) {
      if (this.hold) {
        const held = Date.now();
        await this.hold(t * per);
        start += Date.now() - held;
      }
      const slice = items.slice(t * per, (t + 1) * per);
      // Built once: a slice sent again after a broker failure carries the same events (ids).
      const topicMessages = DOMAINS.map((d) => ({
        topic: this.topics.name(INGEST[d]),
        messages: slice.filter((u) => u.domain === d).map((u) => u.message()),
      })).filter((tm) => tm.messages.length > 0);
      // As a department system would: while the broker is away, keep the slice and try again.
      for (;;) {
        try {
          await this.producer.sendBatch({ topicMessages });
          this.streamed += slice.length;
          break;
        } catch (err) {
          this.sendFailures++;
          if (this.stopping) throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      const wait = start + (t + 1) * 50 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** What each service holds against what was sent (null while its database is unreachable). */
  async tally(domain: Domain): Promise<Tally | null> {
    const pool = this.pools.get(domain)!;
    try {
      const effects = await pool.query<{ key: string }>(
        `SELECT ${EFFECT_KEY[domain]} AS key FROM outbox WHERE event_type = $1`,
        [EFFECT[domain]],
      );
      const inbox = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox WHERE topic = $1`,
        [this.topics.name(INGEST[domain])],
      );
      const expected = this.expected.get(domain)!;
      const seen = new Set(effects.rows.map((r) => r.key));
      let lost = 0;
      for (const key of expected) if (!seen.has(key)) lost++;
      let unexpected = 0;
      for (const key of seen) if (!expected.has(key)) unexpected++;
      return {
        sent: expected.size,
        applied: effects.rows.length,
        lost,
        duplicated: effects.rows.length - seen.size,
        unexpected,
        inbox: inbox.rows[0].n,
      };
    } catch {
      return null;
    }
  }

  /** All three, summed; null while any database is unreachable. */
  async total(): Promise<Tally | null> {
    const all = await Promise.all(DOMAINS.map((d) => this.tally(d)));
    if (all.some((t) => t === null)) return null;
    return all.reduce<Tally>(
      (sum, t) => ({
        sent: sum.sent + t!.sent,
        applied: sum.applied + t!.applied,
        lost: sum.lost + t!.lost,
        duplicated: sum.duplicated + t!.duplicated,
        unexpected: sum.unexpected + t!.unexpected,
        inbox: sum.inbox + t!.inbox,
      }),
      { sent: 0, applied: 0, lost: 0, duplicated: 0, unexpected: 0, inbox: 0 },
    );
  }

  /** Each service's group has committed up to the high-water mark of its ingest topic. */
  async lag(): Promise<number> {
    let lag = 0;
    for (const d of DOMAINS) lag += await this.groupLag(d, INGEST[d]);
    return lag;
  }

  /** What `service`'s consumer group has not committed of a (logical) topic. */
  async groupLag(service: ServiceName, logical: string): Promise<number> {
    const topic = this.topics.name(logical);
    const groupId = `${this.topics.config.topicPrefix}duban-${service}`;
    const [high, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(topic),
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const at = new Map(committed[0].partitions.map((p) => [p.partition, BigInt(p.offset)]));
    let lag = 0;
    for (const p of high) {
      const c = at.get(p.partition) ?? -1n;
      lag += Number(BigInt(p.high) - (c < 0n ? 0n : c));
    }
    return lag;
  }

  /**
   * What a downstream service holds of the forecast changes the projects service applied (its
   * outbox, published by its relay onto the projects topic): `sent` is every valid projects
   * update, `applied` its inbox rows of those events, `lost` updates whose event it has not
   * applied, `duplicated` second events of one update it applied; `stale` milestones whose
   * timetable row (scheduler) or fact (evaluation) does not stand at the last forecast.
   */
  async downstreamTally(service: Downstream): Promise<DownstreamTally | null> {
    try {
      const events = await this.pools
        .get('projects')!
        .query<{ id: string; key: string }>(
          `SELECT event_id::text AS id, ${EFFECT_KEY.projects} AS key FROM outbox WHERE event_type = $1`,
          [EFFECT.projects],
        );
      const keyOf = new Map(events.rows.map((r) => [r.id, r.key]));
      const pool = this.pools.get(service)!;
      const topic = this.topics.name(Topics.projects);
      const inbox = await pool.query<{ id: string }>(
        `SELECT event_id::text AS id FROM inbox WHERE topic = $1 AND event_id = ANY($2::uuid[])`,
        [topic, [...keyOf.keys()]],
      );
      const all = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox WHERE topic = $1`,
        [topic],
      );
      const expected = this.expected.get('projects')!;
      const applied = inbox.rows.map((r) => keyOf.get(r.id)!);
      const seen = new Set(applied);
      let lost = 0;
      for (const key of expected) if (!seen.has(key)) lost++;
      let unexpected = 0;
      for (const key of seen) if (!expected.has(key)) unexpected++;
      // Each milestone's last forecast (forecasts only move later in the stream) and its event.
      const last = new Map<string, string>();
      for (const key of expected) {
        const [milestone, date] = key.split('|');
        if ((last.get(milestone) ?? '') < date) last.set(milestone, date);
      }
      const milestones = [...last.keys()];
      let state: { m: string; at: string }[];
      if (service === 'scheduler') {
        state = (
          await pool.query<{ m: string; at: string }>(
            `SELECT milestone_id::text AS m, forecast_date::text AS at FROM timetable
              WHERE milestone_id = ANY($1::uuid[])`,
            [milestones],
          )
        ).rows;
      } else {
        // The fact holds the id of the last event it took; mapped back to its forecast date.
        const dateOf = new Map([...keyOf].map(([id, key]) => [id, key.split('|')[1]]));
        state = (
          await pool.query<{ m: string; id: string }>(
            `SELECT fact_key AS m, event_id::text AS id FROM facts
              WHERE measure = 'milestones-on-time' AND fact_key = ANY($1)`,
            [milestones],
          )
        ).rows.map((r) => ({ m: r.m, at: dateOf.get(r.id) ?? `event ${r.id}` }));
      }
      const at = new Map(state.map((r) => [r.m, r.at]));
      const stale = milestones.filter((m) => at.get(m) !== last.get(m)).length;
      return {
        sent: expected.size,
        applied: applied.length,
        lost,
        duplicated: applied.length - seen.size,
        unexpected,
        inbox: all.rows[0].n,
        stale,
        rows: state.length,
      };
    } catch {
      return null;
    }
  }

  /** Every downstream service has applied every forecast change and stands at the last. */
  private async downstreamCaughtUp(): Promise<boolean> {
    if (!this.downstream) return true;
    for (const d of DOWNSTREAM) {
      const t = await this.downstreamTally(d);
      // Not the group's lag: the relay writes the projects topic in transactions, whose commit
      // markers hold offsets a consumer never commits past.
      if (!t || t.lost > 0 || t.stale > 0) return false;
    }
    return true;
  }

  /** Records in the ingest topics' dead-letter topics (and the projects topic's, downstream). */
  async deadLetters(): Promise<number> {
    let n = 0;
    const logical = [
      ...DOMAINS.map((d) => INGEST[d]),
      ...(this.downstream ? [Topics.projects] : []),
    ];
    for (const t of logical) {
      const offsets = await this.admin
        .fetchTopicOffsets(this.topics.name(dlqTopic(t)))
        .catch(() => (t === Topics.projects ? [] : Promise.reject(new Error(`no ${t} DLQ`))));
      for (const p of offsets) n += Number(BigInt(p.high) - BigInt(p.low));
    }
    return n;
  }

  /**
   * The barrier: every valid update applied and every ingest record committed. Resolves with
   * the tally then, or throws with the last one after `timeoutMs`.
   */
  async settled(timeoutMs = 120000, extra: () => Promise<boolean> = async () => true) {
    const deadline = Date.now() + timeoutMs;
    let last: Tally | null = null;
    let traced = Date.now();
    for (;;) {
      for (const s of this.services.values()) {
        const proc = s.proc;
        if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
          throw new Error(
            `${s.name} (pid ${proc.child.pid}) exited by itself (code ${proc.child.exitCode}, ` +
              `signal ${proc.child.signalCode}):\n${proc.output.slice(-60).join('\n')}`,
          );
        }
      }
      last = (await this.total()) ?? last;
      if (
        last &&
        last.lost === 0 &&
        (await this.lag().catch(() => 1)) === 0 &&
        (await this.downstreamCaughtUp().catch(() => false)) &&
        (await extra().catch(() => false))
      ) {
        return last;
      }
      if (Date.now() > deadline) {
        throw new Error(`not settled within ${timeoutMs} ms: ${JSON.stringify(last)}`);
      }
      if (Date.now() - traced > 10000) {
        traced = Date.now();
        trace(
          `settling: ${JSON.stringify(last)} lag=${await this.lag().catch(() => -1)}` +
            (this.downstream
              ? ` downstream=${JSON.stringify(await Promise.all(DOWNSTREAM.map((d) => this.downstreamTally(d))))}`
              : ''),
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    await Promise.all(
      [...this.services.values()].map(async (s) => {
        await s.proc?.kill('SIGTERM');
        s.proc = null;
      }),
    );
    for (const pool of this.pools.values()) await pool.end().catch(() => undefined);
    for (const s of this.services.values()) await s.db.drop().catch(() => undefined);
    if (!this.topics) return;
    await this.topics?.drop();
  }

  /**
   * Whether `service`'s outbox relay is mid-batch now, and how many outbox rows are unpublished:
   * its connection's last statement is the batch read (idle: the batch is on its way to Kafka,
   * not yet marked published), and rows committed well before that read began (so it returned
   * them) are still unpublished.
   */
  async relayMidBatch(service: ServiceName): Promise<{ midBatch: boolean; unpublished: number }> {
    const { rows } = await this.pools.get(service)!.query<{ mid: boolean; unpublished: number }>(
      `WITH relay AS (
         SELECT query_start FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'idle'
            AND query LIKE 'SELECT sequence, event_id%'
       )
       SELECT EXISTS (
                SELECT 1 FROM outbox, relay
                 WHERE published_at IS NULL
                   AND created_at < relay.query_start - interval '100 milliseconds'
              ) AS mid,
              (SELECT count(*)::int FROM outbox WHERE published_at IS NULL) AS unpublished`,
    );
    return { midBatch: rows[0].mid, unpublished: rows[0].unpublished };
  }

  /**
   * The proof a dead relay was mid-batch: its outbox rows still unpublished (read once its
   * process is gone) that a checkpoint record on its checkpoint topic names, committed or not
   * (read uncommitted, before the restart fences the dead transaction). Such a row was read
   * and sent to Kafka by the relay and not yet marked published when it died.
   */
  async sentUnmarked(service: ServiceName): Promise<number> {
    const unpublished = new Set(
      (
        await this.pools
          .get(service)!
          .query<{ id: string }>(
            `SELECT event_id::text AS id FROM outbox WHERE published_at IS NULL`,
          )
      ).rows.map((r) => r.id),
    );
    if (unpublished.size === 0) return 0;
    const topic = outboxCheckpointSpec(service, this.topics.config.topicPrefix).name;
    const [offsets] = await this.admin.fetchTopicOffsets(topic);
    const from = Math.max(Number(offsets.low), Number(offsets.high) - 5);
    const groupId = `${topic}.recovery.${randomUUID()}`;
    const consumer = this.topics.kafka.consumer({
      groupId,
      readUncommitted: true,
      maxWaitTimeInMs: 100,
    });
    const named = new Set<string>();
    let lastAt = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => (lastAt = Date.now()));
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          lastAt = Date.now();
          if (!message.value) return;
          const { eventIds } = JSON.parse(message.value.toString()) as { eventIds: string[] };
          for (const id of eventIds) if (unpublished.has(id)) named.add(id);
        },
      });
      consumer.seek({ topic, partition: 0, offset: String(from) });
      // The scan ends when nothing more arrives for 2 s after the join (a tail of five records).
      const started = Date.now();
      while ((lastAt === 0 || Date.now() - lastAt < 2000) && Date.now() - started < 20000) {
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await consumer.disconnect();
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return named.size;
  }

  /** The last lines a service printed (for a failure message). */
  tail(domain: ServiceName, lines = 30): string {
    return (this.services.get(domain)?.proc?.output ?? []).slice(-lines).join('\n');
  }
}

/** Reads one endpoint per service every 100 ms while a scenario runs; counts 5xx answers. */
export function watchHttp(stack: FaultStack): { stop(): Promise<number> } {
  let fivexx = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      await Promise.all(
        stack.readPaths().map(async ([domain, path]) => {
          try {
            if ((await stack.http(domain, path)).status >= 500) fivexx++;
          } catch {
            // A service that is down refuses the connection: not a 5xx.
          }
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return fivexx;
    },
  };
}

export function faultLine(
  name: string,
  t: Tally,
  dlq: number,
  fivexx: number,
  recoveredS: number,
): string {
  return (
    `fault=${name} sent=${t.sent} applied=${t.applied} lost=${t.lost} ` +
    `duplicated=${t.duplicated} dlq=${dlq} 5xx=${fivexx} recovered_s=${recoveredS.toFixed(1)}`
  );
}

/** What one ingest scenario measured (its figure line is printed already). */
export interface ScenarioResult {
  tally: Tally;
  dlq: number;
  fivexx: number;
  recoveredS: number;
}

/**
 * The frame every ingest fault scenario shares: the fixed stream sent while `fault` runs beside
 * it (resolving with the moment the fault ended), the 5xx count meanwhile, the barrier (every
 * update applied, every record committed), the figure line, and the verdict: every update
 * applied exactly once, nothing dead-lettered.
 */
export async function runScenario(
  stack: FaultStack,
  name: string,
  fault: () => Promise<number>,
  settleMs = 180000,
  sendMs = SEND_MS,
): Promise<ScenarioResult> {
  const updates = stack.updates();
  const http = watchHttp(stack);
  const [, faultEnd] = await Promise.all([stack.stream(updates, sendMs), fault()]);
  const tally = await stack.settled(settleMs);
  const recoveredS = (Date.now() - faultEnd) / 1000;
  const fivexx = await http.stop();
  const dlq = await stack.deadLetters();
  console.log(faultLine(name, tally, dlq, fivexx, recoveredS));
  expect(tally).toMatchObject({
    sent: updates.length,
    applied: updates.length,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
    inbox: updates.length,
  });
  expect(dlq).toBe(0);
  return { tally, dlq, fivexx, recoveredS };
}
