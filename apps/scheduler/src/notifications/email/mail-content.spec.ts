import { AlertData, DubanEvent } from '@duban/contracts';
import { composeMail, parseMailTo, recipients } from './mail-content';

const data: AlertData = {
  alertId: '0190d3a0-0000-7000-8000-000000000001',
  rule: 'overdue',
  severity: 'minor',
  state: 'open',
  escalationLevel: 0,
  subjectType: 'project',
  subjectId: '0190d3a0-0000-7000-8000-000000000002',
  milestoneId: '0190d3a0-0000-7000-8000-000000000003',
  milestoneName: '完成工可批复',
  ownerUnit: 'AGRI',
  region: '511112',
  currentPlannedDate: '2026-11-20',
  forecastDate: null,
  daysOverdue: 5,
  raisedAt: '2026-11-25T00:00:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  note: null,
  resolvedAt: null,
  resolution: null,
  commitDate: null,
  reminderCount: 0,
  closedAt: null,
  closedBy: null,
  verificationNote: null,
};
const event = (type: string, overrides: Partial<AlertData> = {}) =>
  ({
    id: 'e1',
    type,
    time: '2026-11-25T00:00:00.000Z',
    data: { ...data, ...overrides },
  }) as DubanEvent<AlertData>;

describe('alert mail content', () => {
  it('parses UNIT=address pairs, a unit repeating and `*` for supervisors', () => {
    expect(parseMailTo(' AGRI=a@x.cn, *=d@x.cn ,AGRI=b@x.cn,')).toEqual({
      AGRI: ['a@x.cn', 'b@x.cn'],
      '*': ['d@x.cn'],
    });
    expect(parseMailTo(undefined)).toEqual({});
    expect(() => parseMailTo('AGRI')).toThrow('"AGRI" is not UNIT=address');
    expect(() => parseMailTo('AGRI=nobody')).toThrow();
  });

  it('mails the owner unit and the supervisors, each once', () => {
    const mailTo = parseMailTo('AGRI=a@x.cn,WATER=w@x.cn,*=d@x.cn,*=a@x.cn');
    expect(recipients(data, mailTo)).toEqual(['a@x.cn', 'd@x.cn']);
    expect(recipients({ ...data, ownerUnit: 'ENV' }, mailTo)).toEqual(['d@x.cn', 'a@x.cn']);
    expect(recipients({ ...data, ownerUnit: 'ENV' }, {})).toEqual([]);
  });

  it('writes a subject per event type and skips severity changes and acknowledgements', () => {
    expect(composeMail(event('duban.alert.raised'))?.subject).toBe(
      '[督办] 逾期提醒: 完成工可批复 (AGRI, 逾期 5 天)',
    );
    expect(composeMail(event('duban.alert.escalated', { escalationLevel: 1 }))?.subject).toBe(
      '[督办] 已升级至督查室: 完成工可批复 (AGRI, 逾期 5 天)',
    );
    expect(
      composeMail(event('duban.alert.raised', { rule: 'forecast-slip', daysOverdue: 0 }))?.subject,
    ).toBe('[督办] 预计延期提醒: 完成工可批复 (AGRI)');
    expect(composeMail(event('duban.alert.resolved'))?.subject).toBe(
      '[督办] 已解除: 完成工可批复 (AGRI)',
    );
    expect(composeMail(event('duban.alert.severity-changed'))).toBeNull();
    expect(composeMail(event('duban.alert.acknowledged'))).toBeNull();
  });

  it('keeps a name with line breaks on one header line and lists the fields in the body', () => {
    const mail = composeMail(
      event('duban.alert.resolved', { milestoneName: '开工\r\nBcc: x@evil', resolution: 'met' }),
    )!;
    expect(mail.subject).toBe('[督办] 已解除: 开工 Bcc: x@evil (AGRI)');
    expect(mail.text).toContain('规则 Rule: 逾期 (overdue)');
    expect(mail.text).toContain('严重程度 Severity: 一般 (minor)');
    expect(mail.text).toContain('计划完成日期 Planned date: 2026-11-20');
    expect(mail.text).toContain('逾期天数 Days overdue: 5');
    expect(mail.text).toContain('督办层级 Escalation level: 0 责任单位');
    expect(mail.text).toContain('解除原因 Resolution: met');
    expect(mail.text).toContain(`提醒编号 Alert ID: ${data.alertId}`);
  });
});
