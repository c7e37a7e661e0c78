import { DubanEvent, MilestoneEventData, RuleViolation } from '@duban/contracts';
import { Principal } from '@duban/auth';
import {
  ChangeRequestStore,
  MilestoneChangeFlow,
  MilestonePort,
  MilestoneTarget,
  StoredMilestone,
} from './change-flow';
import { ChangeRequestRecord } from './change-request';
import { CHANGE_POLICY } from './change-policy';
import { scheduleMilestone } from './milestone';

const REGION = '511112';
const PROJECT = '0190a6c0-0000-7000-8000-0000000000aa';
const MILESTONE = '0190a6c0-0000-7000-8000-0000000000bb';
const lead: Principal = { subject: 'dept-agri', role: 'department', unit: 'AGRI', region: REGION };
const owner: Principal = { ...lead, subject: 'dept-water', unit: 'WATER' };
const supervisor: Principal = { subject: 'duchashi', role: 'supervisor', region: REGION };
const admin: Principal = { subject: 'admin', role: 'admin' };
const now = new Date('2026-07-01T02:00:00.000Z');

/** One project with one milestone, kept in memory; every lock taken is recorded. */
function world(level: 'county' | 'national' = 'county') {
  const milestone: StoredMilestone = {
    ...scheduleMilestone(
      { name: '主体完工', ownerUnit: 'WATER', plannedDate: '2026-06-20' },
      { by: 'AGRI', at: now.toISOString() },
    ),
    id: MILESTONE,
    version: 1,
  };
  const requests = new Map<string, ChangeRequestRecord>();
  const published: DubanEvent[] = [];
  const locks: string[] = [];
  const target = (): MilestoneTarget<StoredMilestone> => ({
    milestone,
    aggregateId: PROJECT,
    regionCode: REGION,
    leadUnit: 'AGRI',
    level,
    label: 'milestone 主体完工',
    data: (): MilestoneEventData => ({
      subjectType: 'project',
      subjectId: PROJECT,
      milestoneId: milestone.id,
      name: milestone.name,
      ownerUnit: milestone.ownerUnit,
      plannedDate: milestone.plannedDate,
      currentPlannedDate: milestone.currentPlannedDate,
      forecastDate: milestone.forecastDate,
      actualDate: milestone.actualDate,
      status: milestone.status,
    }),
  });
  const port: MilestonePort<null, string, StoredMilestone> = {
    service: 'projects',
    lock: async (_tx, _actor, ref) => {
      locks.push(`project ${ref}`);
      return target();
    },
    lockFor: async (_tx, r) => {
      locks.push(`project ${r.aggregateId}`);
      return target();
    },
    save: async () => undefined,
  };
  const store: ChangeRequestStore<null> = {
    transaction: (work) => work(null),
    find: async (_tx, id) => (requests.has(id) ? { ...requests.get(id)! } : null),
    openFor: async () => [...requests.values()].find((r) => r.state === 'requested') ?? null,
    insert: async (_tx, r) => void requests.set(r.id, r),
    update: async (_tx, r) => void requests.set(r.id, r),
    publish: async (_tx, events) => void published.push(...events),
  };
  let n = 0;
  const flow = new MilestoneChangeFlow(
    'project',
    port,
    store,
    CHANGE_POLICY,
    () => now,
    () => `0190a6c0-0000-7000-8000-00000000000${++n}`,
  );
  const types = () => published.map((e) => e.type.replace('duban.milestone.', ''));
  return { flow, milestone, requests, types, locks, published };
}

const reschedule = {
  kind: 'reschedule',
  plannedDate: '2026-09-30',
  reason: '用地报批延后',
} as const;

async function refusal(p: Promise<unknown>): Promise<RuleViolation> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}

describe('the milestone change flow', () => {
  it('turns a county project lead unit’s reschedule into a request, changing nothing else', async () => {
    const w = world();
    const out = await w.flow.change(lead, PROJECT, reschedule);
    expect(out).toMatchObject({ outcome: 'requested', request: { state: 'requested' } });
    expect(w.milestone).toMatchObject({ currentPlannedDate: '2026-06-20', version: 1 });
    expect(w.types()).toEqual(['change-requested']);
    expect(w.published[0]).toMatchObject({ subject: MILESTONE, region: REGION });
    expect(w.locks).toEqual([`project ${PROJECT}`]);
  });

  it('applies forecasts, completions and a self-approved reschedule at once', async () => {
    const w = world('national');
    await w.flow.change(owner, PROJECT, { kind: 'forecast', forecastDate: '2026-08-01' });
    const out = await w.flow.change(lead, PROJECT, reschedule);
    expect(out).toMatchObject({
      outcome: 'applied',
      milestone: { currentPlannedDate: '2026-09-30' },
    });
    expect(w.milestone.version).toBe(3);
    expect(w.types()).toEqual(['forecast-changed', 'rescheduled']);
    expect(w.requests.size).toBe(0);
  });

  it('on approval applies the stored command as the requester’s, after the approval event', async () => {
    const w = world();
    const out = await w.flow.change(lead, PROJECT, reschedule);
    const id = out.outcome === 'requested' ? out.request.id : '';
    const approved = await w.flow.decide(supervisor, id, 'approve', '同意');
    expect(approved).toMatchObject({ state: 'approved', decidedBy: 'duchashi' });
    expect(w.milestone).toMatchObject({ currentPlannedDate: '2026-09-30', version: 2 });
    expect(w.milestone.history.at(-1)).toMatchObject({ kind: 'rescheduled', by: 'AGRI' });
    expect(w.types()).toEqual(['change-requested', 'change-approved', 'rescheduled']);
    // Again: the same answer, nothing applied or published twice.
    expect(await w.flow.decide(admin, id, 'approve', null)).toEqual(approved);
    expect(w.types()).toHaveLength(3);
    expect(w.locks).toEqual([`project ${PROJECT}`, `project ${PROJECT}`, `project ${PROJECT}`]);
  });

  it('on rejection publishes the decision only', async () => {
    const w = world();
    const out = await w.flow.change(lead, PROJECT, { kind: 'cancel', reason: '项目调整' });
    const id = out.outcome === 'requested' ? out.request.id : '';
    await w.flow.decide(supervisor, id, 'reject', '不同意');
    expect(w.milestone).toMatchObject({ status: 'pending', version: 1 });
    expect(w.types()).toEqual(['change-requested', 'change-rejected']);
    expect((await refusal(w.flow.decide(supervisor, id, 'approve', null))).kind).toBe('conflict');
  });

  it('refuses a second open request, another unit’s request and an unseen decision', async () => {
    const w = world();
    const out = await w.flow.change(lead, PROJECT, reschedule);
    const id = out.outcome === 'requested' ? out.request.id : '';
    expect((await refusal(w.flow.change(admin, PROJECT, reschedule))).details).toEqual({
      changeRequestId: id,
    });
    expect((await refusal(w.flow.change(owner, PROJECT, reschedule))).kind).toBe('forbidden');
    expect((await refusal(w.flow.decide(lead, id, 'approve', null))).kind).toBe('forbidden');
    const elsewhere: Principal = { ...supervisor, region: '511102' };
    expect((await refusal(w.flow.decide(elsewhere, id, 'approve', null))).kind).toBe('not-found');
    expect(w.types()).toEqual(['change-requested']);
  });
});
