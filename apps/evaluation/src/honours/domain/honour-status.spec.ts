import { RuleViolation } from '@duban/contracts';
import { DeadlineState, changeHonourStatus, settleDeadlines } from './honour-status';

const deadline = (stage: DeadlineState['stage'], over: Partial<DeadlineState> = {}) => ({
  milestoneId: `m-${stage}`,
  name: stage,
  plannedDate: '2026-12-15',
  stage,
  status: 'pending' as const,
  actualDate: null,
  ...over,
});

describe('honour status', () => {
  it.each([
    ['targeted', 'applied'],
    ['applied', 'shortlisted'],
    ['applied', 'awarded'],
    ['shortlisted', 'awarded'],
    ['shortlisted', 'not-awarded'],
    ['targeted', 'not-awarded'],
  ] as const)('goes from %s to %s', (from, to) => {
    expect(changeHonourStatus(from, to)).toBe(to);
  });

  it.each([
    ['targeted', 'awarded'],
    ['targeted', 'shortlisted'],
    ['awarded', 'not-awarded'],
    ['not-awarded', 'applied'],
    ['applied', 'applied'],
  ] as const)('refuses %s to %s as a conflict naming both', (from, to) => {
    try {
      changeHonourStatus(from, to);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(RuleViolation);
      expect((err as RuleViolation).kind).toBe('conflict');
      expect((err as RuleViolation).details).toMatchObject({ from, to });
    }
  });
});

describe('settleDeadlines', () => {
  const all = [deadline('applied'), deadline('shortlisted'), deadline('awarded')];

  it('meets the deadlines of every stage reached, on the given day', () => {
    const { deadlines, changed } = settleDeadlines(all, 'shortlisted', '2026-11-20');
    expect(deadlines.map((d) => [d.stage, d.status, d.actualDate])).toEqual([
      ['applied', 'met', '2026-11-20'],
      ['shortlisted', 'met', '2026-11-20'],
      ['awarded', 'pending', null],
    ]);
    expect(changed.map((d) => d.stage)).toEqual(['applied', 'shortlisted']);
  });

  it('cancels what is still pending when the honour is not awarded, leaving met ones alone', () => {
    const met = [deadline('applied', { status: 'met', actualDate: '2026-10-01' }), all[2]];
    const { deadlines, changed } = settleDeadlines(met, 'not-awarded', '2026-11-20');
    expect(deadlines.map((d) => d.status)).toEqual(['met', 'cancelled']);
    expect(changed).toHaveLength(1);
  });
});
