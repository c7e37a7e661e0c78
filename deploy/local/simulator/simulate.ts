/**
 * `npm run simulate`: plays the county's department systems against a running stack, so a
 * screen watching the scheduler sees alerts raised and resolved. Each tick it reads the
 * projects and their milestones over HTTP, picks one action (see actions.ts) and plays it as
 * the unit that owns it, over HTTP or the ingest topic `duban.projects.ingest.v1`.
 *
 *   npm run simulate -- --actions 12 --interval 1 --seed 42
 *
 * Options (flag, else env): --projects-url (DUBAN_SIM_PROJECTS_URL, http://127.0.0.1:3001),
 * --scheduler-url (DUBAN_SIM_SCHEDULER_URL, http://127.0.0.1:3005; only for the summary),
 * --brokers (DUBAN_KAFKA_BROKERS, 127.0.0.1:9092), --interval seconds (DUBAN_SIM_INTERVAL, 5),
 * --actions N (DUBAN_SIM_ACTIONS, unlimited), --seed (DUBAN_SIM_SEED, random and printed).
 * Exits 1 only when the projects service or Kafka cannot be reached at start; a refused action
 * is logged and the run goes on. Ctrl-C stops after the current action.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Consumer, Producer } from 'kafkajs';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  INGEST_REJECTED,
  ProjectEventTypes,
  Topics,
  chinaDate,
  chinaMonth,
  createEvent,
  encodeEvent,
} from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { createIdempotentProducer, createKafka, kafkaConfigFor } from '@duban/messaging';
import {
  Action,
  SimMilestone,
  SimProject,
  SimReport,
  World,
  buildProgressReport,
  chooseAction,
  createRng,
  emptyPlayed,
  reportKey,
} from './actions';

const TAG = '[simulate]';
const HTTP_TIMEOUT_MS = 10000;
/** How long an id stays out of the candidates after a Kafka update (it lands asynchronously). */
const BUSY_MS = 30000;
const USAGE = `usage: npm run simulate -- [--projects-url URL] [--scheduler-url URL] [--brokers HOST:PORT,...]
                         [--interval SECONDS] [--actions N] [--seed SEED]`;

const say = (line: string): void => void process.stdout.write(`${TAG} ${line}\n`);
const warn = (line: string): void => void process.stderr.write(`${TAG} ${line}\n`);

interface Options {
  projectsUrl: string;
  schedulerUrl: string;
  brokers: string;
  intervalMs: number;
  actions: number | null;
  seed: string;
}

class UsageError extends Error {}

function optionsFrom(args: string[], env: NodeJS.ProcessEnv): Options {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      'projects-url': { type: 'string' },
      'scheduler-url': { type: 'string' },
      brokers: { type: 'string' },
      interval: { type: 'string' },
      actions: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError('');
  const interval = Number(values.interval ?? env.DUBAN_SIM_INTERVAL ?? '5');
  if (!Number.isFinite(interval) || interval < 0) {
    throw new UsageError('--interval must be a number of seconds, 0 or more');
  }
  const actionsRaw = values.actions ?? env.DUBAN_SIM_ACTIONS;
  let actions: number | null = null;
  if (actionsRaw !== undefined && actionsRaw !== '') {
    if (!/^\d+$/.test(actionsRaw)) throw new UsageError('--actions must be a whole number');
    actions = Number(actionsRaw);
  }
  const trim = (url: string): string => url.replace(/\/+$/, '');
  return {
    projectsUrl: trim(
      values['projects-url'] ?? env.DUBAN_SIM_PROJECTS_URL ?? 'http://127.0.0.1:3001',
    ),
    schedulerUrl: trim(
      values['scheduler-url'] ?? env.DUBAN_SIM_SCHEDULER_URL ?? 'http://127.0.0.1:3005',
    ),
    brokers: values.brokers ?? env.DUBAN_KAFKA_BROKERS ?? '127.0.0.1:9092',
    intervalMs: Math.round(interval * 1000),
    actions,
    seed: values.seed ?? env.DUBAN_SIM_SEED ?? String(Date.now() % 1_000_000),
  };
}

// ---------------------------------------------------------------------------------------------
// Tokens: one per unit (and region) the simulator plays, plus a supervisor's for reading.

class Tokens {
  private readonly secret = authSecretFrom();
  private readonly cache = new Map<string, string>();
  readonly reader = signToken({ subject: 'duban-simulator', role: 'supervisor' }, this.secret, {
    expiresIn: '1d',
  });

