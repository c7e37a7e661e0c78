import {
  SERVICES,
  TOPIC_SPECS,
  Topics,
  TopicSpec,
  allTopicSpecs,
  dlqTopic,
  outboxCheckpointSpec,
} from './topics';

const DAY_MS = 24 * 60 * 60 * 1000;
const byName = (specs: TopicSpec[]) => new Map(specs.map((s) => [s.name, s]));

describe('allTopicSpecs', () => {
  const specs = allTopicSpecs();
  const names = specs.map((s) => s.name);
  const index = byName(specs);

  it('includes every domain and ingest topic', () => {
    expect(Object.values(Topics)).toHaveLength(8);
    for (const topic of Object.values(Topics)) expect(names).toContain(topic);
  });

  it('keeps domain topics forever and ingest topics for 30 days', () => {
    for (const topic of [
      Topics.projects,
      Topics.parks,
      Topics.transport,
      Topics.evaluation,
      Topics.alerts,
    ]) {
      expect(index.get(topic)).toMatchObject({
        retentionMs: -1,
        cleanupPolicy: 'delete',
        consumed: true,
      });
    }
    for (const topic of [Topics.projectsIngest, Topics.parksIngest, Topics.transportIngest]) {
      expect(index.get(topic)).toMatchObject({ retentionMs: 30 * DAY_MS, consumed: true });
    }
  });

  it('has the broker stamp ingest records with their append time, and only those', () => {
    const stamped = specs.filter((s) => s.timestampType === 'LogAppendTime').map((s) => s.name);
    const ingest = [Topics.projectsIngest, Topics.parksIngest, Topics.transportIngest];
    expect(stamped.sort()).toEqual([...ingest, ...ingest.map(dlqTopic)].sort());
  });

  it('adds a .dlq twin for every consumed topic', () => {
    const consumed = TOPIC_SPECS.filter((s) => s.consumed);
    expect(consumed.length).toBeGreaterThan(0);
    for (const spec of consumed) {
      const dlq = index.get(`${spec.name}.dlq`);
      expect(dlq).toBeDefined();
      expect(dlq).toMatchObject({
        partitions: spec.partitions,
        cleanupPolicy: 'delete',
        retentionMs: 30 * DAY_MS,
        consumed: false,
      });
    }
  });

  it('adds no .dlq twin for a topic that is not consumed', () => {
    const dlqs = names.filter((n) => n.endsWith('.dlq'));
    expect(dlqs).toHaveLength(TOPIC_SPECS.filter((s) => s.consumed).length);
    expect(names.filter((n) => n.endsWith('.dlq.dlq'))).toEqual([]);
    for (const dlq of dlqs) expect(index.get(dlq)?.consumed).toBe(false);

    const withUnconsumed = allTopicSpecs([], '');
    expect(withUnconsumed.filter((s) => s.name.includes('outbox-checkpoint'))).toEqual([]);
  });

  it('adds one compacted, single-partition outbox checkpoint topic per service', () => {
    const checkpoints = specs.filter((s) => s.name.endsWith('.outbox-checkpoint'));
    expect(checkpoints.map((s) => s.name).sort()).toEqual(
      SERVICES.map((s) => `duban.${s}.outbox-checkpoint`).sort(),
    );
    for (const spec of checkpoints) {
      expect(spec).toMatchObject({
        partitions: 1,
        cleanupPolicy: 'compact',
        retentionMs: -1,
        consumed: false,
      });
      expect(index.has(`${spec.name}.dlq`)).toBe(false);
    }
  });

  it('has exactly the specs, their dead letters and the checkpoints', () => {
    const consumed = TOPIC_SPECS.filter((s) => s.consumed).length;
    expect(specs).toHaveLength(TOPIC_SPECS.length + consumed + SERVICES.length);
  });

  it('uses the given service list', () => {
    const custom = allTopicSpecs(['alpha', 'beta']);
    const checkpoints = custom
      .filter((s) => s.name.endsWith('.outbox-checkpoint'))
      .map((s) => s.name);
    expect(checkpoints).toEqual(['duban.alpha.outbox-checkpoint', 'duban.beta.outbox-checkpoint']);
  });

  it('gives every topic a unique name', () => {
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every topic a positive partition count and a description', () => {
    for (const spec of specs) {
      expect(spec.partitions).toBeGreaterThan(0);
      expect(spec.description.length).toBeGreaterThan(0);
    }
  });

  it('applies the prefix to every name', () => {
    const prefix = 'test-42.';
    const prefixed = allTopicSpecs(SERVICES, prefix);
    expect(prefixed).toHaveLength(specs.length);
    for (const spec of prefixed) expect(spec.name.startsWith(prefix)).toBe(true);
    expect(prefixed.map((s) => s.name)).toEqual(names.map((n) => prefix + n));
    expect(prefixed.map((s) => s.name)).toContain(`${prefix}${Topics.projects}.dlq`);
    expect(prefixed.map((s) => s.name)).toContain(`${prefix}duban.scheduler.outbox-checkpoint`);
  });

  it('does not mutate TOPIC_SPECS', () => {
    const before = TOPIC_SPECS.map((s) => ({ ...s }));
    allTopicSpecs(SERVICES, 'p.');
    expect(TOPIC_SPECS).toEqual(before);
  });
});

describe('dlqTopic and outboxCheckpointSpec', () => {
  it('appends .dlq', () => {
    expect(dlqTopic('duban.projects.v1')).toBe('duban.projects.v1.dlq');
  });

  it('prefixes the checkpoint topic', () => {
    expect(outboxCheckpointSpec('projects', 'ci.').name).toBe(
      'ci.duban.projects.outbox-checkpoint',
    );
  });
});
