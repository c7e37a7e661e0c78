import {
  ChangeRequestEventTypes,
  MilestoneChangeRequestData,
  MilestoneEventTypes,
} from '@duban/contracts';
import { DomainHarness } from '@duban/testing';
import { REGION, WORKS, api, chinaDay, startTransportApp, tokens, workBody } from '../testing/http';

// TRANSPORT leads the works; NATRES owns the land gate.
let h: DomainHarness;
const as = (token: string) => api(() => h.server(), token);
const lead = () => as(tokens.department('TRANSPORT'));
const supervisor = () => as(tokens.as('supervisor', 'duchashi', undefined, REGION));
const otherSupervisor = () => as(tokens.as('supervisor', 'qu-duchashi', undefined, '511102'));
const admin = () => as(tokens.admin());
const CR = '/api/v1/change-requests';

async function workWithLandGate() {
  const res = await lead()
    .post(
      WORKS,
      workBody({
        gates: [{ gate: 'land-and-environment', plannedDate: chinaDay(-3), ownerUnit: 'NATRES' }],
      }),
    )
    .expect(201);
  const workId: string = res.body.id;
  return {
    workId,
    gateId: res.body.gates[0].id as string,
    path: `${WORKS}/${workId}/gates/land-and-environment`,
  };
}

async function gateNow(workId: string) {
  return (await admin().get(`${WORKS}/${workId}`).expect(200)).body.gates[0];
}

async function typesOf(gateId: string): Promise<string[]> {
  await h.delivered();
  return h.reader.messages
    .filter((m) => m.key === gateId)
    .map((m) => m.json<{ type: string }>().type);
}

beforeAll(async () => {
  h = await startTransportApp();
});

afterAll(async () => {
  await h?.close();
});

describe('gate change requests', () => {
  it('makes the lead unit’s reschedule a request (202) that a supervisor of the region approves', async () => {
    const g = await workWithLandGate();
    const req = await lead()
      .post(`${g.path}/reschedule`, { plannedDate: chinaDay(40), reason: '环评报告补充论证' })
      .expect(202);
    expect(req.body).toMatchObject({
      state: 'requested',
      subjectType: 'transport-work',
      subjectId: g.workId,
      milestoneId: g.gateId,
      proposedDate: chinaDay(40),
    });
    expect(await gateNow(g.workId)).toMatchObject({
      currentPlannedDate: chinaDay(-3),
      overdue: true,
    });

    await lead().post(`${CR}/${req.body.id}/approve`).expect(403);
    await otherSupervisor().post(`${CR}/${req.body.id}/approve`).expect(404);
    await supervisor().post(`${CR}/${req.body.id}/approve`, { note: '同意' }).expect(200);
    await supervisor().post(`${CR}/${req.body.id}/approve`).expect(200);
    expect(await gateNow(g.workId)).toMatchObject({
      currentPlannedDate: chinaDay(40),
      overdue: false,
    });

    expect(await typesOf(g.gateId)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.approved,
      MilestoneEventTypes.rescheduled,
    ]);
    const [approved] = h.events<MilestoneChangeRequestData>(
      ChangeRequestEventTypes.approved,
      g.gateId,
    );
    expect(approved.event.data).toMatchObject({
      subjectType: 'transport-work',
      subjectId: g.workId,
      requestId: req.body.id,
      decidedBy: 'duchashi',
    });
  });

  it('leaves the gate as it was when the request is rejected', async () => {
    const g = await workWithLandGate();
    const req = await lead()
      .post(`${g.path}/reschedule`, { plannedDate: chinaDay(40), reason: '环评报告补充论证' })
      .expect(202);
    await supervisor().post(`${CR}/${req.body.id}/reject`, { note: '按期完成' }).expect(200);
    await supervisor().post(`${CR}/${req.body.id}/approve`).expect(409);
    expect(await gateNow(g.workId)).toMatchObject({ currentPlannedDate: chinaDay(-3), version: 1 });
    expect(await typesOf(g.gateId)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.rejected,
    ]);
    const listed = await supervisor()
      .get(`${CR}?subjectType=transport-work&state=rejected&unit=TRANSPORT`)
      .expect(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(req.body.id);
  });

  it('keeps waiving a gate to an admin: the lead unit’s cancel is a 403 and no request', async () => {
    const g = await workWithLandGate();
    await lead().post(`${g.path}/cancel`, { reason: '既有用地' }).expect(403);
    const listed = await admin()
      .get(`${CR}?subjectType=transport-work&state=requested`)
      .expect(200);
    expect(listed.body.items.map((r: { milestoneId: string }) => r.milestoneId)).not.toContain(
      g.gateId,
    );
    await admin().post(`${g.path}/cancel`, { reason: '既有用地' }).expect(200);
    expect(await typesOf(g.gateId)).toEqual([
      MilestoneEventTypes.scheduled,
      MilestoneEventTypes.cancelled,
    ]);
  });
});
