import { ConfigError } from '../config/load-config';
import { INBOX_MARGIN_DAYS, longestRedeliveryDays, retentionConfigFor } from './retention-config';

function problems(env: Record<string, string>): readonly string[] {
  try {
    retentionConfigFor(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('retentionConfigFor', () => {
  it('keeps the inbox past the longest topic or DLQ retention (30 days)', () => {
    expect(longestRedeliveryDays()).toBe(30);
    expect(retentionConfigFor({})).toEqual({
      outboxDays: 7,
      inboxDays: 30 + INBOX_MARGIN_DAYS,
      batchSize: 5000,
      intervalMs: 3_600_000,
    });
  });

  it('reads overrides', () => {
    expect(
      retentionConfigFor({
        DUBAN_OUTBOX_RETENTION_DAYS: '2',
        DUBAN_INBOX_RETENTION_DAYS: '90',
        DUBAN_RETENTION_BATCH_SIZE: '100',
        DUBAN_RETENTION_INTERVAL_SECONDS: '60',
      }),
    ).toEqual({ outboxDays: 2, inboxDays: 90, batchSize: 100, intervalMs: 60_000 });
  });

  it('refuses an inbox window shorter than a redelivery can come', () => {
    expect(problems({ DUBAN_INBOX_RETENTION_DAYS: '7' })).toEqual([
      expect.stringMatching(/^DUBAN_INBOX_RETENTION_DAYS=7 is shorter than the 30 days/),
    ]);
  });

  it.each(['0', '-1', '1.5', 'week'])(
    'refuses %p as a number of days, naming the variable',
    (raw) => {
      expect(problems({ DUBAN_OUTBOX_RETENTION_DAYS: raw })).toEqual([
        'DUBAN_OUTBOX_RETENTION_DAYS must be a whole number from 1 to 3650',
      ]);
    },
  );
});
