import { ConfigResourceTypes } from 'kafkajs';
import { TestTopics, createTestTopics, eventually } from '@duban/testing';
import { SERVICES, Topics, allTopicSpecs } from '@duban/contracts';
import { provisionTopics } from './provision';

let topics: TestTopics;

beforeAll(async () => {
  topics = await createTestTopics('provision');
});

afterAll(async () => {
  await topics?.drop();
});

async function timestampType(topic: string): Promise<string | undefined> {
  const admin = topics.kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    return resources[0].configEntries.find((e) => e.configName === 'message.timestamp.type')
      ?.configValue;
  } finally {
    await admin.disconnect();
  }
}

describe('provisionTopics', () => {
  it('aligns an existing topic whose configuration drifted from the declared one', async () => {
    const ingest = topics.name(Topics.projectsIngest);
    const admin = topics.kafka.admin();
    await admin.connect();
    // As a topic created before ingest topics declared LogAppendTime.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: ingest,
          configEntries: [{ name: 'message.timestamp.type', value: 'CreateTime' }],
        },
      ],
    });
    await admin.disconnect();
    // The broker applies a config change through its metadata log: not at once.
    await eventually(async () => (await timestampType(ingest)) === 'CreateTime');

    const specs = allTopicSpecs(SERVICES, topics.name('')).map((s) => ({
      ...s,
      partitions: Math.min(s.partitions, 3),
    }));
    const report = await provisionTopics(topics.kafka, specs);
    expect(report.reconfigured).toEqual([ingest]);
    await eventually(async () => (await timestampType(ingest)) === 'LogAppendTime');

    const again = await provisionTopics(topics.kafka, specs);
    expect(again.reconfigured).toEqual([]);
    expect(again.created).toEqual([]);
  });
});
