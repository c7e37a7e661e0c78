import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { dataSchemaFor, findEventDefinition } from './event-types';
import { MalformedEventError, SchemaViolationError, UnknownEventTypeError } from './errors';
import { RegionCode } from './values';
import { validate } from './validation';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/** CloudEvents 1.0, structured JSON mode, with Duban's `region` and `partitionkey` extensions. */
export interface DubanEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  /** GB/T 2260 division code of the county the event concerns (tenant). */
  region: string;
  /** The aggregate id: also the Kafka message key, so one aggregate's events stay in order. */
  partitionkey: string;
  data: T;
}

/** The envelope every Duban event has, whatever its type (data is checked per type). */
export const EnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().uuid(),
  source: z
    .string()
    .regex(
      /^\/duban\/[a-z-]+$|^\/[a-z0-9][a-z0-9./-]*$/,
      'must be a URI path such as /duban/projects',
    ),
  type: z
    .string()
    .regex(/^duban\.[a-z-]+\.[a-z-]+$/, 'must look like duban.<aggregate>.<past-tense>'),
  subject: z.string().min(1),
  time: z.string().datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  dataschema: z.string().min(1),
  region: RegionCode,
  partitionkey: z.string().min(1),
  data: z.unknown(),
});

export interface NewEvent<T> {
  type: string;
  /** Service name: becomes `source` `/duban/<service>`. */
  service: string;
  subject: string;
  region: string;
  data: T;
  /** Defaults to `subject`. */
  partitionKey?: string;
  id?: string;
  time?: Date;
}

/** Builds an envelope and validates its data against the type's schema (publish-side check). */
export function createEvent<T>(input: NewEvent<T>): DubanEvent<T> {
  const def = findEventDefinition(input.type);
  if (!def) throw new UnknownEventTypeError(input.type);
  const event = {
    specversion: '1.0' as const,
    id: input.id ?? uuidv7(),
    source: `/duban/${input.service}`,
    type: input.type,
    subject: input.subject,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json' as const,
    dataschema: dataSchemaFor(def),
    region: input.region,
    partitionkey: input.partitionKey ?? input.subject,
    data: input.data,
  };
  return parseEvent(event) as DubanEvent<T>;
}

/** Parses raw bytes from Kafka into a checked event, or throws a typed ContractError. */
export function decodeEvent(raw: Buffer | string | null): DubanEvent {
  if (raw === null) throw new MalformedEventError('empty message value');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    throw new MalformedEventError('value is not JSON');
  }
  return parseEvent(json);
}

/** Checks the envelope, then the data against the schema of its type. */
export function parseEvent(json: unknown): DubanEvent {
  const envelope = validate(EnvelopeSchema, json);
  if (!envelope.ok) throw new MalformedEventError('not a Duban CloudEvent', envelope.issues);
  const def = findEventDefinition(envelope.value.type);
  if (!def) throw new UnknownEventTypeError(envelope.value.type);
  const data = validate(def.schema, envelope.value.data);
  if (!data.ok) throw new SchemaViolationError(def.type, data.issues);
  return { ...envelope.value, data: data.value } as DubanEvent;
}

export function encodeEvent(event: DubanEvent): Buffer {
  return Buffer.from(JSON.stringify(event));
}
