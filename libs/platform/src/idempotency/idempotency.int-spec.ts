import { randomUUID } from 'node:crypto';
import {
  Body,
  ConflictException,
  Controller,
  INestApplication,
  Module,
  Post,
} from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Public, authSecretFrom, signToken } from '@duban/auth';
import {
  TestDatabase,
  TestTopics,
  createTestDatabase,
  createTestTopics,
  startTestApp,
} from '@duban/testing';
import {
  IdempotencyInterceptor,
  KEY_RETENTION_HOURS,
  PlatformModule,
  ReplayWithout,
  fullSchema,
} from '..';

/** How often each handler actually ran: a replay must not move these. */
const runs = { create: 0, conflict: 0, boom: 0, mine: 0 };

interface WidgetBody {
  name: string;
  delayMs?: number;
}

@Controller('api/v1/widgets')
class WidgetsController {
  constructor(private readonly dataSource: DataSource) {}

  @Post()
  @Public()
  async create(@Body() body: WidgetBody): Promise<{ id: number; count: number }> {
    const count = ++runs.create;
    // Slow enough on request that concurrent retries overlap the first one.
    if (body.delayMs) await new Promise((r) => setTimeout(r, body.delayMs));
    const [{ id }] = await this.dataSource.query(
      'INSERT INTO widgets (name) VALUES ($1) RETURNING id',
      [body.name],
    );
    return { id, count };
  }

  @Post('conflict')
  @Public()
  conflict(): never {
    runs.conflict++;
    throw new ConflictException({
      type: 'urn:duban:problem:conflict',
      title: 'Conflict',
      status: 409,
      detail: `widget exists (attempt ${runs.conflict})`,
    });
  }

  @Post('boom')
  @Public()
  boom(): never {
    runs.boom++;
    throw new Error('database fell over');
  }

  /** No check of its own: the unique index is what refuses a second gadget of a name. */
  @Post('gadgets')
  @Public()
  async gadget(@Body() body: WidgetBody): Promise<{ name: string }> {
    await this.dataSource.query('INSERT INTO gadgets (name) VALUES ($1)', [body.name]);
    return { name: body.name };
  }

  /** Answers a secret once, as a webhook subscription does. */
  @Post('keys')
  @Public()
  @ReplayWithout('secret')
  issueKey(@Body() body: WidgetBody): { name: string; secret: string } {
    return { name: body.name, secret: randomUUID() };
  }

  /** Authenticated: the key is scoped to the token's claims. */
  @Post('mine')
  mine(@Body() body: WidgetBody): { name: string; run: number } {
    return { name: body.name, run: ++runs.mine };
  }
}

let db: TestDatabase;
let topics: TestTopics;
let app: INestApplication;
const server = () => app.getHttpServer();
const widgetsNamed = async (name: string): Promise<number> => {
  const [{ n }] = await db.dataSource.query(
    'SELECT count(*)::int AS n FROM widgets WHERE name = $1',
    [name],
  );
  return n;
};

beforeAll(async () => {
  [db, topics] = await Promise.all([
    createTestDatabase('idempotency', fullSchema({ entities: [], migrations: [] })),
    createTestTopics('idempotency'),
  ]);
  await db.dataSource.query('CREATE TABLE widgets (id serial PRIMARY KEY, name text NOT NULL)');
  await db.dataSource.query('CREATE TABLE gadgets (name text PRIMARY KEY)');
  process.env.DUBAN_PROJECTS_DB = db.config.database;
  process.env.DUBAN_TOPIC_PREFIX = topics.config.topicPrefix;
  process.env.DUBAN_LOG_LEVEL = 'silent';
  @Module({
    imports: [
      PlatformModule.forService({ service: 'projects', schema: { entities: [], migrations: [] } }),
    ],
    controllers: [WidgetsController],
  })
  class TestAppModule {}
  app = await startTestApp(TestAppModule, { DUBAN_PROJECTS_PORT: '0' });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
  await topics?.drop();
});

