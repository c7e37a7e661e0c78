import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Producer } from 'kafkajs';
import {
  DubanEvent,
  INGEST_REJECTED,
  IngestRejectedData,
  ParkEventTypes,
  ProjectEventTypes,
  Topics,
  chinaDate,
  chinaMonth,
  createEvent,
  dlqTopic,
} from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { createIdempotentProducer } from '@duban/messaging';
import {
  TestServiceApp,
  TopicReader,
  eventually,
  signedIngestMessage,
  startServiceApp,
} from '@duban/testing';
import { projectsSchema } from '../schema';

let svc: TestServiceApp;
let producer: Producer;
let domain: TopicReader;
let dlq: TopicReader;

const REGION = '511112';
const token = (unit: string) =>
  signToken(
    { subject: `${unit}-system`, role: 'department', unit, region: REGION },
    authSecretFrom(),
  );
const http = () => request(svc.app.getHttpServer());

/**
 * What a department system does: publish a CloudEvent signed with its unit's ingest key
 * (`unit` null: unsigned). Foreign systems skip our publish-side checks, so `tamper` may break
 * the event after it is built.
 */
async function ingest(
  type: string,
  subject: string,
  data: unknown,
  unit: string | null = 'AGRI',
  tamper: (event: DubanEvent) => void = () => undefined,
) {
  const event = createEvent({ type, service: 'agri-system', subject, region: REGION, data });
  tamper(event);
  const message = signedIngestMessage(event, { unit: unit ?? 'AGRI', region: REGION });
  await producer.send({
    topic: svc.topics.name(Topics.projectsIngest),
    messages: [unit ? message : { ...message, headers: {} }],
  });
  return event;
}

const ofType = (type: string, subject?: string) =>
  domain.messages
    .map((m) => m.json<DubanEvent>())
    .filter((e) => e.type === type && (subject === undefined || e.subject === subject));

