import { Kafka, Message } from 'kafkajs';
import { createIdempotentProducer } from '../kafka/kafka.config';

/**
 * Puts the messages on `topic` in one acks=all send from an idempotent producer, so a retried
 * request cannot write one twice. Nothing is recorded besides the headers on the redriven
 * messages: a second run redrives again, and each consumer's inbox skips an event id it
 * already processed.
 */
export async function redrive(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  if (messages.length === 0) return;
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}
