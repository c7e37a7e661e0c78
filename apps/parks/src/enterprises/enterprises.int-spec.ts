import { randomUUID } from 'node:crypto';
import { ParksEventTypes } from '@duban/contracts';
import { DomainHarness } from '@duban/testing';
import {
  REGION,
  api,
  chinaDay,
  enterpriseBody,
  parkBody,
  startParksApp,
  tokens,
} from '../testing/http';

let h: DomainHarness;
let parkId: string;
const admin = () => api(() => h.server(), tokens.admin());
const textile = () => api(() => h.server(), tokens.department('PARK-TEXTILE'));
const food = () => api(() => h.server(), tokens.department('PARK-FOOD'));
const supervisor = () => api(() => h.server(), tokens.supervisor());

const ENTERPRISES = '/api/v1/enterprises';
type Enterprise = Record<string, unknown> & { id: string; version: number };

async function register(
  body: Record<string, unknown> = enterpriseBody(parkId),
  as = textile(),
): Promise<Enterprise> {
  const res = await as.post(ENTERPRISES, body);
  expect(res.status).toBe(201);
  return res.body as Enterprise;
}

const enterprisesWithUscc = async (uscc: string): Promise<number> => {
  const [{ n }] = await h.service.db.dataSource.query(
    'SELECT count(*)::int AS n FROM enterprises WHERE uscc = $1',
    [uscc],
  );
  return n;
};

beforeAll(async () => {
  h = await startParksApp();
  const park = await admin().post('/api/v1/parks', parkBody()).expect(201);
  parkId = park.body.id;
});

afterAll(async () => {
  await h?.close();
});

describe('registering an enterprise', () => {
  it('answers 201 as signed, and publishes one registered event keyed by its id', async () => {
    const body = enterpriseBody(parkId);
    const e = await register({ ...body, signedOn: chinaDay(-30) });
    expect(e).not.toHaveProperty('signedOn');
    expect(e).toMatchObject({
      ...body,
      regionCode: REGION,
      status: 'signed',
      statusChangedOn: chinaDay(-30),
      version: 1,
    });
    await h.delivered();
    const events = h.events(ParksEventTypes.enterpriseRegistered, e.id);
    expect(events).toHaveLength(1);
    expect(events[0].key).toBe(e.id);
    expect(events[0].event.data).toEqual({
      enterpriseId: e.id,
      uscc: body.uscc,
      name: body.name,
      parkId,
      regionCode: REGION,
      industry: '纺织鞋服',
      investmentWan: '52000.00',
      employees: 860,
      aboveDesignatedSize: true,
      status: 'signed',
      statusChangedOn: chinaDay(-30),
      version: 1,
    });
  });

  it('dates a registration without signedOn today, in the registered event too', async () => {
    const e = await register();
    expect(e.statusChangedOn).toBe(chinaDay(0));
    await h.delivered();
    const [registered] = h.events(ParksEventTypes.enterpriseRegistered, e.id);
    expect(registered.event.data).toMatchObject({ statusChangedOn: chinaDay(0) });
  });

  it('accepts published real codes such as 91350100M000100Y43', async () => {
    const e = await register(enterpriseBody(parkId, { uscc: '91350100M000100Y43' }));
    expect(e.uscc).toBe('91350100M000100Y43');
  });

  it.each([
    ['91110000600037341A', "wrong check character 'A': for 91110000600037341 it should be 'L'"],
    ['9111000060003734', 'must be 18 characters, got 16'],
    ['91110000I00037341L', "illegal character 'I' at position 9"],
  ])('refuses the USCC %s as a 400 on uscc saying what is wrong', async (uscc, message) => {
    const res = await textile().post(ENTERPRISES, enterpriseBody(parkId, { uscc })).expect(400);
    expect(res.body.type).toBe('urn:duban:problem:validation');
    expect(res.body.errors).toEqual([{ field: 'uscc', message: expect.stringContaining(message) }]);
    expect(await enterprisesWithUscc(uscc)).toBe(0);
  });

  it('refuses a USCC already registered as 409 naming the holder', async () => {
    const first = await register();
    const again = await admin()
      .post(ENTERPRISES, enterpriseBody(parkId, { uscc: first.uscc }))
      .expect(409);
    expect(again.body).toMatchObject({
      status: 409,
      enterpriseId: first.id,
      detail: `USCC ${String(first.uscc)} is already registered`,
    });
    expect(await enterprisesWithUscc(first.uscc as string)).toBe(1);
  });

  it.each([
    ['an unknown park', { parkId: randomUUID() }, 'parkId'],
    ['negative investment', { investmentWan: '-1.00' }, 'investmentWan'],
    ['fractional employees', { employees: 1.5 }, 'employees'],
    ['a missing flag', { aboveDesignatedSize: undefined }, 'aboveDesignatedSize'],
    ['a future signing', { signedOn: chinaDay(1) }, 'signedOn'],
  ])('refuses %s as a 400 naming the field', async (_what, override, field) => {
    const res = await textile().post(ENTERPRISES, enterpriseBody(parkId, override)).expect(400);
    expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
  });
});

