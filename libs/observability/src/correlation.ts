import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The correlation id of the work in progress: set from the `x-correlation-id` HTTP header or
 * Kafka header, carried into outbox rows, and stamped on every log line.
 */
const storage = new AsyncLocalStorage<string>();

export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

export function withCorrelationId<T>(id: string | undefined, fn: () => T): T {
  return storage.run(id && isSafeId(id) ? id : randomUUID(), fn);
}

// Ids come from outside: keep them short and printable so logs cannot be forged with newlines.
const isSafeId = (id: string): boolean => /^[\w.:-]{1,128}$/.test(id);
