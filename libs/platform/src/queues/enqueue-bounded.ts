/** How long queueing work in Redis may take before we give up and leave it to a sweep. */
export const ENQUEUE_DEADLINE_MS = 2000;
/** After a late or failed add, how long callers stop waiting for Redis at all. */
export const ENQUEUE_PAUSE_MS = 5000;

/** Until when Redis counts as away (shared: every queue of a process uses the one Redis). */
let awayUntil = 0;

/**
 * Waits for BullMQ adds at most `ENQUEUE_DEADLINE_MS`: with Redis down an add waits for ever.
 * A late or failed add is only logged, because the caller's truth is in PostgreSQL and its
 * sweep queues the work again from there.
 *
 * Once an add was late or failed, callers do not wait at all for `ENQUEUE_PAUSE_MS` (then one
 * waits again, as a probe): a consumer applies one event at a time, and a full deadline per
 * event while Redis is down held it to one event per 2 s. The adds themselves still go out
 * (ioredis keeps them until it reconnects), and one that lands ends the pause.
 */
export async function enqueueBounded(
  adds: Promise<unknown>,
  what: string,
  warn: (message: string) => void,
): Promise<void> {
  if (Date.now() < awayUntil) {
    adds.then(
      () => (awayUntil = 0),
      () => undefined,
    );
    warn(`Redis is not answering: ${what} not awaited; the sweep will queue them`);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>(
    (r) => (timer = setTimeout(() => r('late'), ENQUEUE_DEADLINE_MS)),
  );
  try {
    if ((await Promise.race([adds, deadline])) === 'late') {
      awayUntil = Date.now() + ENQUEUE_PAUSE_MS;
      adds.then(
        () => (awayUntil = 0),
        () => undefined,
      );
      warn(`Redis did not take ${what} in ${ENQUEUE_DEADLINE_MS} ms; the sweep will queue them`);
    }
  } catch (err) {
    awayUntil = Date.now() + ENQUEUE_PAUSE_MS;
    warn(`could not queue ${what} (the sweep will): ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
