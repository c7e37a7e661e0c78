import { AlertEventTypes } from '@duban/contracts';
import { Alert } from './alert.entity';
import { alertEvent } from './alert.events';

// The scheduler's clock, far from the wall clock (as in a replay or a test with a moved clock).
const raisedAt = new Date('2026-03-10T01:00:00Z');
const changedAt = new Date('2026-04-03T02:00:00Z');

const alert = (over: Partial<Alert> = {}): Alert =>
  Object.assign(new Alert(), {
    id: '6f1c1f4e-0000-4000-8000-0000000000a1',
    milestoneId: '6f1c1f4e-0000-4000-8000-000000000001',
    rule: 'overdue',
    severity: 'major',
    state: 'open',
    escalationLevel: 0,
    levelSince: raisedAt,
    subjectType: 'project',
    subjectId: '6f1c1f4e-0000-4000-8000-000000000002',
    milestoneName: '主体封顶',
    ownerUnit: 'AGRI',
    region: '511112',
    currentPlannedDate: '2026-03-01',
    forecastDate: null,
    daysOverdue: 9,
    raisedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    note: null,
    resolvedAt: null,
    resolution: null,
    history: [],
    ...over,
  });

describe('alertEvent', () => {
  it('times the event by the clock that dates the alert, not the wall clock', () => {
    const raised = alertEvent(AlertEventTypes.raised, alert(), raisedAt);
    expect(raised.time).toBe(raisedAt.toISOString());
    expect(raised.time).toBe((raised.data as { raisedAt: string }).raisedAt);

    // A severity change carries no date of its own: its event time is when it happened.
    const minor = alertEvent(
      AlertEventTypes.severityChanged,
      alert({ severity: 'minor' }),
      changedAt,
    );
    expect(minor.time).toBe(changedAt.toISOString());
  });
});
