import { z } from 'zod';
import { CHANNELS, isIngestTopic } from './channels';
import { CLOUDEVENTS_CONTENT_TYPE } from './envelope';
import { EventDefinition } from './event-definition';
import { EVENT_DEFINITIONS, dataSchemaFor } from './event-types';
import { TOPIC_SPECS } from './topics';

type Json = Record<string, unknown>;

/**
 * The AsyncAPI 3.0 document of every topic and event type, generated from the one topic list,
 * the channel map and the zod schemas the services validate with, so it cannot drift from
 * what is really published. Served by every service at `/docs/asyncapi.json`.
 */
export function asyncApiDocument(brokers = '127.0.0.1:9092'): Json {
  const defs = new Map(EVENT_DEFINITIONS.map((d) => [d.type, d]));
  const channels: Json = {};
  const operations: Json = {};
  for (const spec of TOPIC_SPECS) {
    const types = CHANNELS[spec.name as keyof typeof CHANNELS] ?? [];
    const refs = Object.fromEntries(types.map((t) => [t, { $ref: `#/components/messages/${t}` }]));
    channels[spec.name] = { address: spec.name, description: spec.description, messages: refs };
    const ingest = isIngestTopic(spec.name);
    operations[`${ingest ? 'receive' : 'send'}:${spec.name}`] = {
      action: ingest ? 'receive' : 'send',
      channel: { $ref: `#/channels/${spec.name}` },
      summary: ingest
        ? 'Department systems publish here, with their bearer token in the `authorization` header; refusals go to the .dlq twin and are announced as duban.ingest.rejected'
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
    servers: { kafka: { host: brokers, protocol: 'kafka' } },
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

function message(def: EventDefinition, inbound: boolean): Json {
  return {
    name: def.type,
    title: def.type,
    summary: def.description,
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    payload: {
      type: 'object',
      required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'region', 'data'],
      properties: {
        specversion: { const: '1.0' },
        id: { type: 'string', format: 'uuid' },
        source: { type: 'string', examples: ['/duban/projects'] },
        type: { const: def.type },
        subject: { type: 'string' },
        time: { type: 'string', format: 'date-time' },
        datacontenttype: { const: 'application/json' },
        dataschema: { const: dataSchemaFor(def) },
        region: { type: 'string', pattern: '^\\d{6}$' },
        partitionkey: { type: 'string' },
        // What a sender may omit (defaults) differs from what a reader always gets.
        data: z.toJSONSchema(def.schema, {
          io: inbound ? 'input' : 'output',
          unrepresentable: 'any',
        }),
      },
    },
  };
}
