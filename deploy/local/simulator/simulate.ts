/**
 * `npm run simulate`: plays the county's department systems against a running stack, so a
 * screen watching the scheduler sees alerts raised and resolved. Each tick it reads the
 * projects (with their milestones), parks (campaigns and tasks) and transport works (gates and
 * sections) over HTTP, picks one action, spreading them evenly over the three domains (see
 * mix.ts and the pure *-actions.ts), and plays it as the unit that owns it, over HTTP or the
 * domain's ingest topic (`duban.<domain>.ingest.v1`): progress reports, milestones completed,
 * set, rescheduled or slipping; park indicators, campaign tasks completed or slipping; gates
 * met or slipping, section progress. After each, it plays the supervision loop once
 * (supervisor-io.ts): a supervisor approves or rejects a change request or verifies (销号) a
 * resolved alert, or an owner unit acknowledges an open alert with a commitment date.
 *
 *   npm run simulate -- --actions 12 --interval 1 --seed 42
 *
 * Options (flag, else env): --projects-url (DUBAN_SIM_PROJECTS_URL, http://127.0.0.1:3001),
 * --parks-url (DUBAN_SIM_PARKS_URL, http://127.0.0.1:3002), --transport-url
 * (DUBAN_SIM_TRANSPORT_URL, http://127.0.0.1:3003), --scheduler-url (DUBAN_SIM_SCHEDULER_URL,
 * http://127.0.0.1:3005; only for the summary), --brokers (DUBAN_KAFKA_BROKERS, 127.0.0.1:9092),
 * --interval seconds (DUBAN_SIM_INTERVAL, 5), --actions N (DUBAN_SIM_ACTIONS, unlimited),
 * --seed (DUBAN_SIM_SEED, random and printed).
 * Exits 1 only when the projects service or Kafka cannot be reached at start; parks or
 * transport unreachable then is a warning and the run plays the others. A refused action is
 * logged and the run goes on. Ctrl-C stops after the current action.
 */
import { parseArgs } from 'node:util';
import { Consumer } from 'kafkajs';
import {
  INGEST_REJECTED,
  TopicName,
  Topics,
  chinaDate,
  chinaMonth,
  developmentUnlessSet,
} from '@duban/contracts';
import { createIdempotentProducer, createKafka } from '@duban/messaging';
import { createRng } from './actions';
import { Reader, Sender, Stage, Tokens, errorText, isReady, say, warn } from './client';
import { SimulatorKafka, simulatorKafka } from './kafka-io';
import { AnyAction, DOMAINS, Domain, KINDS_OF, Worlds, chooseNext, emptyPlayedAll } from './mix';
import { playParks, readParks } from './parks-io';
import { playProjects, readProjects } from './projects-io';
import { SupervisionTargets, superviseOnce } from './supervisor-io';
import { playTransport, readTransport } from './transport-io';

/** How long an id stays out of the candidates after a Kafka update (it lands asynchronously). */
const BUSY_MS = 30000;
const USAGE = `usage: npm run simulate -- [--projects-url URL] [--parks-url URL] [--transport-url URL]
                         [--scheduler-url URL] [--brokers HOST:PORT,...]
                         [--interval SECONDS] [--actions N] [--seed SEED]`;

