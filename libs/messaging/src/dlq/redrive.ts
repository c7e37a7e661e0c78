import { Kafka } from 'kafkajs';
import { createIdempotentProducer } from '../kafka/kafka.config';
import { DeadLetterView } from './dead-letter-view';
import { redriveMessage } from './dlq-selection';

/**
 * Puts the letters back on `topic` in one acks=all send from an idempotent producer, so a
 * retried request cannot write a letter twice. Nothing is recorded besides the headers on the
 * redriven messages: a second run redrives again, and each consumer's inbox skips an event id
 * it already processed.
 */
export async function redrive(
  kafka: Kafka,
  topic: string,
  dlqTopic: string,
  letters: DeadLetterView[],
  now: Date,
): Promise<void> {
  if (letters.length === 0) return;
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: letters.map((v) => redriveMessage(v, dlqTopic, now)),
    });
  } finally {
    await producer.disconnect();
  }
}
