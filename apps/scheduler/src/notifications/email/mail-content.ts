import { AlertData, AlertEventTypes, DubanEvent } from '@duban/contracts';

/** Addresses by owner unit code; `*` (supervisors) receives every mailed alert. */
export type MailTo = Record<string, string[]>;

export interface AlertMail {
  to: string[];
  subject: string;
  text: string;
}

const RULE: Record<AlertData['rule'], string> = {
  overdue: '逾期',
  'forecast-slip': '预计延期',
  'behind-pace': '进度滞后',
  'report-missing': '逾期未报',
};
const SEVERITY: Record<AlertData['severity'], string> = {
  info: '提示',
  minor: '一般',
  major: '较重',
  critical: '严重',
};
const LEVEL = ['责任单位', '督查室', '包抓领导'] as const;

/** `AGRI=agri@x,WATER=w@x,*=duchashi@x`; a unit may repeat. A typo fails startup, not a send. */
export function parseMailTo(raw: string | undefined): MailTo {
  const mailTo: MailTo = {};
  for (const pair of (raw ?? '').split(',').map((p) => p.trim())) {
    if (!pair) continue;
    const [unit, address, ...rest] = pair.split('=').map((s) => s.trim());
    if (!unit || !address?.includes('@') || rest.length) {
      throw new Error(`DUBAN_ALERT_MAIL_TO: "${pair}" is not UNIT=address`);
    }
    (mailTo[unit] ??= []).push(address);
  }
  return mailTo;
}

/** The owner unit plus the supervisors, once each; escalations thereby always reach `*`. */
export function recipients(data: AlertData, mailTo: MailTo): string[] {
  return [...new Set([...(mailTo[data.ownerUnit] ?? []), ...(mailTo['*'] ?? [])])];
}

/**
 * Subject and body for a mailed event type, or null: severity changes and acks are not mailed;
 * reminders, missed commitments, re-opens and closes are, like the alert itself.
 */
export function composeMail(
  event: DubanEvent<AlertData>,
): Pick<AlertMail, 'subject' | 'text'> | null {
  const d = event.data;
  // The name comes from another service: keep it on one header line.
  const name = d.milestoneName.replace(/[\r\n\t]+/g, ' ');
  const overdue = d.daysOverdue > 0 ? `, 逾期 ${d.daysOverdue} 天` : '';
  let subject: string;
  let heading: string;
  switch (event.type) {
    case AlertEventTypes.raised:
      subject = `[督办] ${RULE[d.rule]}提醒: ${name} (${d.ownerUnit}${overdue})`;
      heading = '督办提醒 / Alert raised';
      break;
    case AlertEventTypes.escalated:
      subject = `[督办] 已升级至${LEVEL[d.escalationLevel]}: ${name} (${d.ownerUnit}${overdue})`;
      heading = `督办升级 / Alert escalated to level ${d.escalationLevel}`;
      break;
    case AlertEventTypes.resolved:
      subject = `[督办] 已解除: ${name} (${d.ownerUnit})`;
      heading = '督办解除 / Alert resolved';
      break;
    case AlertEventTypes.reminded:
      subject = `[督办] 第${d.reminderCount}次催办: ${name} (${d.ownerUnit}${overdue})`;
      heading = `催办 / Reminder ${d.reminderCount}`;
      break;
    case AlertEventTypes.commitmentMissed:
      subject = `[督办] 逾期未兑现承诺, 已升级至${LEVEL[d.escalationLevel]}: ${name} (${d.ownerUnit})`;
      heading = `承诺未兑现 / Commitment missed, re-opened at level ${d.escalationLevel}`;
      break;
    case AlertEventTypes.reopened:
      subject = `[督办] 销号被退回, 已升级至${LEVEL[d.escalationLevel]}: ${name} (${d.ownerUnit})`;
      heading = `退回重办 / Resolution rejected, re-opened at level ${d.escalationLevel}`;
      break;
    case AlertEventTypes.closed:
      subject = `[督办] 已销号: ${name} (${d.ownerUnit})`;
      heading = '督办销号 / Alert closed (verified)';
      break;
    default:
      return null;
  }
  const lines = [
    heading,
    '',
    `事项 Milestone: ${name}`,
    `责任单位 Owner unit: ${d.ownerUnit}`,
    `规则 Rule: ${RULE[d.rule]} (${d.rule})`,
    `严重程度 Severity: ${SEVERITY[d.severity]} (${d.severity})`,
    `计划完成日期 Planned date: ${d.currentPlannedDate}`,
    ...(d.forecastDate ? [`预计完成日期 Forecast date: ${d.forecastDate}`] : []),
    `逾期天数 Days overdue: ${d.daysOverdue}`,
    `督办层级 Escalation level: ${d.escalationLevel} ${LEVEL[d.escalationLevel]}`,
    ...(d.resolution ? [`解除原因 Resolution: ${d.resolution}`] : []),
    ...(d.commitDate ? [`承诺办结日期 Commit date: ${d.commitDate}`] : []),
    ...(d.reminderCount ? [`催办次数 Reminders: ${d.reminderCount}`] : []),
    ...(d.verificationNote ? [`核查意见 Verification note: ${d.verificationNote}`] : []),
    `提醒编号 Alert ID: ${d.alertId}`,
    `区划 Region: ${d.region}`,
    `时间 Event time: ${event.time}`,
  ];
  return { subject, text: lines.join('\n') + '\n' };
}
