import { createRng } from '../deploy/local/simulator/actions';
import {
  SimAlert,
  SimChangeRequest,
  SupervisorAction,
  chooseSupervision,
} from '../deploy/local/simulator/supervisor-actions';

const request: SimChangeRequest = {
  id: '0190a000-0000-7000-8000-000000000001',
  domain: 'projects',
  kind: 'reschedule',
  proposedDate: '2027-03-31',
  reason: '用地报批延后',
  requestingUnit: 'DEVREFORM',
};
const alert = (state: string): SimAlert => ({
  id: '0190a000-0000-7000-8000-00000000000' + (state === 'open' ? '2' : '3'),
  rule: 'overdue',
  state,
  ownerUnit: 'AGRI',
  region: '610724',
  milestoneName: '可研批复',
});
const TODAY = '2026-11-30';

function play(n: number, world: Parameters<typeof chooseSupervision>[0]): SupervisorAction[] {
  const rng = createRng('supervision');
  return Array.from({ length: n }, () => chooseSupervision(world, rng, TODAY)!);
}

describe('the simulator’s supervision decisions', () => {
  it('has nothing to do when nothing waits', () => {
    const empty = { requests: [], openAlerts: [], resolvedAlerts: [] };
    expect(chooseSupervision(empty, createRng(1), TODAY)).toBeNull();
  });

  it('approves most change requests and rejects some, always with a note', () => {
    const kinds = play(200, { requests: [request], openAlerts: [], resolvedAlerts: [] });
    const approved = kinds.filter((a) => a.kind === 'approve').length;
    expect(approved).toBeGreaterThan(120);
    expect(kinds.filter((a) => a.kind === 'reject').length).toBe(200 - approved);
    for (const a of kinds) if ('request' in a) expect(a.body.note.trim()).not.toBe('');
  });

  it('acknowledges an open alert with measures and a commitment 2 to 14 days out', () => {
    const [a] = play(1, { requests: [], openAlerts: [alert('open')], resolvedAlerts: [] });
    expect(a.kind).toBe('acknowledge');
    if (a.kind !== 'acknowledge') return;
    expect(a.body.note).toMatch(/已/);
    expect(a.body.commitDate > '2026-12-01').toBe(true);
    expect(a.body.commitDate <= '2026-12-14').toBe(true);
  });

  it('closes most resolved alerts and sends some back', () => {
    const kinds = play(200, { requests: [], openAlerts: [], resolvedAlerts: [alert('resolved')] });
    const closed = kinds.filter((a) => a.kind === 'close').length;
    expect(closed).toBeGreaterThan(140);
    expect(kinds.filter((a) => a.kind === 'reopen').length).toBe(200 - closed);
  });

  it('plays every kind of step when all are waiting', () => {
    const world = {
      requests: [request],
      openAlerts: [alert('open')],
      resolvedAlerts: [alert('resolved')],
    };
    const kinds = new Set(play(300, world).map((a) => a.kind));
    expect([...kinds].sort()).toEqual(['acknowledge', 'approve', 'close', 'reject', 'reopen']);
  });
});
