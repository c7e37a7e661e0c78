import { readFileSync } from 'node:fs';
import request from 'supertest';
import { LOCAL_ADMIN_USERNAME, localAdminPasswordFile } from '@duban/messaging';
import { ConfigError } from '@duban/platform';
import { TestServiceApp, api, startServiceApp, startTsProcess, tokens } from '@duban/testing';
import { parksSchema } from '../../apps/parks/src/schema';
import { enterpriseBody, parkBody } from '../../apps/parks/src/testing/http';

/**
 * Bad input is a 4xx problem, never a 500; a production service exposes no docs and no open
 * metrics, and refuses to start with a secret anyone could know.
 */
const loadParks = async () => (await import('../../apps/parks/src/app.module')).AppModule;
const PROBLEM = /^application\/problem\+json/;
const STRONG_SECRET = 'f3a9c2e87b1d4056a9e2c7b3d8f1e0a4c6b2d9e8f7a1c3b5';
const SCRAPE_TOKEN = 'prometheus-scrape-token-0123456789abcdef';

/** Production settings; Kafka then wants credentials of its own: the local broker's admin. */
const production = (env: Record<string, string> = {}): Record<string, string> => ({
  NODE_ENV: 'production',
  DUBAN_AUTH_SECRET: STRONG_SECRET,
  DUBAN_INGEST_SECRET: `ingest-${STRONG_SECRET}`,
  DUBAN_KAFKA_USERNAME: LOCAL_ADMIN_USERNAME,
  DUBAN_KAFKA_PASSWORD: readFileSync(localAdminPasswordFile(), 'utf8').trim(),
  ...env,
});

describe('bad input over HTTP', () => {
  let parks: TestServiceApp;
  const server = () => parks.app.getHttpServer();
  const admin = () => api(server, tokens.admin());
  const postJson = (path: string, body: string) =>
    request(server())
      .post(path)
      .auth(tokens.admin(), { type: 'bearer' })
      .set('Content-Type', 'application/json')
      // The Idempotency-Key interceptor hashes the body: deep nesting overflowed its walk.
      .set('Idempotency-Key', `hardening-${Math.random()}`)
      .send(body);

  beforeAll(async () => {
    parks = await startServiceApp('parks', parksSchema, loadParks);
  });

  afterAll(async () => {
    await parks?.close();
  });

  it.each([
    ['arrays', '{"name":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}'],
    ['objects', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
  ])('refuses JSON of 10,000 nested %s with a 400 problem', async (_kind, body) => {
    const res = await postJson('/api/v1/parks', body).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      type: 'urn:duban:problem:malformed-body',
      status: 400,
      detail: 'JSON nested deeper than 32 levels',
    });
  });

  it('refuses malformed JSON with a 400 problem of its own type', async () => {
    const res = await postJson('/api/v1/parks', '{"name": ').expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ type: 'urn:duban:problem:malformed-body', status: 400 });
    expect(res.body.detail).toMatch(/^the body is not valid JSON/);
  });

  it('refuses a body over the 256 kB limit with a 413 problem saying the limit', async () => {
    const body = JSON.stringify({ ...parkBody(), name: 'x'.repeat(300 * 1024) });
    const res = await postJson('/api/v1/parks', body).expect(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      type: 'urn:duban:problem:body-too-large',
      status: 413,
      detail: 'the request body is larger than the limit of 256 kB',
      limitBytes: 256 * 1024,
    });
  });

  it.each([3e9, 1e20, Number.MAX_SAFE_INTEGER + 2])(
    'refuses %p employees, past the integer column, with a 400 naming the field',
    async (employees) => {
      const park = await admin().post('/api/v1/parks', parkBody()).expect(201);
      const res = await admin()
        .post('/api/v1/enterprises', enterpriseBody(park.body.id, { employees }))
        .expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors).toEqual([
        { field: 'employees', message: 'must be at most 2147483647' },
      ]);
    },
  );

  it('refuses a version past the integer column with a 400 naming the field', async () => {
    const park = await admin().post('/api/v1/parks', parkBody()).expect(201);
    const res = await admin()
      .patch(`/api/v1/parks/${park.body.id}`, { name: '新名称', version: 1e12 })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'version', message: 'must be at most 2147483647' }]);
  });
});

describe('a production service', () => {
  let parks: TestServiceApp;
  const get = (path: string) => request(parks.app.getHttpServer()).get(path);

  afterEach(async () => {
    await parks?.close();
  });

  it('serves no docs and no metrics unless configured', async () => {
    parks = await startServiceApp('parks', parksSchema, loadParks, production());
    for (const path of ['/docs', '/docs-json', '/docs/asyncapi.json', '/metrics']) {
      const res = await get(path).expect(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    }
    await get('/health/live').expect(200);
  });

  it('serves metrics only to a scraper bearing the token', async () => {
    parks = await startServiceApp(
      'parks',
      parksSchema,
      loadParks,
      production({ DUBAN_METRICS_TOKEN: SCRAPE_TOKEN }),
    );
    const refused = await get('/metrics').expect(401);
    expect(refused.headers['content-type']).toMatch(PROBLEM);
    await get('/metrics').auth(`${SCRAPE_TOKEN}x`, { type: 'bearer' }).expect(401);
    await get('/metrics').auth(tokens.admin(), { type: 'bearer' }).expect(401);
    const metrics = await get('/metrics').auth(SCRAPE_TOKEN, { type: 'bearer' }).expect(200);
    expect(metrics.text).toContain('service="parks"');
  });

  it('refuses to start with a placeholder secret, naming the variable', async () => {
    const start = startServiceApp(
      'parks',
      parksSchema,
      loadParks,
      production({ DUBAN_AUTH_SECRET: 'change-me' }),
    );
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/DUBAN_AUTH_SECRET is a known placeholder/);
  });
});

describe('main.ts with a bad configuration', () => {
  it('exits 1, listing every bad variable by name', async () => {
    const service = startTsProcess('apps/parks/src/main.ts', {
      ...production({ DUBAN_AUTH_SECRET: 'change-me' }),
      DUBAN_PG_PORT: 'five-four-three-two',
    });
    await service.waitForLine(/DUBAN_AUTH_SECRET is a known placeholder/, 60_000);
    await service.kill();
    expect(service.child.exitCode).toBe(1);
    expect(service.output).toEqual(
      expect.arrayContaining([
        'invalid configuration:',
        '  - DUBAN_PG_PORT must be a whole number from 1 to 65535',
        '  - DUBAN_AUTH_SECRET is a known placeholder',
      ]),
    );
  });
});
