import { ConfigError, loadConfig } from '@duban/platform';
import { schedulerConfigSchema } from './scheduler.config';

const load = (env: Record<string, string>) => loadConfig(schedulerConfigSchema, env);

describe('the scheduler configuration', () => {
  it('takes the documented defaults', () => {
    expect(load({})).toMatchObject({
      horizonMs: 48 * 3_600_000,
      sweepIntervalMs: 60_000,
      warnDays: [7, 1],
      escalationMs: [48 * 3_600_000, 72 * 3_600_000],
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
      DUBAN_ESCALATION_HOURS: '24,48',
      DUBAN_ALERT_MAIL_TO: 'AGRI=agri@county.gov.cn,*=duchashi@county.gov.cn',
    });
    expect(config.warnDays).toEqual([14, 3, 1]);
    expect(config.escalationMs).toEqual([24 * 3_600_000, 48 * 3_600_000]);
    expect(config.mailTo).toEqual({
      AGRI: ['agri@county.gov.cn'],
      '*': ['duchashi@county.gov.cn'],
    });
  });

  it('refuses what used to become NaN, naming each variable', () => {
    expect(() =>
      load({
        DUBAN_SCHEDULER_SWEEP_SECONDS: 'often',
        DUBAN_ESCALATION_HOURS: '48',
        DUBAN_SMTP_URL: 'mail.county.gov.cn',
        DUBAN_ALERT_MAIL_TO: 'AGRI',
      }),
    ).toThrow(
      new ConfigError([
        'DUBAN_SCHEDULER_SWEEP_SECONDS must be a whole number from 1 to 86400',
        'DUBAN_ESCALATION_HOURS must be 2 comma-separated whole numbers from 1 to 8784',
        'DUBAN_SMTP_URL must be an smtp:// or smtps:// URL',
        'DUBAN_ALERT_MAIL_TO: "AGRI" is not UNIT=address',
      ]),
    );
  });
});
