import { ConfigError, loadConfig } from '@duban/platform';
import { schedulerConfigSchema } from './scheduler.config';

const load = (env: Record<string, string>) => loadConfig(schedulerConfigSchema, env);

describe('the scheduler configuration', () => {
  it('takes the documented defaults', () => {
    expect(load({})).toMatchObject({
      horizonMs: 48 * 3_600_000,
      sweepIntervalMs: 60_000,
      warnDays: [7, 1],
      escalationWorkingDays: [2, 3],
      reminderWorkingDays: { info: 10, minor: 5, major: 3, critical: 1 },
      commitMaxWorkingDays: 20,
      autoCloseWorkingDays: 5,
      calendarOverride: 'deploy/calendar/overrides.json',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'duban',
      behindPaceMarginPct: 15,
      webhookAttempts: 6,
      webhookBackoffMs: 2000,
      smtpUrl: null,
      mailFrom: 'duban@localhost',
      mailTo: {},
    });
  });

  it('reads lists and recipients', () => {
    const config = load({
      DUBAN_SCHEDULER_WARN_DAYS: '14, 3,1',
      DUBAN_ESCALATION_WORKING_DAYS: '1,2',
      DUBAN_REMINDER_WORKING_DAYS: '0,4,2,1',
      DUBAN_CALENDAR_OVERRIDE: 'none',
      DUBAN_ALERT_MAIL_TO: 'AGRI=agri@county.gov.cn,*=duchashi@county.gov.cn',
    });
    expect(config.warnDays).toEqual([14, 3, 1]);
    expect(config.escalationWorkingDays).toEqual([1, 2]);
    expect(config.reminderWorkingDays).toEqual({ info: 0, minor: 4, major: 2, critical: 1 });
    expect(config.calendarOverride).toBeNull();
    expect(config.mailTo).toEqual({
      AGRI: ['agri@county.gov.cn'],
      '*': ['duchashi@county.gov.cn'],
    });
  });

  it('refuses what used to become NaN, naming each variable', () => {
    expect(() =>
      load({
        DUBAN_SCHEDULER_SWEEP_SECONDS: 'often',
        DUBAN_ESCALATION_WORKING_DAYS: '2',
        DUBAN_SMTP_URL: 'mail.county.gov.cn',
        DUBAN_ALERT_MAIL_TO: 'AGRI',
      }),
    ).toThrow(
      new ConfigError([
        'DUBAN_SCHEDULER_SWEEP_SECONDS must be a whole number from 1 to 86400',
        'DUBAN_ESCALATION_WORKING_DAYS must be 2 comma-separated whole numbers from 1 to 250',
        'DUBAN_SMTP_URL must be an smtp:// or smtps:// URL',
        'DUBAN_ALERT_MAIL_TO: "AGRI" is not UNIT=address',
      ]),
    );
  });
});
