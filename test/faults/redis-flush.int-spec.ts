import { SWEEP_SECONDS, SchedulerStack, alertFaultLine, until } from './scheduler-stack';

/**
 * Fault 5: the scheduler's Redis flushed (FLUSHALL, on a redis-server of this file's own)
 * while deadline timers are pending as BullMQ delayed jobs and alert mail waits out a retry
 * backoff there. The sweep restores the timers from PostgreSQL within one interval, every
 * deadline still raises its alert exactly once, and every mail row still goes out once.
 */
jest.setTimeout(240000);

const LEAD_MS = 40000;
const OVERDUE = 50;
const DUE = 150;
const LATER = 50;

let stack: SchedulerStack;

beforeAll(async () => {
  stack = await SchedulerStack.start('rflush', [14211], 16380);
}, 180000);

afterAll(async () => {
  await stack?.stop();
});

it('Redis flushed with timers and mail pending: the sweep restores the timers, each deadline raises one alert, each mail goes once', async () => {
  const redis = stack.redis.client();
  const { midnight, realAt, today } = stack.midnightIn(LEAD_MS);
  const tomorrow = stack.day(1);
  // Already overdue: their alerts are raised at once, and their mail is refused (451) until
  // after the flush, so each row waits out a 60 s retry backoff as a delayed job in Redis.
  stack.smtp.refusing = true;
  const overdue = Array.from({ length: OVERDUE }, () => stack.milestone(stack.day(-3)));
  const due = Array.from({ length: DUE }, () => stack.milestone(today));
  const later = Array.from({ length: LATER }, () => stack.milestone(tomorrow));
  await stack.publish(overdue, true);
  await stack.publish(due, true);
  await stack.publish(later, false);
  const dueIds = due.map((m) => m.milestoneId);
  const laterIds = later.map((m) => m.milestoneId);

  // Barrier: every deadline timer set, the overdue alerts raised and their mail tried once.
  await until(
    'timers set, overdue alerts raised, their mail refused once',
    30000,
    async () => {
      const [failed] = await stack.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM mail_deliveries WHERE state = 'failed'`,
      );
      return (
        (await stack.timersPresent(dueIds, today, redis)) === DUE &&
        (await stack.timersPresent(laterIds, tomorrow, redis)) === LATER &&
        (await stack.alerts()).applied === OVERDUE &&
        failed.n === OVERDUE * 2
      );
    },
    () => stack.alerts(),
  );
  const leftMs = realAt - Date.now();
  expect(leftMs).toBeGreaterThan(SWEEP_SECONDS * 1000 + 5000); // the flush comes before the deadlines

  await redis.flushall();
  const flushed = Date.now();
  expect(await stack.timersPresent(dueIds, today, redis)).toBe(0);
  stack.smtp.refusing = false;

  await until(
    'timers restored by the sweep',
    SWEEP_SECONDS * 1000 + 10000,
    async () =>
      (await stack.timersPresent(dueIds, today, redis)) === DUE &&
      (await stack.timersPresent(laterIds, tomorrow, redis)) === LATER,
  );
  const restoredS = (Date.now() - flushed) / 1000;
  // Well before the 60 s retry backoff: the mail sweep queued the lost jobs again.
  await until(
    'refused mail resent',
    30000,
    () => stack.mailDone(OVERDUE * 2),
    () => stack.mail(),
  );
  const mailS = (Date.now() - flushed) / 1000;
  expect(Date.now()).toBeLessThan(realAt); // both before any deadline passed

  // The deadlines pass: each raises its alert (and its mail) exactly once.
  await until(
    'every deadline raised',
    LEAD_MS + 30000,
    async () => (await stack.alerts()).lost === 0,
    () => stack.alerts(),
  );
  const raisedS = (Date.now() - realAt) / 1000;
  const [{ late }] = await stack.query<{ late: number }>(
    `SELECT coalesce(extract(epoch FROM max(raised_at) - $2::timestamptz), 0)::float AS late
       FROM alerts WHERE milestone_id = ANY($1)`,
    [dueIds, midnight],
  );
  const rows = (OVERDUE + DUE) * 2;
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
    async () => ({
      lag: await stack.lag(),
      published: stack.published('duban.alert.raised'),
      raised: (await stack.alerts()).applied,
    }),
  );
  stack.assertAlive();
  const tally = await stack.alerts();
  const mail = await stack.mail();
  const dlq = await stack.deadLetters();
  console.log(alertFaultLine('redis-flush', tally, dlq, 0, restoredS));
  console.log(
    `redis-flush: ${DUE + LATER} timers restored ${restoredS.toFixed(1)} s after FLUSHALL ` +
      `(sweep every ${SWEEP_SECONDS} s); ${OVERDUE * 2} refused mails sent ${mailS.toFixed(1)} s after; ` +
      `deadline alerts all raised ${raisedS.toFixed(1)} s after midnight (latest raised_at ` +
      `${late.toFixed(1)} s after); mail rows=${mail.rows} sent=${mail.sent} received=${mail.received} ` +
      `duplicated=${mail.duplicated}`,
  );
  expect(tally).toMatchObject({
    sent: OVERDUE + DUE,
    applied: OVERDUE + DUE,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
  });
  expect(mail).toEqual({ rows, sent: rows, received: rows, duplicated: 0 });
  expect(dlq).toBe(0);
});
