import { randomUUID } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket, createServer as createTcpServer } from 'node:net';
import { Queue } from 'bullmq';
import { Producer } from 'kafkajs';
import request from 'supertest';
import {
  MilestoneEventData,
  MilestoneEventTypes,
  Topics,
  chinaDate,
  createEvent,
} from '@duban/contracts';
import { authSecretFrom, signToken } from '@duban/auth';
import { createIdempotentProducer } from '@duban/messaging';
import { redisConnectionOptions } from '@duban/platform';
import { TestServiceApp, eventually, startServiceApp } from '@duban/testing';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../../apps/scheduler/src/scheduler.config';
import { schedulerSchema } from '../../apps/scheduler/src/schema';
import { DeliveryRetention } from '../../apps/scheduler/src/notifications/delivery-retention.service';
import { WebhookResolver } from '../../apps/scheduler/src/notifications/webhook-client';
import {
  WEBHOOK_CONFIG,
  WebhookConfig,
} from '../../apps/scheduler/src/notifications/webhook.config';

/**
 * Webhooks may not be turned against the network behind the scheduler (issue 11): addresses
 * refused when subscribing and again when connecting, no redirects, generic delivery logs,
 * subscribers' roles and cap, and one dead receiver holding up no one else.
 */
let svc: TestServiceApp;
let producer: Producer;
let config: WebhookConfig;
let webhookQueue: Queue;
const secret = authSecretFrom();
const http = () => request(svc.app.getHttpServer());
const integrator = (subject = `city-${randomUUID().slice(0, 8)}`) =>
  signToken({ subject, role: 'integrator' }, secret);
const unit = () => `U-${randomUUID().slice(0, 8).toUpperCase()}`;

beforeAll(async () => {
  Object.assign(process.env, {
    DUBAN_SCHEDULER_SWEEP_SECONDS: '3600',
    DUBAN_WEBHOOK_ATTEMPTS: '5',
    DUBAN_WEBHOOK_BACKOFF_MS: '100',
    DUBAN_WEBHOOK_TIMEOUT_MS: '30000',
    DUBAN_WEBHOOK_CONCURRENCY: '4',
    DUBAN_WEBHOOK_MAX_PER_OWNER: '3',
    DUBAN_WEBHOOK_BREAKER_FAILURES: '2',
    DUBAN_WEBHOOK_BREAKER_COOLDOWN_SECONDS: '600',
  });
  svc = await startServiceApp(
    'scheduler',
    schedulerSchema,
    async () => (await import('../../apps/scheduler/src/app.module')).AppModule,
  );
  config = svc.app.get<WebhookConfig>(WEBHOOK_CONFIG);
  producer = createIdempotentProducer(svc.topics.kafka);
  await producer.connect();
  // Read-only view of the delivery queue, to see the breaker defer a job.
  webhookQueue = new Queue('webhooks', {
    connection: redisConnectionOptions(),
    prefix: svc.app.get<SchedulerConfig>(SCHEDULER_CONFIG).redisPrefix,
  });
});

afterAll(async () => {
  await webhookQueue?.close();
  await producer?.disconnect();
  await svc?.close();
});

afterEach(() => {
  config.allowLoopback = true;
  jest.restoreAllMocks();
});

/** A milestone of `ownerUnit` five days overdue: the scheduler raises an alert at once. */
async function raiseAlertFor(ownerUnit: string): Promise<void> {
  const date = chinaDate(new Date(Date.now() - 5 * 86_400_000));
  const data: MilestoneEventData = {
    subjectType: 'project',
    subjectId: randomUUID(),
    milestoneId: randomUUID(),
    name: '完成工可批复',
    ownerUnit,
    plannedDate: date,
    currentPlannedDate: date,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
  };
  const event = createEvent({
    type: MilestoneEventTypes.scheduled,
    service: 'projects',
    subject: data.milestoneId,
    region: '511112',
    data,
  });
  await producer.send({
    topic: svc.topics.name(Topics.projects),
    messages: [{ key: data.milestoneId, value: JSON.stringify(event) }],
  });
}

