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

/**
 * Headers that must never reach a DLQ: a dead letter is kept as long as its topic and read by
 * operators, so a credential in it would outlive its use by weeks.
 */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);

export function withoutCredentials(headers: KafkaMessage['headers']): KafkaMessage['headers'] {
  return Object.fromEntries(
    Object.entries(headers ?? {}).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())),
  );
}

/** Copies a message to `<topic>.dlq` unchanged but for credentials, with why it failed. */
export async function sendToDeadLetter(producer: Producer, letter: DeadLetter): Promise<void> {
  await producer.send({
    topic: dlqTopic(letter.topic),
    acks: -1,
    messages: [
      {
        key: letter.message.key,
        value: letter.message.value,
        headers: {
          ...withoutCredentials(letter.message.headers),
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