describe('Idempotency-Key on POST', () => {
  it('answers a retry with the first response without running the handler again', async () => {
    const key = randomUUID();
    const first = await request(server())
      .post('/api/v1/widgets')
      .set('Idempotency-Key', key)
      .send({ name: 'w1', tags: { b: 1, a: 2 } })
      .expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // Same request, keys in another order: the canonical body is the same.
    const again = await request(server())
      .post('/api/v1/widgets')
      .set('Idempotency-Key', key)
      .send({ tags: { a: 2, b: 1 }, name: 'w1' })
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await widgetsNamed('w1')).toBe(1);
  });

  it('refuses the same key with a different body as 422', async () => {
    const key = randomUUID();
    await request(server())
      .post('/api/v1/widgets')
      .set('Idempotency-Key', key)
      .send({ name: 'w2' })
      .expect(201);
    const reused = await request(server())
      .post('/api/v1/widgets')
      .set('Idempotency-Key', key)
      .send({ name: 'w2-other' })
      .expect(422);
    expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reused.body).toMatchObject({
      type: 'urn:duban:problem:idempotency-key-reused',
      title: 'Unprocessable content',
      status: 422,
      detail: `Idempotency-Key "${key}" was used with a different request`,
    });
    expect(await widgetsNamed('w2-other')).toBe(0);
  });

  it('scopes keys to the caller: two principals may use the same key', async () => {
    const key = randomUUID();
    const secret = authSecretFrom();
    const alice = signToken(
      { subject: 'alice', role: 'department', unit: 'DRC', region: '511112' },
      secret,
    );
    const bob = signToken({ subject: 'bob', role: 'supervisor' }, secret);
    const before = runs.mine;
    const send = (token: string, name: string) =>
      request(server())
        .post('/api/v1/widgets/mine')
        .auth(token, { type: 'bearer' })
        .set('Idempotency-Key', key)
        .send({ name });

    const a = await send(alice, 'a').expect(201);
    const b = await send(bob, 'b').expect(201);
    expect(a.body).toEqual({ name: 'a', run: before + 1 });
    expect(b.body).toEqual({ name: 'b', run: before + 2 });
    expect(b.headers['idempotent-replayed']).toBeUndefined();

    const aAgain = await send(alice, 'a').expect(201);
    expect(aAgain.body).toEqual(a.body);
    expect(aAgain.headers['idempotent-replayed']).toBe('true');
    const scopes = await db.dataSource.query(
      'SELECT scope FROM idempotency_keys WHERE key = $1 ORDER BY scope',
      [key],
    );
    expect(scopes).toEqual([
      { scope: '["department","DRC","511112","alice"]' },
      { scope: '["supervisor",null,null,"bob"]' },
    ]);
  });

  it('runs the same key and body afresh for another unit, region or role with the same subject', async () => {
    const key = randomUUID();
    const secret = authSecretFrom();
    const gateway = (role: 'department' | 'admin', unit?: string, region?: string) =>
      signToken({ subject: 'gateway', role, unit, region }, secret);
    const callers = [
      gateway('department', 'DRC', '511112'),
      gateway('department', 'DRC', '511113'),
      gateway('department', 'AGRI', '511112'),
      gateway('admin'),
    ];
    const before = runs.mine;
    const answers = [];
    for (const token of callers) {
      answers.push(
        await request(server())
          .post('/api/v1/widgets/mine')
          .auth(token, { type: 'bearer' })
          .set('Idempotency-Key', key)
          .send({ name: 'same' })
          .expect(201),
      );
    }
    expect(answers.map((a) => a.body.run)).toEqual([1, 2, 3, 4].map((n) => before + n));
    expect(answers.every((a) => a.headers['idempotent-replayed'] === undefined)).toBe(true);
  });

  it('keeps no field marked @ReplayWithout: a replay answers without the secret', async () => {
    const key = randomUUID();
    const send = () =>
      request(server())
        .post('/api/v1/widgets/keys')
        .set('Idempotency-Key', key)
        .send({ name: 'hook' })
        .expect(201);
    const first = await send();
    expect(first.body).toEqual({ name: 'hook', secret: expect.any(String) });

    const again = await send();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual({ name: 'hook' });
    const [stored] = await db.dataSource.query(
      'SELECT response_body::text AS body FROM idempotency_keys WHERE key = $1',
      [key],
    );
    expect(stored.body).not.toContain(first.body.secret);
  });

  it('replays a stored 4xx problem rather than running the handler again', async () => {
    const key = randomUUID();
    const before = runs.conflict;
    const first = await request(server())
      .post('/api/v1/widgets/conflict')
      .set('Idempotency-Key', key)
      .send({})
      .expect(409);
    const again = await request(server())
      .post('/api/v1/widgets/conflict')
      .set('Idempotency-Key', key)
      .send({})
      .expect(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.body.detail).toBe(`widget exists (attempt ${before + 1})`);
    expect(runs.conflict).toBe(before + 1);
  });

  it('keeps nothing after a 500, so a retry runs the handler again', async () => {
    const key = randomUUID();
    const before = runs.boom;
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await request(server())
        .post('/api/v1/widgets/boom')
        .set('Idempotency-Key', key)
        .send({})
        .expect(500);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(runs.boom).toBe(before + 2);
    const rows = await db.dataSource.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key]);
    expect(rows).toHaveLength(0);
  });

  it('runs the handler every time without the header', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await request(server()).post('/api/v1/widgets').send({ name: 'w3' }).expect(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(await widgetsNamed('w3')).toBe(2);
  });

  it('refuses a key over 255 characters or with non-printable ones as a 400 naming the header', async () => {
    for (const key of ['k'.repeat(256), 'caf\u00e9']) {
      const res = await request(server())
        .post('/api/v1/widgets')
        .set('Idempotency-Key', key)
        .send({ name: 'w4' })
        .expect(400);
      expect(res.body).toMatchObject({
        status: 400,
        detail: expect.stringMatching(/Idempotency-Key/),
      });
    }
    await request(server())
      .post('/api/v1/widgets')
      .set('Idempotency-Key', 'k'.repeat(255))
      .send({ name: 'w4' })
      .expect(201);
    expect(await widgetsNamed('w4')).toBe(1);
  });

  it('runs the handler once for concurrent identical requests', async () => {
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(server())
          .post('/api/v1/widgets')
          .set('Idempotency-Key', key)
          .send({ name: 'w5', delayMs: 300 }),
      ),
    );
    expect(await widgetsNamed('w5')).toBe(1);
    const fresh = responses.filter((r) => r.status === 201 && !r.headers['idempotent-replayed']);
    expect(fresh).toHaveLength(1);
    for (const res of responses.filter((r) => r !== fresh[0])) {
      if (res.status === 201) {
        expect(res.headers['idempotent-replayed']).toBe('true');
        expect(res.body).toEqual(fresh[0].body);
      } else {
        expect(res.status).toBe(409);
        expect(res.headers['retry-after']).toBe('1');
        expect(res.body.detail).toBe(
          'a request with this Idempotency-Key is still being processed',
        );
      }
    }
  });

  it('purges keys older than their retention and keeps younger ones', async () => {
    const [old, young, stuck] = [randomUUID(), randomUUID(), randomUUID()];
    // `stuck`: a claim a crashed request left pending; after the retention its key is free again.
    await db.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, state, created_at) VALUES
         ('anonymous', $1, 'f', 'done', now() - make_interval(hours => $4) - interval '1 minute'),
         ('anonymous', $2, 'f', 'done', now() - make_interval(hours => $4) + interval '1 minute'),
         ('anonymous', $3, 'f', 'pending', now() - make_interval(hours => $4) - interval '1 minute')`,
      [old, young, stuck, KEY_RETENTION_HOURS],
    );
    expect(await app.get(IdempotencyInterceptor).purgeExpired()).toBeGreaterThanOrEqual(2);
    const left = await db.dataSource.query(
      'SELECT key FROM idempotency_keys WHERE key = ANY($1) ORDER BY key',
      [[old, young, stuck]],
    );
    expect(left).toEqual([{ key: young }]);
  });

  it('answers a unique-index violation as a 409 naming the key, not a 500', async () => {
    await request(server()).post('/api/v1/widgets/gadgets').send({ name: 'g1' }).expect(201);
    const res = await request(server())
      .post('/api/v1/widgets/gadgets')
      .send({ name: 'g1' })
      .expect(409);
    expect(res.body).toMatchObject({
      type: 'urn:duban:problem:conflict',
      status: 409,
      detail: 'name g1 is already taken',
    });
  });
});
