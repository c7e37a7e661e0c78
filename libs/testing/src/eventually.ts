/** Polls `check` until it holds: tests wait for what they expect, never for a fixed time. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
