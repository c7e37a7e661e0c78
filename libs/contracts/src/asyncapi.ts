import { z } from 'zod';
import { CHANNELS, isIngestTopic } from './channels';
import { CLOUDEVENTS_CONTENT_TYPE, EnvelopeSchema } from './envelope';
import { EventDefinition } from './event-definition';
import { EVENT_DEFINITIONS, dataSchemaFor } from './event-types';
import { TOPIC_SPECS } from './topics';

type Json = Record<string, unknown>;

/**
 * The AsyncAPI 3.0 document of every topic and event type, generated from the one topic list,
 * the channel map and the zod schemas the services validate with, so it cannot drift from
 * what is really published. Served by every service at `/docs/asyncapi.json`.
 */
export function asyncApiDocument(brokers = ['127.0.0.1:9092'], topicPrefix = ''): Json {
  const defs = new Map(EVENT_DEFINITIONS.map((d) => [d.type, d]));
  const channels: Json = {};
  const operations: Json = {};
  for (const spec of TOPIC_SPECS) {
    const types = CHANNELS[spec.name as keyof typeof CHANNELS] ?? [];
    const refs = Object.fromEntries(types.map((t) => [t, { $ref: `#/components/messages/${t}` }]));
    const address = topicPrefix + spec.name;
    channels[spec.name] = { address, description: spec.description, messages: refs };
    const ingest = isIngestTopic(spec.name);
    operations[operationId(ingest ? 'receive' : 'send', spec.name)] = {
      action: ingest ? 'receive' : 'send',
      channel: { $ref: `#/channels/${spec.name}` },
      summary: ingest
        ? 'Department systems publish here, each message signed with their ingest key (headers `duban-key-id` and `duban-signature`); refusals go to the .dlq twin and are announced as duban.ingest.rejected'
        : 'Duban publishes here through its outbox: exactly once, in order per partition key',
      messages: types.map((t) => ({ $ref: `#/channels/${spec.name}/messages/${t}` })),
    };
  }
  const messages = Object.fromEntries(
    [...defs.values()].map((d) => [d.type, message(d, isInbound(d.type))]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Duban events',
      version: '1',
      description:
        'CloudEvents 1.0 in structured JSON mode on Kafka. The message key is the envelope ' +
        '`partitionkey` (the aggregate id); `region` is the GB/T 2260 code of the county.',
    },
    defaultContentType: CLOUDEVENTS_CONTENT_TYPE,
    servers: Object.fromEntries(
      brokers.map((host, i) => [`kafka${i + 1}`, { host, protocol: 'kafka' }]),
    ),
    channels,
    operations,
    components: { messages },
  };
}

function isInbound(type: string): boolean {
  return Object.entries(CHANNELS).some(
    ([topic, types]) => isIngestTopic(topic) && types.includes(type),
  );
}

/** `send:duban.projects.v1` → `sendDubanProjectsV1`: an identifier code generators accept. */
function operationId(action: string, topic: string): string {
  return (
    action + topic.replace(/(?:^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase())
  );
}

/**
 * Draft-07 JSON Schema, as AsyncAPI 3.0 schemas are. What a sender may omit (defaults) differs
 * from what a reader always gets, hence `io`.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

/** The envelope as consumers check it (EnvelopeSchema), with this type's data in it. */
function message(def: EventDefinition, inbound: boolean): Json {
  const envelope = jsonSchema(EnvelopeSchema, 'input') as {
    properties: Json;
    required: string[];
  };
  return {
    name: def.type,
    title: def.type,
    summary: def.description,
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    payload: {
      ...envelope,
      required: [...new Set([...envelope.required, 'data'])],
      properties: {
        ...envelope.properties,
        type: { const: def.type },
        dataschema: { const: dataSchemaFor(def) },
        data: jsonSchema(def.schema, inbound ? 'input' : 'output'),
      },
    },
  };
}
