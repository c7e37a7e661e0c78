/** The evaluation service's test harness and event publishers; the rest is in @duban/testing. */
import { randomInt } from 'node:crypto';
import { Producer } from 'kafkajs';
import { DubanEvent, Topics, createEvent } from '@duban/contracts';
import { createIdempotentProducer } from '@duban/messaging';
import { DomainHarness, startDomainHarness } from '@duban/testing';
import { evaluationSchema } from '../schema';

export { api, eventually, tokens, unique } from '@duban/testing';

export interface EvaluationHarness extends DomainHarness {
  /** Publishes an event as its owning service would, onto this test file's topic. */
  publish(topic: string, event: DubanEvent): Promise<void>;
  /** How many events the consumer has applied (inbox rows). */
  applied(): Promise<number>;
}

export async function startEvaluationApp(): Promise<EvaluationHarness> {
  const h = await startDomainHarness(
    'evaluation',
    evaluationSchema,
    async () => (await import('../app.module')).AppModule,
    Topics.evaluation,
  );
  return withPublisher(h);
}

export async function withPublisher(h: DomainHarness): Promise<EvaluationHarness> {
  const producer: Producer = createIdempotentProducer(h.service.topics.kafka);
  await producer.connect();
  return {
    ...h,
    async publish(topic, event) {
      await producer.send({
        topic: h.service.topics.name(topic),
        messages: [{ key: event.partitionkey, value: JSON.stringify(event) }],
      });
    },
    async applied() {
      const [{ n }] = await h.service.db.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM inbox',
      );
      return n;
    },
    async close() {
      await producer.disconnect();
      await h.close();
    },
  };
}

/** A region code of a test's own, so facts of one test never reach another's scheme. */
export const testRegion = (): string => `5${String(randomInt(10000, 99999))}`;

/** An event as another service publishes it (schema-checked by createEvent). */
export function eventOf(
  type: string,
  service: string,
  subject: string,
  region: string,
  data: object,
  time = new Date('2026-07-15T02:00:00Z'),
): DubanEvent {
  return createEvent({ type, service, subject, region, data, time });
}
