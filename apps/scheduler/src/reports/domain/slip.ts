import { daysBetween } from '@duban/contracts';

export interface SlipEntry {
  /** The baseline (基准日期): the date first scheduled, never moved by a change. */
  plannedDate: string;
  currentPlannedDate: string;
  forecastDate: string | null;
  actualDate: string | null;
  status: 'pending' | 'met' | 'missed' | 'cancelled';
}

/**
 * Days slipped (延期天数) against the baseline, never negative:
 * - met: actual date − baseline;
 * - pending: the expected date − baseline, where the expected date is the forecast, else the
 *   current plan, and no earlier than today once the current plan is past (an overdue
 *   milestone can finish today at the earliest);
 * - missed: actual date if one was given, else today (it is still not done);
 * - cancelled: 0 (no longer to be done; its changes are counted instead).
 */
export function daysSlipped(e: SlipEntry, today: string): number {
  const end = endDate(e, today);
  return end === null ? 0 : Math.max(0, daysBetween(e.plannedDate, end));
}

function endDate(e: SlipEntry, today: string): string | null {
  switch (e.status) {
    case 'cancelled':
      return null;
    case 'met':
      return e.actualDate ?? e.currentPlannedDate;
    case 'missed':
      return e.actualDate ?? today;
    case 'pending': {
      const expected = e.forecastDate ?? e.currentPlannedDate;
      const overdue = e.currentPlannedDate < today;
      return overdue && expected < today ? today : expected;
    }
  }
}

/** Whether a pending milestone's current plan is past (its deadline is over). */
export const isOverdue = (e: SlipEntry, today: string): boolean =>
  e.status === 'pending' && e.currentPlannedDate < today;

/** 状态 in the report: the milestone status, with overdue (逾期) told apart from on time. */
export function statusLabel(e: SlipEntry, today: string): string {
  if (isOverdue(e, today)) return '逾期';
  return { pending: '进行中', met: '已完成', missed: '未按期完成', cancelled: '已取消' }[e.status];
}