describe('the enterprise lifecycle', () => {
  it('moves signed → under-construction → in-production → exited, one status-changed event each', async () => {
    const e = await register(enterpriseBody(parkId, { signedOn: chinaDay(-60) }));
    const steps = [
      ['under-construction', 'signed', chinaDay(-40)],
      ['in-production', 'under-construction', chinaDay(-10)],
      ['exited', 'in-production', chinaDay(0)],
    ];
    for (const [status, , changedOn] of steps) {
      const res = await textile()
        .post(`${ENTERPRISES}/${e.id}/status`, { status, changedOn })
        .expect(200);
      expect(res.body).toMatchObject({ status, statusChangedOn: changedOn });
    }
    const final = await textile()
      .post(`${ENTERPRISES}/${e.id}/status`, { status: 'in-production' })
      .expect(409);
    expect(final.body).toMatchObject({
      from: 'exited',
      to: 'in-production',
      allowed: [],
      detail: 'an enterprise cannot go from exited to in-production; exited is final',
    });

    await h.delivered();
    const events = h.events<Record<string, unknown>>(ParksEventTypes.enterpriseStatusChanged, e.id);
    expect(events.map(({ key }) => key)).toEqual([e.id, e.id, e.id]);
    expect(
      events.map(({ event: { data } }) => [data.status, data.previousStatus, data.changedOn]),
    ).toEqual(steps);
    expect(events.map(({ event }) => event.data.version)).toEqual([2, 3, 4]);
    // Every event carries the day of the status it announces.
    expect(events.map(({ event }) => event.data.statusChangedOn)).toEqual(steps.map((s) => s[2]));
  });

  it('refuses a skipped step and going back as 409 naming from and to, and a change dated before the last one as 400', async () => {
    const e = await register(enterpriseBody(parkId, { signedOn: chinaDay(-5) }));
    // No step is skipped: production only after construction.
    const skip = await textile()
      .post(`${ENTERPRISES}/${e.id}/status`, { status: 'in-production' })
      .expect(409);
    expect(skip.body).toMatchObject({
      from: 'signed',
      to: 'in-production',
      allowed: ['under-construction', 'exited'],
    });
    await textile()
      .post(`${ENTERPRISES}/${e.id}/status`, { status: 'under-construction' })
      .expect(200);
    await textile().post(`${ENTERPRISES}/${e.id}/status`, { status: 'in-production' }).expect(200);
    const back = await textile()
      .post(`${ENTERPRISES}/${e.id}/status`, { status: 'under-construction' })
      .expect(409);
    expect(back.body).toMatchObject({
      from: 'in-production',
      to: 'under-construction',
      allowed: ['exited'],
    });
    const early = await textile()
      .post(`${ENTERPRISES}/${e.id}/status`, { status: 'exited', changedOn: chinaDay(-6) })
      .expect(400);
    expect(early.body.errors).toEqual([{ field: 'changedOn', message: expect.any(String) }]);
    const bad = await textile()
      .post(`${ENTERPRISES}/${e.id}/status`, { status: 'closed' })
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'status', message: expect.any(String) }]);
  });

  it('updates details with the current version and publishes updated', async () => {
    const e = await register();
    const res = await textile()
      .patch(`${ENTERPRISES}/${e.id}`, { version: 1, employees: 920, investmentWan: '60000.50' })
      .expect(200);
    expect(res.body).toMatchObject({ employees: 920, investmentWan: '60000.50', version: 2 });
    await textile().patch(`${ENTERPRISES}/${e.id}`, { version: 1, employees: 1 }).expect(409);
    const uscc = await textile()
      .patch(`${ENTERPRISES}/${e.id}`, { version: 2, uscc: '91350100M000100Y43' })
      .expect(400);
    expect(uscc.body.errors).toEqual([{ field: 'uscc', message: 'unknown field: uscc' }]);
    await h.delivered();
    const updated = h.events(ParksEventTypes.enterpriseUpdated, e.id);
    expect(updated).toHaveLength(1);
    expect(updated[0].event.data).toMatchObject({ employees: 920, version: 2 });
  });

  it('lists by park and status', async () => {
    const e = await register();
    await textile()
      .post(`${ENTERPRISES}/${e.id}/status`, { status: 'under-construction' })
      .expect(200);
    const res = await supervisor()
      .get(`${ENTERPRISES}?parkId=${parkId}&status=under-construction&limit=200`)
      .expect(200);
    expect(res.body.items.map((x: Enterprise) => x.id)).toContain(e.id);
    expect(res.body.items.every((x: Enterprise) => x.status === 'under-construction')).toBe(true);
  });
});

describe('who may write enterprises', () => {
  it("allows only the park's managing unit and admins (403 otherwise), and changes nothing", async () => {
    const body = enterpriseBody(parkId);
    await food().post(ENTERPRISES, body).expect(403);
    await supervisor().post(ENTERPRISES, body).expect(403);
    expect(await enterprisesWithUscc(body.uscc)).toBe(0);
    const e = await register(enterpriseBody(parkId), admin());
    await food().post(`${ENTERPRISES}/${e.id}/status`, { status: 'exited' }).expect(403);
    await food().patch(`${ENTERPRISES}/${e.id}`, { version: 1, employees: 1 }).expect(403);
    const unchanged = await supervisor().get(`${ENTERPRISES}/${e.id}`).expect(200);
    expect(unchanged.body).toMatchObject({ status: 'signed', version: 1 });
  });

  it('answers a retried registration (same Idempotency-Key) with the first answer, once', async () => {
    const body = enterpriseBody(parkId);
    const key = randomUUID();
    const first = await textile().post(ENTERPRISES, body).set('Idempotency-Key', key).expect(201);
    const again = await textile().post(ENTERPRISES, body).set('Idempotency-Key', key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await enterprisesWithUscc(body.uscc)).toBe(1);
    await h.delivered();
    expect(h.events(ParksEventTypes.enterpriseRegistered, first.body.id)).toHaveLength(1);
  });
});
