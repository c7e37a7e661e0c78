import { MilestoneEventData } from '@duban/contracts';
import { SWEEP_SECONDS, SchedulerStack, alertFaultLine, until } from './scheduler-stack';

/**
 * Fault 4: the scheduler's Redis (a redis-server of this file's own, never the machine's)
 * killed under a steady stream of milestones and started again 30 s later, empty: no timer
 * and no queued mail survives. Alerts are raised exactly once, before and after the deadline
 * that passes just after Redis returns; every mail goes out once; HTTP answers throughout, and
 * readiness says Redis is down while it is, and nothing else.
 */
jest.setTimeout(300000);

/** Real time from the start of the stream to the deadline (a midnight in China). */
const LEAD_MS = 50000;
const SEND_MS = 40000;
const DOWN_AT_MS = 5000;
const DOWN_MS = 30000;
const BATCHES = 30;
/** How long an overdue milestone may wait for its alert while Redis is down. */
const STALL_MS = 10000;

let stack: SchedulerStack;

beforeAll(async () => {
  stack = await SchedulerStack.start('rdown', [14201], 16379);
}, 180000);

afterAll(async () => {
  await stack?.stop();
});

interface Probe {
  start: number;
  end: number;
  status: number;
  redis?: string;
  others: string[];
}

/** Reads the alert list and readiness every 250 ms; a connection error counts as status 0. */
function watch() {
  const reads: { status: number; ms: number }[] = [];
  const ready: Probe[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = Date.now();
      await Promise.all([
        stack
          .http(0, '/api/v1/alerts?limit=20')
          .then((r) => reads.push({ status: r.status, ms: r.ms }))
          .catch(() => reads.push({ status: 0, ms: Date.now() - start })),
        stack
          .http(0, '/health/ready')
          .then((r) => {
            const checks = (r.body?.checks ?? {}) as Record<string, { status: string }>;
            ready.push({
              start,
              end: Date.now(),
              status: r.status,
              redis: checks.redis?.status,
              others: Object.entries(checks)
                .filter(([name, c]) => name !== 'redis' && c.status !== 'up')
                .map(([name]) => name),
            });
          })
          .catch(() => ready.push({ start, end: Date.now(), status: 0, others: [] })),
      ]);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    reads,
    ready,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

it('Redis killed for 30 s under a stream of milestones and started again empty: every alert once, every mail once, HTTP up, readiness truthful', async () => {
  const redis = stack.redis.client();
  const { midnight, realAt, today } = stack.midnightIn(LEAD_MS);
  const tomorrow = stack.day(1);
  // Each batch: milestones already overdue (raised as they arrive), due at the coming
  // midnight (raised by their timer or the sweep), and due tomorrow (must raise nothing, and
  // hold a timer in Redis once it is back).
  const overdue: MilestoneEventData[] = [];
  const due: MilestoneEventData[] = [];
  const later: MilestoneEventData[] = [];
  const batches = Array.from({ length: BATCHES }, () => {
    const o = Array.from({ length: 4 }, () => stack.milestone(stack.day(-2)));
    const d = Array.from({ length: 4 }, () => stack.milestone(today));
    const l = Array.from({ length: 2 }, () => stack.milestone(tomorrow));
    overdue.push(...o);
    due.push(...d);
    later.push(...l);
    return [
      { milestones: o, mustRaise: true },
      { milestones: d, mustRaise: true },
      { milestones: l, mustRaise: false },
    ];
  }).flat();

  const http = watch();
  const started = Date.now();
  let downAt = 0;
  let upAt = 0;
  let stalled = { announced: 0, raised: 0 };
  const fault = (async () => {
    await new Promise((r) => setTimeout(r, DOWN_AT_MS));
    await stack.redis.kill();
    downAt = Date.now();
    await new Promise((r) => setTimeout(r, DOWN_MS)); // the outage itself
    // Nothing stalled: overdue milestones announced while Redis was away (up to 10 s before
    // it returns) have had their alerts raised by now, Redis or not.
    const announced = overdue
      .map((m) => m.milestoneId)
      .filter((id) => (stack.publishedAt.get(id) ?? Infinity) < Date.now() - STALL_MS);
    const raised = new Set(
      (
        await stack.query<{ m: string }>(
          `SELECT milestone_id AS m FROM alerts WHERE milestone_id = ANY($1)`,
          [announced],
        )
      ).map((r) => r.m),
    );
    stalled = { announced: announced.length, raised: raised.size };
    await stack.redis.start();
    upAt = Date.now();
  })();
  await Promise.all([stack.stream(batches, SEND_MS), fault]);

  // Caught up: every milestone event applied, every alert due so far raised, its mail sent,
  // and every pending milestone's deadline timer back in Redis.
  const pending = [...due, ...later].map((m) => m.milestoneId);
  const overdueIds = new Set(overdue.map((m) => m.milestoneId));
  await until(
    'caught up after Redis returned',
    150000,
    async () => {
      const raised = await stack.query<{ m: string }>(
        `SELECT milestone_id AS m FROM alerts WHERE rule = 'overdue'`,
      );
      const dueNow = Date.now() >= realAt ? stack.due.size : overdueIds.size;
      const timers =
        (await stack.timersPresent(
          due.map((m) => m.milestoneId),
          today,
          redis,
        )) +
        (await stack.timersPresent(
          later.map((m) => m.milestoneId),
          tomorrow,
          redis,
        ));
      return (
        (await stack.lag()) === 0 &&
        raised.length >= dueNow &&
        timers === pending.length &&
        (await stack.mailDone(raised.length * 2))
      );
    },
    async () => ({
      lag: await stack.lag(),
      alerts: await stack.alerts(),
      mail: await stack.mail(),
    }),
  );
  const recoveredS = (Date.now() - upAt) / 1000;

  // The deadline passes after Redis is back: each due milestone raises one alert, mailed once.
  await until(
    'every deadline raised',
    LEAD_MS + 30000,
    async () => (await stack.alerts()).lost === 0,
    () => stack.alerts(),
  );
  const [{ late }] = await stack.query<{ late: number }>(
    `SELECT coalesce(extract(epoch FROM max(raised_at) - $2::timestamptz), 0)::float AS late
       FROM alerts WHERE milestone_id = ANY($1)`,
    [due.map((m) => m.milestoneId), midnight],
  );
  const rows = stack.due.size * 2;
  await until(
    'all mail sent',
    60000,
    () => stack.mailDone(rows),
    () => stack.mail(),
  );
  await until(
    'everything consumed and published',
    60000,
    async () =>
      (await stack.lag()) === 0 &&
      stack.published('duban.alert.raised') === (await stack.alerts()).applied,
  );
  await http.stop();
  stack.assertAlive();

  const tally = await stack.alerts();
  const mail = await stack.mail();
  const dlq = await stack.deadLetters();
  const fivexx = http.reads.filter((r) => r.status >= 500).length;
  const refused = http.reads.filter((r) => r.status === 0).length;
  const slowest = Math.max(...http.reads.map((r) => r.ms));
  // Probes wholly inside the outage (a second after the kill, before the restart).
  const inside = http.ready.filter((p) => p.start >= downAt + 1000 && p.end <= upAt);
  const outside = http.ready.filter((p) => p.end < downAt || p.start > upAt + 5000);
  const truthful = (p: Probe, status: number, redis: string) =>
    p.status === status && p.redis === redis && p.others.length === 0;
  const odd = [
    ...inside.filter((p) => !truthful(p, 503, 'down')),
    ...outside.filter((p) => !truthful(p, 200, 'up')),
  ].map((p) => ({ ...p, start: p.start - downAt, end: p.end - downAt }));
  console.log(alertFaultLine('redis-down-30s', tally, dlq, fivexx, recoveredS));
  console.log(
    `redis-down-30s: Redis down ${((upAt - downAt) / 1000).toFixed(1)} s from ` +
      `${((downAt - started) / 1000).toFixed(1)} s into the stream; while down, ${stalled.raised}/` +
      `${stalled.announced} overdue milestones announced over ${STALL_MS / 1000} s earlier had ` +
      `their alert; readiness 503 redis=down in ${
        inside.filter((p) => p.status === 503 && p.redis === 'down').length
      }/${inside.length} probes inside the outage, 200 in ${
        outside.filter((p) => p.status === 200).length
      }/${outside.length} outside; alert list: ${http.reads.length} reads, ${fivexx} 5xx, ` +
      `${refused} refused, slowest ${slowest} ms; ${odd.length ? `readiness otherwise (ms from the kill): ${JSON.stringify(odd)}; ` : ''}deadline alerts latest ${late.toFixed(1)} s ` +
      `after midnight; mail rows=${mail.rows} sent=${mail.sent} received=${mail.received} ` +
      `duplicated=${mail.duplicated}; sweep every ${SWEEP_SECONDS} s`,
  );

  expect(tally).toMatchObject({
    sent: overdue.length + due.length,
    applied: overdue.length + due.length,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
  });
  expect(mail).toEqual({ rows, sent: rows, received: rows, duplicated: 0 });
  expect(dlq).toBe(0);
  expect(stalled.announced).toBeGreaterThan(40);
  expect(stalled.raised).toBe(stalled.announced);
  // HTTP stays up: no 5xx, no refused connection, no read hanging on Redis.
  expect(fivexx).toBe(0);
  expect(refused).toBe(0);
  expect(slowest).toBeLessThan(5000);
  // Readiness tells the truth: Redis down (and only Redis) while it is, ready again after.
  expect(inside.length).toBeGreaterThan(10);
  expect(outside.length).toBeGreaterThan(0);
  expect(odd).toEqual([]);
});
