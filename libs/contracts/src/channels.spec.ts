import { asyncApiDocument } from './asyncapi';
import { CHANNELS, topicCarries } from './channels';
import { EVENT_DEFINITIONS } from './event-types';
import { TOPIC_SPECS, Topics } from './topics';

describe('the channel map', () => {
  it('puts every registered event type on a topic, and only registered types', () => {
    const onTopics = new Set(Object.values(CHANNELS).flat());
    const registered = new Set(EVENT_DEFINITIONS.map((d) => d.type));
    expect([...registered].filter((t) => !onTopics.has(t))).toEqual([]);
    expect([...onTopics].filter((t) => !registered.has(t))).toEqual([]);
  });

  it('keeps inbound types off the domain topics and published ones off the ingest topics', () => {
    expect(topicCarries(Topics.projectsIngest, 'duban.progress-report.reported')).toBe(true);
    expect(topicCarries(Topics.projects, 'duban.progress-report.reported')).toBe(false);
    expect(topicCarries(Topics.projects, 'duban.progress-report.submitted')).toBe(true);
    expect(topicCarries(Topics.projectsIngest, 'duban.progress-report.submitted')).toBe(false);
    expect(topicCarries(Topics.alerts, 'duban.milestone.scheduled')).toBe(false);
    expect(topicCarries('duban.unknown.v1', 'duban.milestone.scheduled')).toBe(false);
  });
});

describe('the AsyncAPI document', () => {
  const doc = asyncApiDocument() as {
    asyncapi: string;
    channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
    operations: Record<string, { action: string }>;
    components: { messages: Record<string, { payload: { properties: { data: unknown } } }> };
  };

  it('has a channel per topic whose messages all resolve to a component with a data schema', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.keys(doc.channels).sort()).toEqual(TOPIC_SPECS.map((s) => s.name).sort());
    for (const channel of Object.values(doc.channels)) {
      for (const { $ref } of Object.values(channel.messages)) {
        const name = $ref.replace('#/components/messages/', '');
        expect(doc.components.messages[name].payload.properties.data).toEqual(
          expect.objectContaining({ type: 'object' }),
        );
      }
    }
  });

  it('describes ingest topics as received and domain topics as sent', () => {
    expect(doc.operations.receiveDubanProjectsIngestV1.action).toBe('receive');
    expect(doc.operations.sendDubanAlertsV1.action).toBe('send');
  });

  it('requires what consumers check in the envelope, in draft-07 JSON Schema', () => {
    const payload = doc.components.messages['duban.project.registered'].payload as unknown as {
      required: string[];
      properties: Record<string, unknown>;
      $schema?: string;
    };
    expect(payload.required).toEqual(
      expect.arrayContaining(['specversion', 'id', 'source', 'type', 'partitionkey', 'data']),
    );
    expect(payload.properties.type).toEqual({ const: 'duban.project.registered' });
    expect(JSON.stringify(doc)).not.toContain('draft/2020-12');
  });

  it('addresses the prefixed topics and lists every broker', () => {
    const prefixed = asyncApiDocument(['k1:9092', 'k2:9092'], 'city.') as {
      servers: Record<string, { host: string }>;
      channels: Record<string, { address: string }>;
    };
    expect(Object.values(prefixed.servers).map((s) => s.host)).toEqual(['k1:9092', 'k2:9092']);
    expect(prefixed.channels[Topics.alerts].address).toBe(`city.${Topics.alerts}`);
  });

  it('shows the fields a progress report carries, with their rules', () => {
    const data = doc.components.messages['duban.progress-report.submitted'].payload.properties
      .data as { required: string[]; properties: Record<string, { pattern?: string }> };
    expect(data.required).toEqual(expect.arrayContaining(['projectId', 'month', 'leadUnit']));
    expect(data.properties.month.pattern).toBe('^\\d{4}-(0[1-9]|1[0-2])$');
  });
});
