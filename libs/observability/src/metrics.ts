import { Counter, Histogram, Gauge, Registry, collectDefaultMetrics, register } from 'prom-client';

/** One registry per process (one service per process), served at `/metrics`. */
export const metricsRegistry: Registry = register;

let defaultsCollected = false;
export function collectProcessMetrics(service: string): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}

function once<T>(name: string, make: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? make();
}

export const outboxPublished = (): Counter =>
  once(
    'duban_outbox_published_total',
    () =>
      new Counter({
        name: 'duban_outbox_published_total',
        help: 'Outbox events published to Kafka',
      }),
  );

export const outboxLagSeconds = (): Histogram =>
  once(
    'duban_outbox_lag_seconds',
    () =>
      new Histogram({
        name: 'duban_outbox_lag_seconds',
        help: 'Time from outbox insert to Kafka commit',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );

export const outboxRelayActive = (): Gauge =>
  once(
    'duban_outbox_relay_active',
    () =>
      new Gauge({
        name: 'duban_outbox_relay_active',
        help: '1 while this replica holds the relay lock',
      }),
  );

export const eventsConsumed = (): Counter<'outcome'> =>
  once(
    'duban_events_consumed_total',
    () =>
      new Counter({
        name: 'duban_events_consumed_total',
        help: 'Kafka messages consumed, by outcome (processed, duplicate, ignored, dead-lettered)',
        labelNames: ['outcome'],
      }),
  );

export const consumerRetries = (): Counter<'kind'> =>
  once(
    'duban_consumer_retries_total',
    () =>
      new Counter({
        name: 'duban_consumer_retries_total',
        help: 'Messages held back to be tried again, by failure kind (database, kafka, redis, network, unknown)',
        labelNames: ['kind'],
      }),
  );

export const deadLetterFailures = (): Counter<'stage'> =>
  once(
    'duban_dead_letter_failures_total',
    () =>
      new Counter({
        name: 'duban_dead_letter_failures_total',
        help: 'Dead-lettering steps that failed for a reason other than a dependency being down',
        labelNames: ['stage'],
      }),
  );

export const httpRequests = (): Counter<'method' | 'status'> =>
  once(
    'duban_http_requests_total',
    () =>
      new Counter({
        name: 'duban_http_requests_total',
        help: 'HTTP requests',
        labelNames: ['method', 'status'],
      }),
  );
