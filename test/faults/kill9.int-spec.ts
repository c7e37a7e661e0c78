import { DOMAINS, FaultStack, SEND_MS, Tally, runScenario } from './fault-stack';

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
  const victim = DOMAINS[Math.floor(Math.random() * DOMAINS.length)];
  // A random moment between 20 % and 70 % of the stream.
  const at = 0.2 + Math.random() * 0.5;
  let pid = 0;
  const seen: { before: Tally | null } = { before: null };
  await runScenario(stack, `kill-9-${victim}`, async () => {
    const started = Date.now();
    while (Date.now() - started < at * SEND_MS) {
      await new Promise((r) => setTimeout(r, 20));
    }
    pid = await stack.kill9(victim);
    seen.before = await stack.tally(victim);
    const faultEnd = Date.now();
    await stack.startService(victim);
    return faultEnd;
  });
  console.log(
    `killed ${victim} pid ${pid} at ${Math.round(at * 100)} % of the stream, ` +
      `${seen.before?.applied ?? '?'} of its updates applied then; restarted as pid ${stack.pidOf(victim)}`,
  );
  expect(seen.before?.applied ?? 0).toBeGreaterThan(0);
});
