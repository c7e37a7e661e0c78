import { KafkaMessage, Producer } from 'kafkajs';
import { KafkaHeaders, dlqTopic } from '@duban/contracts';

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: string;
  error: string;
  attempts: number;
  consumerGroup: string;
}

/** Copies a message to `<topic>.dlq` unchanged, with why it failed in headers. */
export async function sendToDeadLetter(producer: Producer, letter: DeadLetter): Promise<void> {
  await producer.send({
    topic: dlqTopic(letter.topic),
    acks: -1,
    messages: [
      {
        key: letter.message.key,
        value: letter.message.value,
        headers: {
          ...letter.message.headers,
          [KafkaHeaders.errorReason]: letter.reason,
          [KafkaHeaders.errorMessage]: letter.error.slice(0, 4000),
          [KafkaHeaders.originalTopic]: letter.topic,
          [KafkaHeaders.originalPartition]: String(letter.partition),
          [KafkaHeaders.originalOffset]: letter.message.offset,
          [KafkaHeaders.attempts]: String(letter.attempts),
          [KafkaHeaders.failedAt]: new Date().toISOString(),
          [KafkaHeaders.consumerGroup]: letter.consumerGroup,
        },
      },
    ],
  });
}

export function headersAsStrings(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) out[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return out;
}
