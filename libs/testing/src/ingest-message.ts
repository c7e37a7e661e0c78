import { Message } from 'kafkajs';
import { deriveIngestKey, ingestSecretFrom, signIngestMessage } from '@duban/auth';
import { CLOUDEVENTS_CONTENT_TYPE, DubanEvent, encodeEvent } from '@duban/contracts';

export interface IngestSender {
  unit: string;
  region: string;
  keyVersion?: number;
}

/**
 * A Kafka message as a department system sends it: the event's bytes, signed with the ingest
 * key of its unit and region (derived from the same secret the services under test use).
 */
export function signedIngestMessage(event: DubanEvent, sender: IngestSender): Message {
  const value = encodeEvent(event);
  const keyId = { region: sender.region, unit: sender.unit, version: sender.keyVersion ?? 1 };
  return {
    key: event.partitionkey,
    value,
    headers: {
      'content-type': CLOUDEVENTS_CONTENT_TYPE,
      ...signIngestMessage(value, deriveIngestKey(ingestSecretFrom(), keyId), keyId),
    },
  };
}
