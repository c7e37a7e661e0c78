import { randomUUID } from 'node:crypto';
import { MilestoneEventTypes } from '@duban/contracts';
import { tokens } from '@duban/testing';
import { DAY, REGION, SchedulerHarness } from '../testing/scheduler-harness';

/**
 * A whole campaign (攻坚行动) silenced: its tasks' alerts name the task, so the scheduler learns
 * each task's campaign from the milestone events and a campaign silence covers them all.
 */
const h = new SchedulerHarness({ milestone: { subjectType: 'campaign-task', ownerUnit: 'ECON' } });
const supervisor = tokens.supervisor();

async function overdueTaskOf(campaignId: string): Promise<string> {
  const id = randomUUID();
  const due = h.dayOffset(-3);
  const task = h.milestone({
    subjectId: id,
    milestoneId: id,
    plannedDate: due,
    currentPlannedDate: due,
    campaignId,
  });
  await h.publish(MilestoneEventTypes.scheduled, task);
  const [raised] = await h.waitForAlert('duban.alert.raised', id);
  return raised.data.alertId;
}

const silencedBy = async (alertId: string): Promise<string | null> =>
  (await h.http().get(`/api/v1/alerts/${alertId}`).auth(supervisor, { type: 'bearer' }).expect(200))
    .body.silencedBy;

beforeAll(() => h.start());
afterAll(() => h.close());

it("a campaign silence covers its tasks' alerts and no other campaign's", async () => {
  const campaign = randomUUID();
  const created = await h
    .http()
    .post('/api/v1/silences')
    .auth(supervisor, { type: 'bearer' })
    .send({
      subjectType: 'campaign',
      subjectId: campaign,
      region: REGION,
      endsAt: new Date(h.now().getTime() + 10 * DAY).toISOString(),
      reason: '攻坚行动整体调整，经县政府常务会研究同意',
    })
    .expect(201);
  const inCampaign = await overdueTaskOf(campaign);
  const elsewhere = await overdueTaskOf(randomUUID());
  expect(await silencedBy(inCampaign)).toBe(created.body.id);
  expect(await silencedBy(elsewhere)).toBeNull();
});
