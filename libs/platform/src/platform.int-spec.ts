import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Body, Controller, INestApplication, Module, Post } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Topics } from '@duban/contracts';
import { Roles, signToken, authSecretFrom } from '@duban/auth';
import { addToOutbox } from '@duban/messaging';
import {
  TestDatabase,
  TestTopics,
  TopicReader,
  createTestDatabase,
  createTestTopics,
  sampleMilestoneEvent,
  startTestApp,
} from '@duban/testing';
import { PlatformModule, ZodBody, fullSchema } from '.';

const KAFKA_SCRIPT = join(__dirname, '..', '..', '..', 'deploy', 'local', 'kafka.sh');
const kafkaCtl = (cmd: 'start' | 'stop'): void =>
  void execFileSync('bash', [KAFKA_SCRIPT, cmd], { stdio: 'ignore' });

const Report = z.strictObject({
  physicalProgressPct: z.number().min(0).max(100),
  month: z.string(),
});

@Controller('api/v1/echo')
class EchoController {
  @Post()
  @Roles('department', 'admin')
  echo(@Body(new ZodBody(Report)) body: z.infer<typeof Report>): z.infer<typeof Report> {
    return body;
  }
}

let db: TestDatabase;
let topics: TestTopics;
let app: INestApplication;
let reader: TopicReader;
const token = (role: 'department' | 'supervisor') =>
  signToken(
    {
      subject: 't',
      role,
      ...(role === 'department' && { unit: 'DRC', region: '511112' }),
    },
    authSecretFrom(),
  );

beforeAll(async () => {
  [db, topics] = await Promise.all([
    createTestDatabase('platform', fullSchema({ entities: [], migrations: [] })),
    createTestTopics('platform'),
  ]);
  process.env.DUBAN_PROJECTS_DB = db.config.database;
  process.env.DUBAN_TOPIC_PREFIX = topics.config.topicPrefix;
  process.env.DUBAN_LOG_LEVEL = 'silent';
  @Module({
    imports: [
      PlatformModule.forService({
        service: 'projects',
        schema: { entities: [], migrations: [] },
        consumes: [Topics.parks],
      }),
    ],
    controllers: [EchoController],
  })
  class TestAppModule {}
  app = await startTestApp(TestAppModule, { DUBAN_PROJECTS_PORT: '0' });
  reader = await new TopicReader(topics.kafka, [topics.name(Topics.projects)]).start();
});

afterAll(async () => {
  await app?.close();
  await reader?.stop();
  await db?.drop();
  await topics?.drop();
});

describe('a Duban service on the platform', () => {
  it('is live and ready when its database and Kafka answer', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, kafka: { status: 'up' }, consumer: { status: 'up' } },
    });
  });

  it('serves Prometheus metrics and the OpenAPI document', async () => {
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toContain('duban_outbox_relay_active');
    expect(metrics.text).toContain('process_cpu_seconds_total');
    expect(metrics.text).toMatch(
      /duban_http_requests_total\{[^}]*method="GET"[^}]*status="200"[^}]*\} [1-9]/,
    );
    const docs = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(docs.body.info.title).toBe('Duban projects');
    expect(Object.keys(docs.body.paths)).toContain('/api/v1/echo');
    const events = await request(app.getHttpServer()).get('/docs/asyncapi.json').expect(200);
    expect(events.body.asyncapi).toBe('3.0.0');
    expect(events.body.channels['duban.projects.v1'].messages).toHaveProperty([
      'duban.project.registered',
    ]);
  });

  it('answers errors as problem details: 401, 403, 400 with fields, unknown fields refused', async () => {
    const server = app.getHttpServer();
    const unauth = await request(server).post('/api/v1/echo').send({}).expect(401);
    expect(unauth.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unauth.body).toMatchObject({
      status: 401,
      title: 'Unauthorized',
      detail: 'missing bearer token',
    });

    const forbidden = await request(server)
      .post('/api/v1/echo')
      .auth(token('supervisor'), { type: 'bearer' })
      .send({});
    expect(forbidden.status).toBe(403);

    const bad = await request(server)
      .post('/api/v1/echo')
      .auth(token('department'), { type: 'bearer' })
      .send({ physicalProgressPct: 120, month: '2026-11', colour: 'red' })
      .expect(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'physicalProgressPct', message: expect.stringMatching(/100/) },
        { field: 'colour', message: 'unknown field: colour' },
      ]),
    );
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.ts/);

    const malformed = await request(server)
      .post('/api/v1/echo')
      .auth(token('department'), { type: 'bearer' })
      .set('content-type', 'application/json')
      .send('{"month": ')
      .expect(400);
    expect(malformed.body.type).toBeDefined();

    await request(server)
      .post('/api/v1/echo')
      .auth(token('department'), { type: 'bearer' })
      .send({ physicalProgressPct: 55.5, month: '2026-11' })
      .expect(201, { physicalProgressPct: 55.5, month: '2026-11' });
  });

  it('echoes the correlation id it was given', async () => {
    const res = await request(app.getHttpServer())
      .get('/health/live')
      .set('x-correlation-id', 'abc-123');
    expect(res.headers['x-correlation-id']).toBe('abc-123');
  });

  it('keeps accepting writes while Kafka is down, says so in readiness, and drains the backlog after', async () => {
    const ds = app.get(DataSource);
    const subject = sampleMilestoneEvent().subject;
    kafkaCtl('stop');
    try {
      const ready = await request(app.getHttpServer()).get('/health/ready').expect(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(ready.body.checks.kafka.status).toBe('down');
      expect(ready.body.checks.database.status).toBe('up');

      const written: string[] = [];
      for (let step = 1; step <= 5; step++) {
        const event = sampleMilestoneEvent(subject, step);
        await ds.transaction((m) => addToOutbox(m, Topics.projects, [event]));
        written.push(event.id);
      }
      const [{ waiting }] = await ds.query(
        'SELECT count(*)::int AS waiting FROM outbox WHERE published_at IS NULL',
      );
      expect(waiting).toBe(5);
    } finally {
      kafkaCtl('start');
    }
    const arrived = await reader.waitFor(
      (ms) => ms.filter((m) => m.key === subject).length >= 5,
      45000,
    );
    expect(
      arrived
        .filter((m) => m.key === subject)
        .map((m) => m.json<{ data: { name: string } }>().data.name),
    ).toEqual(['step-1', 'step-2', 'step-3', 'step-4', 'step-5']);
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });
});
