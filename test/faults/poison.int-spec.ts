import { Message } from 'kafkajs';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  ParksEventTypes,
  ProjectEventTypes,
  TransportEventTypes,
  createEvent,
  dlqTopic,
} from '@duban/contracts';
import { TopicReader, chinaMonthFrom, signedIngestMessage } from '@duban/testing';
import { DOMAINS, Domain, FaultStack, INGEST, REGION, faultLine, watchHttp } from './fault-stack';

/**
 * Fault 2: 1,000 poison records mixed into the three ingest topics among the valid stream —
 * bad JSON, a type that belongs to another topic, unsigned, a signature that no longer matches,
 * a time in the future. Each is dead-lettered with its reason; nothing valid is held up or lost.
 */
jest.setTimeout(300000);

const POISON = 1000;
const KINDS = ['bad-json', 'wrong-topic', 'unsigned', 'tampered', 'future-time'] as const;
type Kind = (typeof KINDS)[number];

let stack: FaultStack;
let dlq: TopicReader;

beforeAll(async () => {
  stack = await FaultStack.start('poison', 14111);
  dlq = await new TopicReader(
    stack.kafkaTopics.kafka,
    DOMAINS.map((d) => stack.kafkaTopics.name(dlqTopic(INGEST[d]))),
  ).start();
}, 180000);

afterAll(async () => {
  await dlq?.stop();
  await stack?.stop();
});

const UNIT: Record<Domain, string> = {
  projects: 'AGRI',
  parks: 'PARK-TEXTILE',
  transport: 'TRANSPORT',
};

/**
 * Poison record `i` for `domain`: aimed at a real target, with a value no valid update
 * carries, so were it ever applied its effect would show up as unexpected.
 */
function poison(domain: Domain, kind: Kind, i: number): Message {
  const target = stack.targets.get(domain)![i % 20];
  const sender = { unit: UNIT[domain], region: REGION };
  const event = (time?: Date) => {
    if (domain === 'projects') {
      const [projectId, milestoneId] = target.split('/');
      return createEvent({
        type: ProjectEventTypes.ingestForecastReported,
        service: 'agri-system',
        subject: milestoneId,
        region: REGION,
        data: { projectId, milestoneId, forecastDate: '2031-01-01' },
        time,
      });
    }
    if (domain === 'parks') {
      return createEvent({
        type: ParksEventTypes.ingestIndicatorsSubmitted,
        service: 'park-system',
        subject: target,
        region: REGION,
        data: {
          parkId: target,
          month: chinaMonthFrom(-1),
          indicators: {
            outputValueWan: '86500.00',
            industrialValueAddedWan: '21300.00',
            taxWan: '1930.25',
            fixedInvestmentWan: '12000.00',
            employees: 900000 + i,
          },
        },
        time,
      });
    }
    const [workId, sectionId] = target.split('/');
    return createEvent({
      type: TransportEventTypes.ingestSectionProgressReported,
      service: 'jiaotong-system',
      subject: workId,
      region: REGION,
      data: { workId, sectionId, progressPct: 99.99 },
      time,
    });
  };
  switch (kind) {
    case 'bad-json':
      return {
        key: target,
        value: `{"specversion":"1.0","id":"poison-${i}"`,
        headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
      };
    case 'wrong-topic': {
      // A valid, signed update of another domain, on this domain's topic.
      const other = DOMAINS[(DOMAINS.indexOf(domain) + 1) % 3];
      return signedIngestMessage(poisonEvent(other, i), { unit: UNIT[other], region: REGION });
    }
    case 'unsigned': {
      const m = signedIngestMessage(event(), sender);
      return { ...m, headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE } };
    }
    case 'tampered': {
      // The signature of another message: well-formed, from the right key, not for these bytes.
      const m = signedIngestMessage(event(), sender);
      const other = signedIngestMessage(event(), sender);
      return {
        ...m,
        headers: { ...m.headers, 'duban-signature': other.headers!['duban-signature'] },
      };
    }
    case 'future-time':
      return signedIngestMessage(event(new Date(Date.now() + 3600_000)), sender);
  }
}

/** A signed-able event of `domain` (used as the wrong type on another topic). */
function poisonEvent(domain: Domain, i: number) {
  const target = stack.targets.get(domain)![i % 20];
  if (domain === 'projects') {
    const [projectId, milestoneId] = target.split('/');
    return createEvent({
      type: ProjectEventTypes.ingestForecastReported,
      service: 'agri-system',
      subject: milestoneId,
      region: REGION,
      data: { projectId, milestoneId, forecastDate: '2031-01-02' },
    });
  }
  if (domain === 'parks') {
    return createEvent({
      type: ParksEventTypes.ingestIndicatorsSubmitted,
      service: 'park-system',
      subject: target,
      region: REGION,
      data: {
        parkId: target,
        month: chinaMonthFrom(-1),
        indicators: {
          outputValueWan: '86500.00',
          industrialValueAddedWan: '21300.00',
          taxWan: '1930.25',
          fixedInvestmentWan: '12000.00',
          employees: 800000 + i,
        },
      },
    });
  }
  const [workId, sectionId] = target.split('/');
  return createEvent({
    type: TransportEventTypes.ingestSectionProgressReported,
    service: 'jiaotong-system',
    subject: workId,
    region: REGION,
    data: { workId, sectionId, progressPct: 99.98 },
  });
}

it('1,000 poison records among the updates: each dead-lettered with a reason, lag back to 0, every valid update applied once', async () => {
  const updates = stack.updates();
  // Spread evenly: after every few valid updates, one poison record (kind and topic rotating).
  const every = Math.floor(updates.length / POISON);
  const items: { domain: Domain; message: () => Message }[] = [];
  let p = 0;
  updates.forEach((u, i) => {
    items.push(u);
    if ((i + 1) % every === 0 && p < POISON) {
      const n = p++;
      const domain = DOMAINS[n % 3];
      const kind = KINDS[Math.floor(n / 3) % KINDS.length];
      items.push({ domain, message: () => poison(domain, kind, n) });
    }
  });
  expect(p).toBe(POISON);

  const http = watchHttp(stack);
  await stack.stream(items);
  const lastPoisonSent = Date.now();
  const tally = await stack.settled(180000, async () => (await stack.deadLetters()) >= POISON);
  const recovered = (Date.now() - lastPoisonSent) / 1000;
  const fivexx = await http.stop();
  const dead = await stack.deadLetters();
  console.log(faultLine('poison', tally, dead, fivexx, recovered));

  expect(tally).toMatchObject({
    sent: updates.length,
    applied: updates.length,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
    inbox: updates.length,
  });
  expect(dead).toBe(POISON);
  const letters = await dlq.waitForCount(POISON, 30000);
  const reasons = new Map<string, number>();
  for (const l of letters) {
    const reason = l.headers['x-duban-error-reason'];
    expect(reason).toBeTruthy();
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  console.log(`poison dead-letter reasons: ${JSON.stringify(Object.fromEntries(reasons))}`);
});