async function subscribe(token: string, url: string, ownerUnit = unit()): Promise<string> {
  const res = await http()
    .post('/api/v1/subscriptions')
    .auth(token, { type: 'bearer' })
    .send({ url, filter: { unit: ownerUnit } })
    .expect(201);
  return res.body.id;
}

interface LoggedDelivery {
  id: string;
  state: string;
  attempts: number;
  lastError: string | null;
}

async function deliveries(token: string, id: string, query = ''): Promise<LoggedDelivery[]> {
  const res = await http()
    .get(`/api/v1/subscriptions/${id}/deliveries${query}`)
    .auth(token, { type: 'bearer' })
    .expect(200);
  return res.body.items;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function receiver(handle: Handler): Promise<{ base: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const closeAll = (server: Server) => {
  server.closeAllConnections();
  server.close();
};

describe('subscribing', () => {
  it.each([
    'https://127.0.0.1/hook',
    'https://[::1]/hook',
    'https://0x7f000001/hook',
    'https://2130706433/hook',
    'https://0177.0.0.1/hook',
    'https://127.1/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://localhost/hook',
    'http://hooks.example.com/alerts',
  ])('refuses %s with a 400 naming url', async (url) => {
    config.allowLoopback = false;
    const res = await http()
      .post('/api/v1/subscriptions')
      .auth(integrator(), { type: 'bearer' })
      .send({ url, filter: {} })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'url', message: expect.any(String) }]);
  });

  it('allows loopback only under the local allowance, and nothing else private with it', async () => {
    const token = integrator();
    await subscribe(token, 'http://127.0.0.1:9/hook');
    for (const url of ['https://10.0.0.1/hook', 'https://169.254.169.254/', 'http://192.168.1.1/'])
      await http()
        .post('/api/v1/subscriptions')
        .auth(token, { type: 'bearer' })
        .send({ url, filter: {} })
        .expect(400);
  });

  it('lets supervisors, integrators and admins subscribe, not a department', async () => {
    const department = signToken(
      { subject: 'agri', role: 'department', unit: 'AGRI', region: '511112' },
      secret,
    );
    const res = await http()
      .post('/api/v1/subscriptions')
      .auth(department, { type: 'bearer' })
      .send({ url: 'https://hooks.example.com/agri', filter: {} })
      .expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    await subscribe(integrator(), 'https://hooks.example.com/city');
    await subscribe(
      signToken({ subject: 'duchashi-cap', role: 'supervisor' }, secret),
      'https://hooks.example.com/office',
    );
  });

  it('caps the subscriptions of one owner', async () => {
    const token = integrator();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await subscribe(token, `https://hooks.example.com/${i}`));
    const res = await http()
      .post('/api/v1/subscriptions')
      .auth(token, { type: 'bearer' })
      .send({ url: 'https://hooks.example.com/3', filter: {} })
      .expect(409);
    expect(res.body.detail).toMatch(/at most 3 webhook subscriptions/);
    await subscribe(integrator(), 'https://hooks.example.com/other-owner');
    await http()
      .delete(`/api/v1/subscriptions/${ids[0]}`)
      .auth(token, { type: 'bearer' })
      .expect(204);
    await subscribe(token, 'https://hooks.example.com/3');
  });
});