interface Options {
  projectsUrl: string;
  parksUrl: string;
  transportUrl: string;
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
      'parks-url': { type: 'string' },
      'transport-url': { type: 'string' },
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
    parksUrl: trim(values['parks-url'] ?? env.DUBAN_SIM_PARKS_URL ?? 'http://127.0.0.1:3002'),
    transportUrl: trim(
      values['transport-url'] ?? env.DUBAN_SIM_TRANSPORT_URL ?? 'http://127.0.0.1:3003',
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

/** Where `duban.ingest.rejected` about each domain's ingest comes back. */
const DOMAIN_TOPIC: Record<Domain, TopicName> = {
  projects: Topics.projects,
  parks: Topics.parks,
  transport: Topics.transport,
};

class Simulator {
  private readonly tokens = new Tokens();
  private readonly send = new Sender(this.tokens);
  private readonly rng;
  private readonly played = emptyPlayedAll();
  private readonly busy = new Map<string, number>();
  private readonly readers: Record<Domain, Reader>;
  /** The domains whose service answered at start; projects always, or the run does not start. */
  private readonly domains = new Set<Domain>(['projects']);
  private consumer: Consumer | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private refused = 0;

  constructor(private readonly o: Options) {
    this.rng = createRng(o.seed);
    this.readers = {
      projects: new Reader(o.projectsUrl, this.tokens),
      parks: new Reader(o.parksUrl, this.tokens),
      transport: new Reader(o.transportUrl, this.tokens),
    };
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
    const hint = (app: string) =>
      'start the stack and the services first: `npm run stack:up`, then `npm start` ' +
      `(or \`npx ts-node --transpile-only -r tsconfig-paths/register apps/${app}/src/main.ts\`)`;
    if (!(await isReady(this.o.projectsUrl, 'projects service', 5000, hint('projects')))) {
      return false;
    }
    for (const domain of ['parks', 'transport'] as const) {
      const url = this.readers[domain].base;
      const going = 'going on without it';
      if (await isReady(url, `${domain} service`, 5000, `${going}; ${hint(domain)}`)) {
        this.domains.add(domain);
      }
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
    // A department system, not the broker's super user: see kafka-io.ts.
    let identity: SimulatorKafka;
    try {
      identity = await simulatorKafka({ ...process.env, DUBAN_KAFKA_BROKERS: this.o.brokers });
    } catch (err) {
      warn(errorText(err));
      return false;
    }
    say(`producing as Kafka principal ${identity.producer.sasl?.username}`);
    this.send.topicPrefix = identity.producer.topicPrefix;
    const producer = createIdempotentProducer(createKafka(identity.producer));
    try {
      await producer.connect();
      this.send.producer = producer;
    } catch (err) {
      warn(
        `cannot reach Kafka at ${this.o.brokers}: ${errorText(err)}; ` +
          'run `npm run stack:up` (or `bash deploy/local/kafka.sh start`) first',
      );
      await producer.disconnect().catch(() => undefined);
      return false;
    }
    if (!identity.listener) {
      warn('note: no integrator principal to read ingest rejections with: not reporting them');
      return true;
    }
    await this.listenForRejections(identity.listener).catch((err) =>
      warn(`note: not listening for ingest rejections: ${errorText(err)}`),
    );
    return true;
  }

  /**
   * Reports `duban.ingest.rejected` announcements about what this run sent, read as an
   * integrator (a department principal may read nothing).
   */
  private async listenForRejections(
    listener: NonNullable<SimulatorKafka['listener']>,
  ): Promise<void> {
    const consumer = createKafka(listener.config).consumer({
      groupId: listener.groupId,
      sessionTimeout: 10000,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.domains].map((d) => this.send.topicPrefix + DOMAIN_TOPIC[d]),
      fromBeginning: false,
    });
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
        const label = this.send.sent.get(String(event.data.rejectedEventId));
        if (!label) return;
        this.refused++;
        say(`refused over Kafka: ${label}: ${event.data.reason}: ${event.data.message}`);
      },
    });
  }

  async run(): Promise<void> {
    const { o } = this;
    const urls = [...this.domains].map((d) => this.readers[d].base).join(', ');
    say(
      `playing the departments (${[...this.domains].join(', ')}) against ${urls} ` +
        `and Kafka ${o.brokers}: seed ${o.seed}, every ${o.intervalMs / 1000} s, ` +
        `${o.actions === null ? 'until Ctrl-C' : `${o.actions} action(s)`}`,
    );
    for (let n = 0; !this.stopping && (o.actions === null || n < o.actions); n++) {
      if (n > 0) await this.sleep(o.intervalMs);
      if (this.stopping) break;
      await this.tick().catch((err) => warn(`action failed: ${errorText(err)}; going on`));
    }
    // Give the services a moment to announce any refusal of the last Kafka updates.
    if (this.consumer && Date.now() - this.send.lastKafkaSendAt < 3000 && !this.stopping) {
      await this.sleep(3000);
    }
  }

  async summary(): Promise<void> {
    const counts = DOMAINS.filter((d) => this.domains.has(d))
      .flatMap((d) => KINDS_OF[d])
      .map((k) => `${k} ${this.played[k]}`)
      .join(', ');
    let alerts = '';
    try {
      const states = ['open', 'acknowledged', 'resolved', 'closed'];
      const counts = await Promise.all(states.map((s) => this.countAlerts(s)));
      alerts = `; scheduler alerts now: ${states.map((s, i) => `${counts[i]} ${s}`).join(', ')}`;
    } catch {
      // the scheduler is optional
    }
    say(`played ${counts}; ${this.refused} refused over Kafka${alerts}`);
  }

  private async countAlerts(state: string): Promise<string> {
    const scheduler = new Reader(this.o.schedulerUrl, this.tokens);
    let total = 0;
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const q = `/api/v1/alerts?state=${state}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const body: { items: unknown[]; nextCursor: string | null } = await scheduler.get(q);
      total += body.items.length;
      cursor = body.nextCursor;
      if (!cursor) return String(total);
    }
    return `${total}+`;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.consumer?.disconnect(), this.send.producer?.disconnect()]);
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
    const worlds = await this.readWorlds();
    const action = chooseNext(worlds, {
      today: chinaDate(now),
      rng: this.rng,
      played: this.played,
      busy: new Set(this.busy.keys()),
    });
    if (!action) {
      say('nothing to play: no active project, pending milestone, task, gate or open section');
      return;
    }
    this.played[action.kind]++;
    const month = chinaMonth(now);
    const stage: Stage = {
      send: this.send,
      rng: this.rng,
      markBusy: (id) => this.busy.set(id, Date.now() + BUSY_MS),
    };
    await this.playDepartment(action, month, stage);
    // Then the other side of 督办: a supervisor's decision or an owner unit's commitment.
    await superviseOnce(this.supervision(), this.rng, chinaDate(now)).catch((err) =>
      warn(`supervision failed: ${errorText(err)}; going on`),
    );
  }

  private playDepartment(action: AnyAction, month: string, stage: Stage): Promise<void> {
    const r = this.readers;
    switch (action.kind) {
      case 'indicators':
      case 'task-complete':
      case 'task-forecast':
        return playParks(action, month, r.parks, stage);
      case 'gate-met':
      case 'gate-forecast':
      case 'section-progress':
        return playTransport(action, r.transport, stage);
      default:
        return playProjects(action, month, r.projects, stage);
    }
  }

  private supervision(): SupervisionTargets {
    return {
      domains: new Map([...this.domains].map((d) => [d, this.readers[d]] as const)),
      scheduler: new Reader(this.o.schedulerUrl, this.tokens),
      tokens: this.tokens,
    };
  }

  /** Each domain read alone: one that fails this tick sits it out, the others still play. */
  private async readWorlds(): Promise<Worlds> {
    const worlds: Worlds = {};
    const read = async <D extends Domain>(d: D, load: () => Promise<Worlds[D]>) => {
      if (!this.domains.has(d)) return;
      try {
        worlds[d] = await load();
      } catch (err) {
        warn(`could not read the ${d} service this time: ${errorText(err)}; going on`);
      }
    };
    await Promise.all([
      read('projects', () => readProjects(this.readers.projects)),
      read('parks', () => readParks(this.readers.parks)),
      read('transport', () => readTransport(this.readers.transport)),
    ]);
    return worlds;
  }
}

async function main(): Promise<number> {
  // Plays department systems against the local stack unless NODE_ENV says otherwise.
  developmentUnlessSet();
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
