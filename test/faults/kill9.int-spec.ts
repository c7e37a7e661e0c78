import {
  DOMAINS,
  DOWNSTREAM,
  Domain,
  DownstreamTally,
  FAULT_UPDATES,
  FaultStack,
  SEND_MS,
  ServiceName,
  Tally,
  runScenario,
  trace,
} from './fault-stack';

/**
 * Fault 3: each of the five services in turn (projects, parks, transport, evaluation, the
 * scheduler) is killed with SIGKILL at a random moment of the stream and started again on the
 * same database and consumer group before the next is killed. The stream is cut in five
 * slots, one per victim: the victim dies at a random moment of its slot, and the stream holds
 * at the end of the slot until the victim answers ready again. A domain service is killed
 * while its outbox relay is mid-batch when that can be caught within its slot (see
 * FaultStack.relayMidBatch). Whatever a victim had applied but not committed is fetched again,
 * and whatever its relay had sent but not marked published is sent again or recovered from
 * its checkpoint: the inboxes make both harmless. Evaluation and the scheduler are judged by
 * what they hold of the projects service's forecast changes (inbox, facts, timetable).
 */
// About 3 min on a loaded 2-core machine (five restarts of ~30 s each), 5 min at load 12.
jest.setTimeout(540000);

const VICTIMS: ServiceName[] = [...DOMAINS, ...DOWNSTREAM];

interface Kill {
  victim: ServiceName;
  pid: number;
  /** Share of the stream sent when it died. */
  at: number;
  midBatch: boolean;
  /** Outbox rows not marked published at the kill (read once the process was gone). */
  unpublished: number;
  /** Of those, rows a checkpoint of its relay names: sent to Kafka, not yet marked. */
  sentUnmarked: number;
  /** Its updates applied then (domain services) / forecast changes applied (downstream). */
  appliedThen: number;
  /** From the SIGKILL to answering ready again. */
  downS: number;
}

let stack: FaultStack;

beforeAll(async () => {
  stack = await FaultStack.start('kill9', 14121, {}, { downstream: true });
}, 240000);

afterAll(async () => {
  stack.hold = null;
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isDomain = (s: ServiceName): s is Domain => (DOMAINS as readonly string[]).includes(s);

it('each service killed with SIGKILL in turn mid-stream (a relay mid-batch among them) and restarted: nothing lost, nothing twice', async () => {
  const kills: Kill[] = [];
  const slot = FAULT_UPDATES / VICTIMS.length;
  /** Resolves once victim i is ready again (the stream waits on it at the end of slot i). */
  const back: Promise<void>[] = [];
  stack.hold = async (sent) => {
    const i = Math.floor(sent / slot) - 1;
    if (i >= 0 && i < VICTIMS.length) {
      // Slot i is over: victim i must have died by now and be ready again before slot i+1.
      while (back[i] === undefined) await sleep(20);
      await back[i];
    }
  };
  await runScenario(
    stack,
    'kill-9-each',
    async () => {
      for (const [i, victim] of VICTIMS.entries()) {
        // A random moment between 10 % and 60 % of the victim's slot...
        const from = (i + 0.1 + Math.random() * 0.5) * slot;
        while (stack.streamed < from) await sleep(10);
        // ...or later in it, for a domain service, once its relay is caught mid-batch.
        let probe = { midBatch: false, unpublished: 0 };
        if (isDomain(victim)) {
          while (stack.streamed < (i + 0.95) * slot) {
            probe = await stack.relayMidBatch(victim);
            if (probe.midBatch) break;
          }
        }
        const at = stack.streamed / FAULT_UPDATES;
        const killed = Date.now();
        const pid = await stack.kill9(victim);
        // Read once the process is gone: what its relay left unmarked.
        const after = await stack.relayMidBatch(victim);
        const sentUnmarked = await stack.sentUnmarked(victim);
        const then = isDomain(victim)
          ? await stack.tally(victim)
          : await stack.downstreamTally(victim);
        const kill: Kill = {
          victim,
          pid,
          at,
          midBatch: probe.midBatch,
          unpublished: after.unpublished,
          sentUnmarked,
          appliedThen: then?.applied ?? -1,
          downS: 0,
        };
        kills.push(kill);
        trace(`kill-9-${victim}: ${JSON.stringify(kill)} streamed=${stack.streamed}`);
        back[i] = stack.startService(victim).then(() => {
          kill.downS = (Date.now() - killed) / 1000;
        });
        await back[i];
      }
      return Date.now();
    },
    300000,
    // The stream's own pace; the holds (five restarts) come on top.
    SEND_MS,
  );
  stack.hold = null;

  const domains = new Map<Domain, Tally | null>();
  for (const d of DOMAINS) domains.set(d, await stack.tally(d));
  const downstream = new Map<string, DownstreamTally | null>();
  for (const d of DOWNSTREAM) downstream.set(d, await stack.downstreamTally(d));
  for (const k of kills) {
    const t = isDomain(k.victim) ? domains.get(k.victim) : downstream.get(k.victim);
    const extra =
      t && 'stale' in t
        ? ` rows=${(t as DownstreamTally).rows} stale=${(t as DownstreamTally).stale}`
        : '';
    console.log(
      `kill-9-${k.victim}: pid ${k.pid} killed at ${Math.round(k.at * 100)} % of the stream ` +
        `(relay mid-batch: ${k.midBatch ? 'yes' : 'no'}, ${k.unpublished} outbox rows unpublished ` +
        `at death, ${k.sentUnmarked} of them sent to Kafka by the relay, not yet marked), ` +
        `${k.appliedThen} applied then; ready again ${k.downS.toFixed(1)} s after ` +
        `the kill as pid ${stack.pidOf(k.victim)}; sent=${t?.sent} applied=${t?.applied} ` +
        `lost=${t?.lost} duplicated=${t?.duplicated}${extra}`,
    );
  }

  expect(kills.map((k) => k.victim)).toEqual(VICTIMS);
  for (const k of kills) expect(k.appliedThen).toBeGreaterThan(0);
  // At least one relay was caught with a batch read and not yet marked published.
  expect(kills.filter((k) => k.midBatch).length).toBeGreaterThan(0);
  for (const d of DOMAINS) {
    expect(domains.get(d)).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
  }
  for (const d of DOWNSTREAM) {
    expect(downstream.get(d)).toMatchObject({
      sent: stack.expected.get('projects')!.size,
      applied: stack.expected.get('projects')!.size,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      stale: 0,
      rows: stack.targets.get('projects')!.length,
    });
  }
});
