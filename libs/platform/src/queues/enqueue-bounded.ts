/** How long queueing work in Redis may take before we give up and leave it to a sweep. */
export const ENQUEUE_DEADLINE_MS = 2000;

/**
 * Waits for BullMQ adds at most `ENQUEUE_DEADLINE_MS`: with Redis down an add waits for ever.
 * A late or failed add is only logged, because the caller's truth is in PostgreSQL and its
 * sweep queues the work again from there.
 */
export async function enqueueBounded(
  adds: Promise<unknown>,
  what: string,
  warn: (message: string) => void,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>(
    (r) => (timer = setTimeout(() => r('late'), ENQUEUE_DEADLINE_MS)),
  );
  try {
    if ((await Promise.race([adds, deadline])) === 'late') {
      warn(`Redis did not take ${what} in ${ENQUEUE_DEADLINE_MS} ms; the sweep will queue them`);
    }
  } catch (err) {
    warn(`could not queue ${what} (the sweep will): ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
