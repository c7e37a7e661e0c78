import { DOMAINS, FaultStack, SEND_MS, faultLine, watchHttp } from './fault-stack';

/**
 * Fault 3: one consuming service (chosen at random) is killed with SIGKILL at a random moment
 * mid-stream, then started again on the same database and consumer group. Whatever it had
 * applied but not yet committed is fetched again; the inbox makes that harmless.
 */
jest.setTimeout(300000);

let stack: FaultStack;

beforeAll(async () => {
  stack = await FaultStack.start('kill9', 14121);
}, 180000);

afterAll(async () => {
  await stack?.stop();
});

it('a consuming service killed with SIGKILL mid-stream and restarted: nothing lost, nothing twice', async () => {
  const updates = stack.updates();
  const victim = DOMAINS[Math.floor(Math.random() * DOMAINS.length)];
  const http = watchHttp(stack);
  const streamed = stack.stream(updates);
  // A random moment between 20 % and 70 % of the stream.
  const started = Date.now();
  const at = 0.2 + Math.random() * 0.5;
  let faultEnd = 0;
  let pid = 0;
  const fault = (async () => {
    while (Date.now() - started < at * SEND_MS) {
      await new Promise((r) => setTimeout(r, 20));
    }
    pid = await stack.kill9(victim);
    const before = await stack.tally(victim);
    faultEnd = Date.now();
    await stack.startService(victim);
    return before;
  })();
  const [, before] = await Promise.all([streamed, fault]);
  const tally = await stack.settled(180000);
  const recovered = (Date.now() - faultEnd) / 1000;
  const fivexx = await http.stop();
  const dlq = await stack.deadLetters();
  console.log(faultLine(`kill-9-${victim}`, tally, dlq, fivexx, recovered));
  console.log(
    `killed ${victim} pid ${pid} at ${Math.round(at * 100)} % of the stream, ` +
      `${before?.applied ?? '?'} of its updates applied then; restarted as pid ${stack.pidOf(victim)}`,
  );
  expect(before?.applied ?? 0).toBeGreaterThan(0);
  expect(tally).toMatchObject({
    sent: updates.length,
    applied: updates.length,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
    inbox: updates.length,
  });
  expect(dlq).toBe(0);
});
