/**
 * Issue 11, the HTTP side: tokens that must not be honoured, roles and regions on writes, and
 * Idempotency-Keys that must not hand one caller's answer (or a secret) to another.
 */
import { randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import request from 'supertest';
import { Principal, authSecretFrom, signToken } from '@duban/auth';
import { TestServiceApp, startServiceApp } from '@duban/testing';
import { schedulerSchema } from '../../apps/scheduler/src/schema';
import {
  ProjectsHarness,
  REGION,
  api,
  chinaMonthFrom,
  projectBody,
  startProjectsApp,
  tokens,
} from '../../apps/projects/src/testing/http';

const OTHER_REGION = '511113';
const secret = authSecretFrom();
const bearer = (p: Principal): string => signToken(p, secret);

let projects: ProjectsHarness;
let scheduler: TestServiceApp;
const projectsApi = (token: string) => api(() => projects.server(), token);
const schedulerServer = () => scheduler.app.getHttpServer();

beforeAll(async () => {
  projects = await startProjectsApp();
  scheduler = await startServiceApp(
    'scheduler',
    schedulerSchema,
    async () => (await import('../../apps/scheduler/src/app.module')).AppModule,
  );
});

afterAll(async () => {
  await projects?.close();
  await scheduler?.close();
});

describe('bearer tokens', () => {
  /** Claims signed with the services' own secret, so only the claims themselves are wrong. */
  const forged = (claims: object, options: object = {}) =>
    sign(claims, secret, { issuer: 'duban', subject: 'forger', ...options });

  const refusal = async (token: string): Promise<string> => {
    const res = await projectsApi(token).get('/api/v1/projects').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.body.detail;
  };

  it('refuses a token without exp', async () => {
    expect(await refusal(forged({ role: 'admin' }))).toBe('token has no expiry (exp claim)');
  });

  it('refuses a token living longer than the 12 h maximum', async () => {
    expect(await refusal(forged({ role: 'admin' }, { expiresIn: '30d' }))).toBe(
      'token lifetime 30d exceeds the maximum of 12h',
    );
    const undated = forged(
      { role: 'admin', exp: Math.floor(Date.now() / 1000) + 48 * 3600 },
      { noTimestamp: true },
    );
    expect(await refusal(undated)).toMatch(/more than the maximum of 12h from now$/);
  });

  it('refuses a department token without a region', async () => {
    const unbound = forged({ role: 'department', unit: 'AGRI' }, { expiresIn: '1h' });
    expect(await refusal(unbound)).toBe(
      'invalid claims: a department principal must carry a region',
    );
  });
});

describe('alert acknowledgement', () => {
  it('is refused to an integrator (403), which only reads', async () => {
    const id = randomUUID();
    const acknowledge = (token: string) =>
      request(schedulerServer())
        .post(`/api/v1/alerts/${id}/acknowledge`)
        .auth(token, { type: 'bearer' })
        .send({ note: '已督促', commitDate: '2026-12-31' });
    const refused = await acknowledge(bearer({ subject: 'city-platform', role: 'integrator' }));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/requires role department or supervisor or admin/);
    // The same call from a supervisor reaches the alert lookup: that one does not exist.
    await acknowledge(tokens.supervisor()).expect(404);
  });
});

describe('progress-report item resolution', () => {
  const month = chinaMonthFrom(-1);

  async function reportWithRequest(): Promise<{ url: string; itemId: string }> {
    const lead = projectsApi(tokens.department('AGRI'));
    const project = await lead.post('/api/v1/projects', projectBody()).expect(201);
    const reports = `/api/v1/projects/${project.body.id}/progress-reports`;
    const report = await lead
      .post(reports, {
        month,
        investmentCompletedWan: '2500.00',
        cumulativeInvestmentWan: '86000.00',
        physicalProgressPct: 72.5,
        narrative: '育种中心主体完工',
        problems: [],
        coordinationRequests: [{ description: '请协调电力增容' }],
      })
      .expect(201);
    return { url: `${reports}/${month}`, itemId: report.body.items[0].id };
  }

  it('answers 404 to a token of another region, whatever its role or unit, and changes nothing', async () => {
    const { url, itemId } = await reportWithRequest();
    const strangers = [
      bearer({ subject: `duchashi-${OTHER_REGION}`, role: 'supervisor', region: OTHER_REGION }),
      tokens.department('AGRI', OTHER_REGION),
    ];
    for (const token of strangers) {
      const res = await projectsApi(token)
        .post(`${url}/items/${itemId}/resolve`, { resolution: '已协调' })
        .expect(404);
      expect(res.body.detail).not.toMatch(/AGRI/);
    }
    const report = await projectsApi(tokens.supervisor()).get(url).expect(200);
    expect(report.body.items[0]).toMatchObject({ id: itemId, status: 'open', resolvedBy: null });

    const home = bearer({ subject: `duchashi-${REGION}`, role: 'supervisor', region: REGION });
    const resolved = await projectsApi(home)
      .post(`${url}/items/${itemId}/resolve`, { resolution: '已协调' })
      .expect(200);
    expect(resolved.body.items[0]).toMatchObject({ status: 'resolved' });
  });
});

describe('Idempotency-Key', () => {
  it("runs afresh for another county's caller with the same subject, never replaying the first answer", async () => {
    const key = randomUUID();
    const body = projectBody({ leadUnit: 'AGRI' });
    const gateway = (region: string) =>
      bearer({ subject: 'agri-gateway', role: 'department', unit: 'AGRI', region });
    const post = (region: string) =>
      request(projects.server())
        .post('/api/v1/projects')
        .auth(gateway(region), { type: 'bearer' })
        .set('Idempotency-Key', key)
        .send(body);

    const first = await post(REGION).expect(201);
    const other = await post(OTHER_REGION);
    expect(other.status).toBe(403);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(JSON.stringify(other.body)).not.toContain(first.body.id);

    const again = await post(REGION).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it('replays a webhook subscription without its signing secret', async () => {
    const key = randomUUID();
    const subscribe = () =>
      request(schedulerServer())
        .post('/api/v1/subscriptions')
        .auth(tokens.supervisor(), { type: 'bearer' })
        .set('Idempotency-Key', key)
        .send({ url: 'http://127.0.0.1:9/hook', filter: { minSeverity: 'major' } })
        .expect(201);

    const first = await subscribe();
    expect(first.body.secret).toMatch(/^[0-9a-f]{64}$/);
    const again = await subscribe();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.body).not.toHaveProperty('secret');
    const stored = await scheduler.db.dataSource.query(
      'SELECT response_body::text AS body FROM idempotency_keys WHERE key = $1',
      [key],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].body).not.toContain(first.body.secret);
  });
});
