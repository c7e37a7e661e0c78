import {
  ChangeRequestEventTypes,
  MilestoneChangeRequestData,
  MilestoneEventTypes,
} from '@duban/contracts';
import { DomainHarness } from '@duban/testing';
import { REGION, api, chinaDay, startParksApp, tokens, unique } from '../testing/http';

// ECON leads the campaign; PARK-TEXTILE owns its tasks.
let h: DomainHarness;
let campaignId: string;
const as = (token: string) => api(() => h.server(), token);
const econ = () => as(tokens.department('ECON'));
const textile = () => as(tokens.department('PARK-TEXTILE'));
const supervisor = () => as(tokens.as('supervisor', 'duchashi', undefined, REGION));
const otherSupervisor = () => as(tokens.as('supervisor', 'qu-duchashi', undefined, '511102'));
const CR = '/api/v1/change-requests';

async function lateTask() {
  const res = await econ()
    .post(`/api/v1/campaigns/${campaignId}/tasks`, {
      name: `标准厂房二期竣工 ${unique()}`,
      ownerUnit: 'PARK-TEXTILE',
      plannedDate: chinaDay(-2),
    })
    .expect(201);
  return { id: res.body.id as string, url: `/api/v1/campaigns/${campaignId}/tasks/${res.body.id}` };
}

async function typesOf(taskId: string): Promise<string[]> {
  await h.delivered();
  return h.reader.messages
    .filter((m) => m.key === taskId)
    .map((m) => m.json<{ type: string }>().type);
}

beforeAll(async () => {
  h = await startParksApp();
  const res = await econ()
    .post('/api/v1/campaigns', {
      name: `企业满园 ${unique()}`,
      regionCode: REGION,
      leadUnit: 'ECON',
      description: '七大攻坚行动之一',
    })
    .expect(201);
  campaignId = res.body.id;
});

afterAll(async () => {
  await h?.close();
});

describe('campaign task change requests', () => {
  it('keeps the late task late until a supervisor of the region approves the lead unit’s reschedule', async () => {
    const t = await lateTask();
    const req = await econ()
      .post(`${t.url}/reschedule`, { plannedDate: chinaDay(20), reason: '用地报批延后' })
      .expect(202);
    expect(req.body).toMatchObject({
      state: 'requested',
      subjectType: 'campaign-task',
      subjectId: t.id,
      milestoneId: t.id,
      requestingUnit: 'ECON',
    });
    expect((await supervisor().get(t.url).expect(200)).body).toMatchObject({
      currentPlannedDate: chinaDay(-2),
      overdue: true,
    });
    // The owner unit may not ask, the supervised may not approve, another region does not see it.
    await textile()
      .post(`${t.url}/reschedule`, { plannedDate: chinaDay(20), reason: '自行延期' })
      .expect(403);
    await econ().post(`${CR}/${req.body.id}/approve`).expect(403);
    await otherSupervisor().post(`${CR}/${req.body.id}/approve`).expect(404);
    await textile().get(`${CR}/${req.body.id}`).expect(404);

    const approved = await supervisor().post(`${CR}/${req.body.id}/approve`).expect(200);
    const again = await supervisor().post(`${CR}/${req.body.id}/approve`).expect(200);
    expect(again.body).toEqual(approved.body);
    expect((await supervisor().get(t.url).expect(200)).body).toMatchObject({
      currentPlannedDate: chinaDay(20),
      overdue: false,
    });
    expect(await typesOf(t.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.approved,
      MilestoneEventTypes.rescheduled,
    ]);
    const [event] = h.events<MilestoneChangeRequestData>(ChangeRequestEventTypes.requested, t.id);
    expect(event.event.data).toMatchObject({
      subjectType: 'campaign-task',
      requestId: req.body.id,
      proposedDate: chinaDay(20),
      reason: '用地报批延后',
    });
  });

  it('changes nothing when rejected, and a decided request is final (409)', async () => {
    const t = await lateTask();
    const req = await econ().post(`${t.url}/cancel`, { reason: '并入园区提质行动' }).expect(202);
    await supervisor().post(`${CR}/${req.body.id}/reject`, { note: '任务仍需完成' }).expect(200);
    await supervisor().post(`${CR}/${req.body.id}/approve`).expect(409);
    await econ().post(`${CR}/${req.body.id}/withdraw`).expect(409);
    expect((await supervisor().get(t.url).expect(200)).body).toMatchObject({
      status: 'pending',
      version: 1,
    });
    expect(await typesOf(t.id)).toEqual([
      MilestoneEventTypes.scheduled,
      ChangeRequestEventTypes.requested,
      ChangeRequestEventTypes.rejected,
    ]);
    const mine = await econ().get(`${CR}?state=rejected&subjectType=campaign-task`).expect(200);
    expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(req.body.id);
  });
});