describe('delivering', () => {
  it('refuses at connect time a host name that resolves to loopback', async () => {
    const connections: Socket[] = [];
    const target = createTcpServer((socket) => connections.push(socket.destroy()));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const port = (target.address() as AddressInfo).port;
    const resolver = svc.app.get(WebhookResolver);
    const lookup = resolver.lookup.bind(resolver);
    jest
      .spyOn(resolver, 'lookup')
      .mockImplementation((host) =>
        host === 'hooks.rebind.test'
          ? Promise.resolve([{ address: '127.0.0.1', family: 4 }])
          : lookup(host),
      );
    config.allowLoopback = false;
    try {
      const token = integrator();
      const owner = unit();
      const id = await subscribe(token, `https://hooks.rebind.test:${port}/alerts`, owner);
      await raiseAlertFor(owner);
      await eventually(
        async () => (await deliveries(token, id))[0]?.lastError === 'address not allowed',
        20000,
        'refused delivery',
      );
      expect(connections).toHaveLength(0);
      const log = JSON.stringify(await deliveries(token, id));
      expect(log).not.toContain('127.0.0.1');
      expect(log).not.toContain('rebind');
    } finally {
      target.close();
    }
  });

  it('does not follow a redirect: the delivery fails and the target hears nothing', async () => {
    let targetHits = 0;
    const target = await receiver((_req, res) => {
      targetHits++;
      res.writeHead(204).end();
    });
    const redirector = await receiver((_req, res) =>
      res.writeHead(302, { location: `${target.base}/stolen` }).end('moved: internal body'),
    );
    try {
      const token = integrator();
      const owner = unit();
      const id = await subscribe(token, `${redirector.base}/hook`, owner);
      await raiseAlertFor(owner);
      await eventually(
        async () => (await deliveries(token, id))[0]?.lastError === 'redirect not followed',
        20000,
        'redirect refused',
      );
      expect(targetHits).toBe(0);
    } finally {
      closeAll(target.server);
      closeAll(redirector.server);
    }
  });

  it('pages the delivery log with limit and cursor', async () => {
    const hook = await receiver((_req, res) => res.writeHead(204).end());
    try {
      const token = integrator();
      const owner = unit();
      const id = await subscribe(token, `${hook.base}/hook`, owner);
      for (let i = 0; i < 3; i++) await raiseAlertFor(owner);
      await eventually(
        async () => (await deliveries(token, id, '?state=delivered&limit=10')).length === 3,
        20000,
        'three deliveries',
      );
      const first = await http()
        .get(`/api/v1/subscriptions/${id}/deliveries?limit=2`)
        .auth(token, { type: 'bearer' })
        .expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toBe(first.body.items[1].id);
      const second = await http()
        .get(`/api/v1/subscriptions/${id}/deliveries?limit=2&cursor=${first.body.nextCursor}`)
        .auth(token, { type: 'bearer' })
        .expect(200);
      expect(second.body).toEqual({ items: [expect.any(Object)], nextCursor: null });
      const ids = [...first.body.items, ...second.body.items].map((d: LoggedDelivery) => d.id);
      expect(new Set(ids).size).toBe(3);
      expect(await deliveries(token, id, '?state=dead')).toEqual([]);
    } finally {
      closeAll(hook.server);
    }
  });

  it('delivers to a healthy receiver while a dead one still holds its request', async () => {
    const held: ServerResponse[] = [];
    let holding = 0;
    const dead = await receiver((_req, res) => {
      holding++;
      res.on('close', () => holding--);
      held.push(res);
    });
    let holdingWhenHealthyHeard: number | null = null;
    const healthy = await receiver((_req, res) => {
      holdingWhenHealthyHeard ??= holding;
      res.writeHead(204).end();
    });
    try {
      const token = integrator();
      const [deadUnit, healthyUnit] = [unit(), unit()];
      await subscribe(token, `${dead.base}/hook`, deadUnit);
      await subscribe(token, `${healthy.base}/hook`, healthyUnit);
      await raiseAlertFor(deadUnit);
      await eventually(() => holding > 0, 20000, 'dead receiver holding a request');
      await raiseAlertFor(healthyUnit);
      await eventually(() => holdingWhenHealthyHeard !== null, 20000, 'healthy delivery');
      expect(holdingWhenHealthyHeard).toBe(1);
    } finally {
      held.filter((r) => !r.writableEnded).forEach((r) => r.writeHead(500).end());
      closeAll(dead.server);
      closeAll(healthy.server);
    }
  });

  it('opens the breaker of a failing receiver: its deliveries wait, others go on, a probe closes it', async () => {
    let failingHits = 0;
    let recovered = false;
    const failing = await receiver((_req, res) => {
      failingHits++;
      if (recovered) res.writeHead(204).end();
      else res.writeHead(500).end('stack trace of 10.0.0.7');
    });
    let healthyHits = 0;
    const healthy = await receiver((_req, res) => {
      healthyHits++;
      res.writeHead(204).end();
    });
    try {
      const token = integrator();
      const [failingUnit, healthyUnit] = [unit(), unit()];
      const id = await subscribe(token, `${failing.base}/hook`, failingUnit);
      await subscribe(token, `${healthy.base}/hook`, healthyUnit);
      await raiseAlertFor(failingUnit);
      const paused = async () =>
        (
          await http().get('/api/v1/subscriptions').auth(token, { type: 'bearer' }).expect(200)
        ).body.find((s: { id: string }) => s.id === id).pausedUntil;
      await eventually(async () => (await paused()) !== null, 20000, 'breaker open');
      const allDeferred = async () => {
        const jobs = await Promise.all(
          (await deliveries(token, id)).map((d) => webhookQueue.getJob(d.id)),
        );
        const delayed = await Promise.all(jobs.map(async (j) => !!j && (await j.isDelayed())));
        return delayed.every(Boolean) && jobs.every((j) => j!.delay > 60_000);
      };
      await eventually(allDeferred, 20000, 'third attempt deferred by the breaker');
      await raiseAlertFor(healthyUnit);
      await eventually(() => healthyHits === 1, 20000, 'healthy delivery');
      expect(failingHits).toBe(2);
      expect(await deliveries(token, id)).toEqual([
        expect.objectContaining({ state: 'pending', attempts: 2, lastError: 'HTTP 500' }),
      ]);

      // Another one, while the breaker is open, waits too.
      await raiseAlertFor(failingUnit);
      await eventually(
        async () => (await deliveries(token, id)).length === 2 && (await allDeferred()),
        20000,
        'second delivery deferred',
      );
      expect(failingHits).toBe(2);

      // The cool-down ends (in PostgreSQL and in Redis): one of the two probes, the other waits.
      const coolDownOver = () =>
        svc.db.dataSource.query(
          "UPDATE subscriptions SET paused_until = now() - interval '1 second' WHERE id = $1",
          [id],
        );
      await coolDownOver();
      for (const d of await deliveries(token, id))
        await (await webhookQueue.getJob(d.id))!.promote();
      await eventually(allDeferred, 20000, 'failed probe, the other deferred');
      expect(failingHits).toBe(3);

      // A probe that gets through closes the breaker and wakes every delivery that waited.
      recovered = true;
      await coolDownOver();
      await raiseAlertFor(failingUnit);
      await eventually(
        async () => (await deliveries(token, id, '?state=delivered')).length === 3,
        20000,
        'all delivered',
      );
      expect(failingHits).toBe(6);
      expect(await paused()).toBeNull();
    } finally {
      closeAll(failing.server);
      closeAll(healthy.server);
    }
  });

  it('prunes delivered and dead rows past the retention, in batches, and keeps the rest', async () => {
    const token = integrator();
    const id = await subscribe(token, 'https://hooks.example.com/retention');
    const insert = (state: string, ageDays: number, n = 1) =>
      svc.db.dataSource.query(
        `INSERT INTO deliveries (id, subscription_id, event_id, event_type, payload, state, updated_at)
         SELECT gen_random_uuid(), $1, gen_random_uuid(), 'duban.alert.raised', '{}', $2,
                now() - make_interval(days => $3)
         FROM generate_series(1, $4)`,
        [id, state, ageDays, n],
      );
    await insert('delivered', 40, 1001); // more than one batch
    await insert('dead', 31);
    await insert('pending', 40);
    await insert('delivered', 1);
    expect(await svc.app.get(DeliveryRetention).prune()).toBe(1002);
    const left = await deliveries(token, id);
    expect(left.map((d) => d.state).sort()).toEqual(['delivered', 'pending']);
  });
});