async function createProject(parkId: string | null = null): Promise<string> {
  const res = await http()
    .post('/api/v1/projects')
    .auth(token('AGRI'), { type: 'bearer' })
    .send({
      code: `ING-${randomUUID().slice(0, 8)}`,
      name: '生猪种业国家现代农业产业园',
      category: 'agriculture',
      level: 'national',
      leadUnit: 'AGRI',
      responsibleLeader: '王副县长',
      township: '青富镇',
      regionCode: REGION,
      totalPlannedInvestmentWan: '120000.00',
      annualPlannedInvestmentWan: '30000.00',
      plannedStartDate: '2024-03-01',
      plannedEndDate: '2027-12-31',
      parkId,
    });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function rejection(eventId: string): Promise<IngestRejectedData> {
  await eventually(() =>
    ofType(INGEST_REJECTED).some((e) => (e.data as IngestRejectedData).rejectedEventId === eventId),
  );
  return ofType(INGEST_REJECTED).find(
    (e) => (e.data as IngestRejectedData).rejectedEventId === eventId,
  )!.data as IngestRejectedData;
}

beforeAll(async () => {
  svc = await startServiceApp(
    'projects',
    projectsSchema,
    async () => (await import('../app.module')).AppModule,
  );
  producer = createIdempotentProducer(svc.topics.kafka);
  await producer.connect();
  domain = await new TopicReader(svc.topics.kafka, [svc.topics.name(Topics.projects)]).start();
  dlq = await new TopicReader(svc.topics.kafka, [
    svc.topics.name(dlqTopic(Topics.projectsIngest)),
  ]).start();
});

afterAll(async () => {
  await domain?.stop();
  await dlq?.stop();
  await producer?.disconnect();
  await svc?.close();
});

describe('projects ingest topic and park directory', () => {
  it('learns parks from duban.parks.v1 and then accepts a link to one', async () => {
    const parkId = randomUUID();
    const park = createEvent({
      type: ParkEventTypes.registered,
      service: 'parks',
      subject: parkId,
      region: REGION,
      data: {
        parkId,
        name: 'XX·武侯智谷智能制造产业园',
        regionCode: REGION,
        managingUnit: 'PARK-WH',
      },
    });
    const unknown = await http()
      .post('/api/v1/projects')
      .auth(token('AGRI'), { type: 'bearer' })
      .send({
        code: 'ING-PARK',
        name: 'x',
        category: 'c',
        level: 'county',
        leadUnit: 'AGRI',
        responsibleLeader: 'y',
        township: 'z',
        regionCode: REGION,
        totalPlannedInvestmentWan: '1.00',
        annualPlannedInvestmentWan: '1.00',
        plannedStartDate: '2026-01-01',
        plannedEndDate: '2026-12-31',
        parkId,
      });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'parkId', message: `unknown park ${parkId}` }]);

    await producer.send({
      topic: svc.topics.name(Topics.parks),
      messages: [{ key: parkId, value: JSON.stringify(park) }],
    });
    await eventually(
      async () =>
        (await svc.db.dataSource.query('SELECT 1 FROM known_parks WHERE park_id = $1', [parkId]))
          .length === 1,
    );
    const projectId = await createProject(parkId);
    expect(
      (await http().get(`/api/v1/projects/${projectId}`).auth(token('AGRI'), { type: 'bearer' }))
        .body.parkId,
    ).toBe(parkId);
  });

  it('applies a progress report from Kafka through the same code as HTTP, once even if sent twice', async () => {
    const projectId = await createProject();
    const month = chinaMonth(new Date());
    const event = await ingest(ProjectEventTypes.ingestProgressReported, projectId, {
      projectId,
      report: {
        month,
        investmentCompletedWan: '2500.00',
        cumulativeInvestmentWan: '86000.00',
        physicalProgressPct: 72.5,
        coordinationRequests: [{ description: '请协调电力增容' }],
      },
    });
    await producer.send({
      topic: svc.topics.name(Topics.projectsIngest),
      messages: [signedIngestMessage(event, { unit: 'AGRI', region: REGION })],
    });
    await eventually(() => ofType(ProjectEventTypes.reportSubmitted, projectId).length === 1);
    const report = await http()
      .get(`/api/v1/projects/${projectId}/progress-reports/${month}`)
      .auth(token('AGRI'), { type: 'bearer' });
    expect(report.body).toMatchObject({
      cumulativeInvestmentWan: '86000.00',
      physicalProgressPct: 72.5,
      submittedBy: 'AGRI',
    });
    expect(report.body.items).toEqual([
      expect.objectContaining({ kind: 'coordination', status: 'open' }),
    ]);
    await new Promise((r) => setTimeout(r, 500));
    expect(ofType(ProjectEventTypes.reportSubmitted, projectId)).toHaveLength(1);
    expect(ofType(ProjectEventTypes.reportCorrected, projectId)).toHaveLength(0);
  });

  it('runs the progress service in the inbox transaction: a failure after it rolls back its writes, and the redelivery applies once', async () => {
    const projectId = await createProject();
    const month = chinaMonth(new Date());
    const event = createEvent({
      type: ProjectEventTypes.ingestProgressReported,
      service: 'agri-system',
      subject: projectId,
      region: REGION,
      data: {
        projectId,
        report: {
          month,
          investmentCompletedWan: '100.00',
          cumulativeInvestmentWan: '900.00',
          physicalProgressPct: 10,
        },
      },
    });
    // The first commit of this event's inbox transaction fails with a serialization failure
    // (transient: held back and redelivered), after the service wrote its report and outbox
    // row. A service that opened its own transaction would have committed them already, and the
    // redelivery would file a correction beside them.
    const ds = svc.db.dataSource;
    const fault = `fail_once_${event.id.replace(/-/g, '')}`;
    await ds.query(`CREATE SEQUENCE ${fault}`);
    await ds.query(`
      CREATE FUNCTION ${fault}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('${fault}') = 1 THEN
          RAISE EXCEPTION 'injected failure after the handler' USING ERRCODE = '40001';
        END IF;
        RETURN NULL;
      END $$`);
    await ds.query(`
      CREATE CONSTRAINT TRIGGER ${fault} AFTER INSERT ON inbox DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.event_id = '${event.id}') EXECUTE FUNCTION ${fault}()`);
    try {
      await producer.send({
        topic: svc.topics.name(Topics.projectsIngest),
        messages: [signedIngestMessage(event, { unit: 'AGRI', region: REGION })],
      });
      // Barrier: the redelivery committed (its inbox row is there), or the event was refused.
      const refusals = () =>
        ofType(INGEST_REJECTED)
          .map((e) => e.data as IngestRejectedData)
          .filter((r) => r.rejectedEventId === event.id);
      await eventually(
        async () =>
          refusals().length > 0 ||
          (await ds.query('SELECT 1 FROM inbox WHERE event_id = $1', [event.id])).length === 1,
      );
      expect(refusals()).toEqual([]);
      const [{ tries }] = await ds.query(`SELECT last_value::int AS tries FROM ${fault}`);
      expect(tries).toBe(2);
      const reports = await ds.query('SELECT version FROM progress_reports WHERE project_id = $1', [
        projectId,
      ]);
      expect(reports).toEqual([{ version: 1 }]);
      const events = await ds.query(
        `SELECT event_type FROM outbox WHERE payload->'data'->>'projectId' = $1
            AND event_type LIKE '%report%' ORDER BY sequence`,
        [projectId],
      );
      expect(events).toEqual([{ event_type: ProjectEventTypes.reportSubmitted }]);
      await eventually(() => ofType(ProjectEventTypes.reportSubmitted, projectId).length === 1);
      expect(ofType(ProjectEventTypes.reportCorrected, projectId)).toHaveLength(0);
    } finally {
      await ds.query(`DROP TRIGGER ${fault} ON inbox`);
      await ds.query(`DROP FUNCTION ${fault}()`);
      await ds.query(`DROP SEQUENCE ${fault}`);
    }
  });

  it('completes a milestone reported by its owner unit over Kafka', async () => {
    const projectId = await createProject();
    const created = await http()
      .post(`/api/v1/projects/${projectId}/milestones`)
      .auth(token('AGRI'), { type: 'bearer' })
      .send({ name: '完成环评批复', ownerUnit: 'ENV', plannedDate: chinaDate(new Date()) });
    const milestoneId = created.body.id;
    await ingest(
      ProjectEventTypes.ingestCompletionReported,
      milestoneId,
      { projectId, milestoneId, actualDate: chinaDate(new Date()) },
      'ENV',
    );
    await eventually(() => ofType('duban.milestone.completed', milestoneId).length === 1);
    expect(ofType('duban.milestone.completed', milestoneId)[0].data).toMatchObject({
      status: 'met',
      milestoneId,
      ownerUnit: 'ENV',
    });
  });

  it('dead-letters refused updates with their reason and announces each to the sender', async () => {
    const projectId = await createProject();
    const bad = await ingest(
      ProjectEventTypes.ingestProgressReported,
      projectId,
      {
        projectId,
        report: {
          month: '2026-10',
          investmentCompletedWan: '1.00',
          cumulativeInvestmentWan: '1.00',
          physicalProgressPct: 50,
        },
      },
      'AGRI',
      (e) =>
        ((e.data as { report: { physicalProgressPct: number } }).report.physicalProgressPct = 150),
    );
    const anonymous = await ingest(
      ProjectEventTypes.ingestStatusChangeRequested,
      projectId,
      { projectId, status: 'pre-work' },
      null,
    );
    const otherUnit = await ingest(
      ProjectEventTypes.ingestStatusChangeRequested,
      projectId,
      { projectId, status: 'pre-work' },
      'WATER',
    );
    const illegal = await ingest(ProjectEventTypes.ingestStatusChangeRequested, projectId, {
      projectId,
      status: 'completed',
    });

    expect(await rejection(bad.id)).toMatchObject({
      reason: 'schema-violation',
      rejectedType: ProjectEventTypes.ingestProgressReported,
      senderSource: '/duban/agri-system',
    });
    expect((await rejection(bad.id)).message).toContain('physicalProgressPct');
    expect(await rejection(anonymous.id)).toMatchObject({
      reason: 'unauthorized',
      message: 'unsigned message: headers duban-key-id and duban-signature are required',
    });
    expect(await rejection(otherUnit.id)).toMatchObject({
      reason: 'rule-forbidden',
      message: 'unit WATER may not act for unit AGRI',
    });
    expect((await rejection(illegal.id)).reason).toBe('rule-conflict');
    expect((await rejection(illegal.id)).message).toContain('allowed next: pre-work');

    const letters = await dlq.waitFor((ms) => ms.length >= 4);
    expect(letters.map((l) => l.headers['x-duban-error-reason']).sort()).toEqual(
      ['rule-forbidden', 'rule-conflict', 'schema-violation', 'unauthorized'].sort(),
    );
    // Nothing of the refused updates reached the project.
    const project = await http()
      .get(`/api/v1/projects/${projectId}`)
      .auth(token('AGRI'), { type: 'bearer' });
    expect(project.body).toMatchObject({ status: 'reserve', version: 1 });
  });
});