  forUnit(unit: string, region: string): string {
    const key = `${unit}@${region}`;
    let token = this.cache.get(key);
    if (!token) {
      token = signToken(
        { subject: `simulator-${unit.toLowerCase()}`, role: 'department', unit, region },
        this.secret,
        { expiresIn: '1d' },
      );
      this.cache.set(key, token);
    }
    return token;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  status: number;
  body: unknown;
}

async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['idempotency-key'] = `duban-simulator-${randomUUID()}`;
  }
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** "409 conflict: a report for 2026-05 exists …" from an RFC 9457 problem. */
function describeRefusal(a: Answer): string {
  const p = (a.body ?? {}) as { title?: string; detail?: string; errors?: unknown };
  const detail = p.detail ?? p.title ?? (typeof a.body === 'string' ? a.body : '');
  const errors = Array.isArray(p.errors) ? ` ${JSON.stringify(p.errors)}` : '';
  return `${a.status} ${detail}${errors}`.slice(0, 300);
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error && !err.message.includes(cause.message)
      ? `${err.message} (${cause.message})`
      : err.message;
  }
  return String(err);
}

// ---------------------------------------------------------------------------------------------

class Simulator {
  private readonly tokens = new Tokens();
  private readonly rng;
  private readonly played = emptyPlayed();
  private readonly busy = new Map<string, number>();
  /** Event ids sent over Kafka, to match `duban.ingest.rejected` announcements. */
  private readonly sent = new Map<string, string>();
  private topicPrefix = '';
  private producer: Producer | null = null;
  private consumer: Consumer | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private refused = 0;
  private lastKafkaSendAt = 0;

  constructor(private readonly o: Options) {
    this.rng = createRng(o.seed);
  }

  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** False (after saying why) when the projects service or Kafka is unreachable. */
  async start(): Promise<boolean> {
    const hint =
      'start the stack and the services first: `npm run stack:up`, then `npm start` ' +
      '(or `npx ts-node --transpile-only -r tsconfig-paths/register apps/projects/src/main.ts`)';
    try {
      const ready = await fetch(`${this.o.projectsUrl}/health/ready`, {
        signal: AbortSignal.timeout(5000),
      });
      if (ready.status !== 200) {
        warn(
          `the projects service at ${this.o.projectsUrl} is not ready (${ready.status}); ${hint}`,
        );
        return false;
      }
    } catch (err) {
      warn(
        `cannot reach the projects service at ${this.o.projectsUrl}: ${errorText(err)}; ${hint}`,
      );
      return false;
    }
    try {
      const ready = await fetch(`${this.o.schedulerUrl}/health/ready`, {
        signal: AbortSignal.timeout(3000),
      });
      if (ready.status !== 200) warn(`note: the scheduler is not ready (${ready.status})`);
    } catch {
      warn(`note: no scheduler at ${this.o.schedulerUrl}: alerts will not be raised until it runs`);
    }

    // The simulator says itself what failed; kafkajs would log every retried connection too.
    process.env.DUBAN_KAFKA_LOG_LEVEL ??= 'nothing';
    const env = { ...process.env, DUBAN_KAFKA_BROKERS: this.o.brokers };
    const kafka = createKafka(kafkaConfigFor('duban-simulator', env));
    this.topicPrefix = kafkaConfigFor('duban-simulator', env).topicPrefix;
    const producer = createIdempotentProducer(kafka);
    try {
      await producer.connect();
      this.producer = producer;
    } catch (err) {
      warn(
        `cannot reach Kafka at ${this.o.brokers}: ${errorText(err)}; ` +
          'run `npm run stack:up` (or `bash deploy/local/kafka.sh start`) first',
      );
      await producer.disconnect().catch(() => undefined);
      return false;
    }
    await this.listenForRejections(kafka).catch((err) =>
      warn(`note: not listening for ingest rejections: ${errorText(err)}`),
    );
    return true;
  }

