import { createHash } from 'node:crypto';
import { KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { INGEST_REJECTED, IngestRejectedData, createEvent } from '@duban/contracts';
import { addToOutbox } from '../outbox/outbox';

export interface RejectionConfig {
  /** The service announcing (the event's source). */
  service: string;
  /** Logical topic the announcements go to: the owning domain's topic. */
  announceOn: string;
}

interface Rejected {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: string;
  error: string;
}

/**
 * Tells the sender of a refused ingest update why, as a `duban.ingest.rejected` event on the
 * domain topic. The event id is derived from the message's position, so a redelivered poison
 * message is announced once.
 */
export async function announceRejection(
  ds: DataSource,
  config: RejectionConfig,
  r: Rejected,
): Promise<void> {
  const sender = readEnvelopeLeniently(r.message.value);
  const id = positionId(r.topic, r.partition, r.message.offset);
  const data: IngestRejectedData = {
    rejectedEventId: sender.id,
    rejectedType: sender.type,
    senderSource: sender.source,
    topic: r.topic,
    partition: r.partition,
    offset: r.message.offset,
    reason: r.reason,
    message: r.error.slice(0, 2000),
  };
  const event = createEvent({
    id,
    type: INGEST_REJECTED,
    service: config.service,
    subject: sender.id || id,
    region: sender.region ?? '000000',
    data,
  });
  await ds.transaction(async (m) => {
    const seen: unknown[] = await m.query('SELECT 1 FROM outbox WHERE event_id = $1', [id]);
    if (seen.length === 0) await addToOutbox(m, config.announceOn, [event]);
  });
}

interface LooseEnvelope {
  id: string | null;
  type: string | null;
  source: string | null;
  region: string | null;
}

/** What can be read of a message that failed validation: any of it may be missing. */
function readEnvelopeLeniently(value: Buffer | null): LooseEnvelope {
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(value?.toString() ?? '');
    if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
  } catch {
    // not JSON: nothing to read
  }
  // An empty string counts as missing: an announcement about `id: ""` must still be valid.
  const str = (k: string, max = 200): string | null =>
    typeof json[k] === 'string' && json[k] !== '' ? (json[k] as string).slice(0, max) : null;
  const region = str('region');
  return {
    id: str('id'),
    type: str('type'),
    source: str('source'),
    region: region && /^\d{6}$/.test(region) ? region : null,
  };
}

/** A UUID (version 8, RFC 9562 custom) naming one position in a topic. */
function positionId(topic: string, partition: number, offset: string): string {
  const h = createHash('sha256').update(`${topic}/${partition}/${offset}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
