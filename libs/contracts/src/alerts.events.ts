import { z } from 'zod';
import { MilestoneSubjectType } from './milestone.events';
import { CalendarDate, Instant, RegionCode, UnitCode, Uuid } from './values';

/** Alerts (督办提醒) raised by the scheduler when a milestone slips. */
/** report-missing (逾期未报): a project under construction has not reported its month. */
export const AlertRule = z.enum(['overdue', 'forecast-slip', 'behind-pace', 'report-missing']);
export const AlertSeverity = z.enum(['info', 'minor', 'major', 'critical']);
/** resolved = the supervised side says it is done; closed = a supervisor verified it (销号). */
export const AlertState = z.enum(['open', 'acknowledged', 'resolved', 'closed']);
/** 0 owner unit, 1 supervisors' office (督查室), 2 responsible county leader (包抓领导). */
export const EscalationLevel = z.union([z.literal(0), z.literal(1), z.literal(2)]);

export const AlertData = z.object({
  alertId: Uuid,
  rule: AlertRule,
  severity: AlertSeverity,
  state: AlertState,
  escalationLevel: EscalationLevel,
  subjectType: MilestoneSubjectType,
  subjectId: Uuid,
  milestoneId: Uuid,
  milestoneName: z.string(),
  ownerUnit: UnitCode,
  region: RegionCode,
  currentPlannedDate: CalendarDate,
  forecastDate: CalendarDate.nullable(),
  daysOverdue: z.number().int().min(0),
  raisedAt: Instant,
  acknowledgedAt: Instant.nullable(),
  acknowledgedBy: z.string().nullable(),
  note: z.string().nullable(),
  resolvedAt: Instant.nullable(),
  resolution: z.string().nullable(),
  // Issue 12 (督办闭环), additive: events written before it read with these defaults.
  /** 承诺办结日期: the date the latest acknowledgement committed to (China's calendar). */
  commitDate: CalendarDate.nullable().default(null),
  /** Reminders (催办) sent so far. */
  reminderCount: z.number().int().min(0).default(0),
  /** Verified (销号): when, and by whom; closedBy null with closedAt set = closed automatically. */
  closedAt: Instant.nullable().default(null),
  closedBy: z.string().nullable().default(null),
  /** The supervisor's note on the latest close or re-open. */
  verificationNote: z.string().nullable().default(null),
});
export type AlertData = z.infer<typeof AlertData>;

/** A milestone whose deadline is near (a warning point), not yet an alert. */
export const MilestoneDueSoonData = z.object({
  milestoneId: Uuid,
  subjectType: MilestoneSubjectType,
  subjectId: Uuid,
  name: z.string(),
  ownerUnit: UnitCode,
  region: RegionCode,
  currentPlannedDate: CalendarDate,
  daysBefore: z.number().int().min(1),
});

export const AlertEventTypes = {
  raised: 'duban.alert.raised',
  severityChanged: 'duban.alert.severity-changed',
  escalated: 'duban.alert.escalated',
  acknowledged: 'duban.alert.acknowledged',
  resolved: 'duban.alert.resolved',
  /** 催办: an open or acknowledged alert chased again after N working days. */
  reminded: 'duban.alert.reminded',
  /** The commit date passed with the milestone not met: open again, one level up. */
  commitmentMissed: 'duban.alert.commitment-missed',
  /** A supervisor verified the resolution (销号), or nobody objected in time. */
  closed: 'duban.alert.closed',
  /** A supervisor rejected the resolution: open again, one level up. */
  reopened: 'duban.alert.reopened',
  dueSoon: 'duban.milestone.due-soon',
} as const;

/** 承诺: the measures taken and the date the owner commits to have it done by. */
export const AcknowledgeBody = z.strictObject({
  note: z.string().trim().min(1, 'must not be empty').max(1000),
  commitDate: CalendarDate,
});

/** A supervisor's verification (销号) or rejection of a resolution, with the reason. */
export const VerificationBody = z.strictObject({
  note: z.string().trim().min(1, 'must not be empty').max(1000),
});