  /** Reports `duban.ingest.rejected` announcements about what this run sent. */
  private async listenForRejections(kafka: ReturnType<typeof createKafka>): Promise<void> {
    const consumer = kafka.consumer({
      groupId: `duban-simulator-${process.pid}-${Date.now()}`,
      sessionTimeout: 10000,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topicPrefix + Topics.projects, fromBeginning: false });
    // No offsets committed: the throwaway group leaves nothing behind on the broker.
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        let event: { type?: string; data?: Record<string, unknown> };
        try {
          event = JSON.parse(message.value?.toString() ?? '{}') as typeof event;
        } catch {
          return;
        }
        if (event.type !== INGEST_REJECTED || !event.data) return;
        const label = this.sent.get(String(event.data.rejectedEventId));
        if (!label) return;
        this.refused++;
        say(`refused over Kafka: ${label}: ${event.data.reason}: ${event.data.message}`);
      },
    });
  }

  async run(): Promise<void> {
    const { o } = this;
    say(
      `playing the departments against ${o.projectsUrl} and Kafka ${o.brokers}: ` +
        `seed ${o.seed}, every ${o.intervalMs / 1000} s, ` +
        `${o.actions === null ? 'until Ctrl-C' : `${o.actions} action(s)`}`,
    );
    for (let n = 0; !this.stopping && (o.actions === null || n < o.actions); n++) {
      if (n > 0) await this.sleep(o.intervalMs);
      if (this.stopping) break;
      await this.tick().catch((err) => warn(`action failed: ${errorText(err)}; going on`));
    }
    // Give the services a moment to announce any refusal of the last Kafka updates.
    if (this.consumer && Date.now() - this.lastKafkaSendAt < 3000 && !this.stopping) {
      await this.sleep(3000);
    }
  }

  async summary(): Promise<void> {
    const counts = Object.entries(this.played)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    let alerts = '';
    try {
      const open = await this.countAlerts('open');
      const resolved = await this.countAlerts('resolved');
      alerts = `; scheduler alerts now: ${open} open, ${resolved} resolved`;
    } catch {
      // the scheduler is optional
    }
    say(`played ${counts}; ${this.refused} refused over Kafka${alerts}`);
  }

  private async countAlerts(state: string): Promise<string> {
    let total = 0;
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const q = `/api/v1/alerts?state=${state}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const a = await call(this.o.schedulerUrl, 'GET', q, this.tokens.reader);
      if (a.status !== 200) throw new Error(describeRefusal(a));
      const body = a.body as { items: unknown[]; nextCursor: string | null };
      total += body.items.length;
      cursor = body.nextCursor;
      if (!cursor) return String(total);
    }
    return `${total}+`;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.consumer?.disconnect(), this.producer?.disconnect()]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = () => done();
      this.wake = wake;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.wake = null;
    });
  }

  private async tick(): Promise<void> {
    const now = new Date();
    for (const [id, until] of this.busy) if (until <= now.getTime()) this.busy.delete(id);
    const world = await this.readWorld();
    const action = chooseAction(world, {
      today: chinaDate(now),
      rng: this.rng,
      played: this.played,
      busy: new Set(this.busy.keys()),
    });
    if (!action) {
      say('nothing to play: no active project or pending milestone');
      return;
    }
    this.played[action.kind]++;
    await this.play(action, chinaMonth(now));
  }

  private async readWorld(): Promise<World> {
    const projects: SimProject[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const path: string = `/api/v1/projects?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const a: { items: SimProject[]; nextCursor: string | null } = await this.read(path);
      projects.push(...a.items);
      cursor = a.nextCursor;
      if (!cursor) break;
    }
    const milestones = await Promise.all(
      projects.map((p) => this.read<SimMilestone[]>(`/api/v1/projects/${p.id}/milestones`)),
    );
    return { projects: projects.map((project, i) => ({ project, milestones: milestones[i] })) };
  }

  private async read<T>(path: string): Promise<T> {
    const a = await call(this.o.projectsUrl, 'GET', path, this.tokens.reader);
    if (a.status !== 200) throw new Error(`GET ${path}: ${describeRefusal(a)}`);
    return a.body as T;
  }

  private async play(action: Action, month: string): Promise<void> {
    const { project } = action;
    const about = `(project ${short(project.name)} ${project.code})`;
    switch (action.kind) {
      case 'report': {
        const reports = await this.read<SimReport[]>(
          `/api/v1/projects/${project.id}/progress-reports`,
        );
        const plan = buildProgressReport(project, reports, month, this.rng);
        if (plan.outcome === 'skip') {
          say(`${project.leadUnit} skipped the ${month} progress report ${about}: ${plan.why}`);
          return;
        }
        const b = plan.body;
        const what =
          `${b.correction ? 'corrected' : 'reported'} ${month} progress ${about}: ` +
          `cumulative ${b.cumulativeInvestmentWan} 万元, ${b.physicalProgressPct}%` +
          (b.problems.length ? `, problem「${b.problems[0].description}」` : '') +
          (b.coordinationRequests.length
            ? `, asks「${b.coordinationRequests[0].description}」`
            : '');
        this.busy.set(reportKey(project.id), Date.now() + BUSY_MS);
        if (action.transport === 'http') {
          await this.post(
            project.leadUnit,
            project,
            `/api/v1/projects/${project.id}/progress-reports`,
            b,
            what,
          );
        } else {
          await this.ingest(project.leadUnit, project, ProjectEventTypes.ingestProgressReported, {
            subject: project.id,
            data: { projectId: project.id, report: b },
            what,
          });
        }
        return;
      }
      case 'complete': {
        const m = action.milestone;
        const late = m.currentPlannedDate < action.body.actualDate ? ', late' : '';
        const what = `completed ${m.name} on ${action.body.actualDate} (due ${m.currentPlannedDate}${late}) ${about}`;
        this.busy.set(m.id, Date.now() + BUSY_MS);
        if (action.transport === 'http') {
          await this.post(
            m.ownerUnit,
            project,
            `/api/v1/projects/${project.id}/milestones/${m.id}/complete`,
            action.body,
            what,
          );
        } else {
          await this.ingest(m.ownerUnit, project, ProjectEventTypes.ingestCompletionReported, {
            subject: m.id,
            data: { projectId: project.id, milestoneId: m.id, ...action.body },
            what,
          });
        }
        return;
      }
      case 'create': {
        const b = action.body;
        await this.post(
          project.leadUnit,
          project,
          `/api/v1/projects/${project.id}/milestones`,
          b,
          `set milestone ${b.name} for ${b.ownerUnit}, due ${b.plannedDate} ${about}`,
        );
        return;
      }
      case 'reschedule': {
        const m = action.milestone;
        this.busy.set(m.id, Date.now() + BUSY_MS);
        await this.post(
          project.leadUnit,
          project,
          `/api/v1/projects/${project.id}/milestones/${m.id}/reschedule`,
          action.body,
          `rescheduled ${m.name} from ${m.currentPlannedDate} to ${action.body.plannedDate}` +
            `「${action.body.reason}」 ${about}`,
        );
        return;
      }
      case 'forecast': {
        const m = action.milestone;
        this.busy.set(m.id, Date.now() + BUSY_MS);
        await this.ingest(m.ownerUnit, project, ProjectEventTypes.ingestForecastReported, {
          subject: m.id,
          data: { projectId: project.id, milestoneId: m.id, ...action.body },
          what: `forecasts ${m.name} for ${action.body.forecastDate}, after its plan ${m.currentPlannedDate} ${about}`,
        });
        return;
      }
    }
  }

  private async post(
    unit: string,
    project: SimProject,
    path: string,
    body: unknown,
    what: string,
  ): Promise<void> {
    const token = this.tokens.forUnit(unit, project.regionCode);
    let a: Answer;
    try {
      a = await call(this.o.projectsUrl, 'POST', path, token, body);
    } catch (err) {
      warn(`${unit} could not send over HTTP: ${what}: ${errorText(err)}`);
      return;
    }
    if (a.status >= 200 && a.status < 300) say(`${unit} ${what} over HTTP`);
    else say(`${unit} was refused: ${what}: ${describeRefusal(a)}`);
  }

  private async ingest(
    unit: string,
    project: SimProject,
    type: string,
    e: { subject: string; data: unknown; what: string },
  ): Promise<void> {
    if (!this.producer) throw new Error('the Kafka producer is not connected');
    const event = createEvent({
      type,
      service: 'simulator',
      subject: e.subject,
      region: project.regionCode,
      partitionKey: project.id,
      data: e.data,
    });
    this.sent.set(event.id, `${unit} ${e.what}`);
    try {
      await this.producer.send({
        topic: this.topicPrefix + Topics.projectsIngest,
        acks: -1,
        messages: [
          {
            key: project.id,
            value: encodeEvent(event),
            headers: {
              authorization: `Bearer ${this.tokens.forUnit(unit, project.regionCode)}`,
              'content-type': CLOUDEVENTS_CONTENT_TYPE,
              ce_type: type,
            },
          },
        ],
      });
      this.lastKafkaSendAt = Date.now();
      say(`${unit} ${e.what} over Kafka`);
    } catch (err) {
      warn(`${unit} could not send over Kafka: ${e.what}: ${errorText(err)}`);
    }
  }
}

const short = (name: string, max = 14): string =>
  name.length > max ? `${name.slice(0, max)}…` : name;

async function main(): Promise<number> {
  let options: Options;
  try {
    options = optionsFrom(process.argv.slice(2), process.env);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message ? `${message}\n` : ''}${USAGE}\n`);
    return err instanceof UsageError && !message ? 0 : 2;
  }
  const sim = new Simulator(options);
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      warn(`${signal} again: exiting now`);
      process.exit(130);
    }
    say(`${signal}: stopping after the current action`);
    sim.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    if (!(await sim.start())) return 1;
    await sim.run();
    await sim.summary();
    return 0;
  } finally {
    await sim.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    warn(`failed: ${errorText(err)}`);
    process.exitCode = 1;
  },
);
