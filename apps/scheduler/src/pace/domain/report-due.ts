import { daysBetween, monthsBefore } from '@duban/contracts';

/**
 * Missing monthly reports (逾期未报). The progress report for month M is due on day D of month
 * M+1 (DUBAN_REPORT_DUE_DAY, default 5): from the start of that day (China time) a project
 * under construction without a report for M — or a later month — is missing one.
 */
export interface ReportDueInput {
  status: string;
  /** The project's planned start: its start month is the first month that must be reported. */
  plannedStartDate: string;
  /** The month of the newest report received (YYYY-MM), if any. */
  reportMonth: string | null;
  /** Today in China (YYYY-MM-DD). */
  today: string;
  dueDay: number;
}

export interface MissingReport {
  /** The newest month whose report is due by today. */
  dueMonth: string;
  /** The oldest month without a report (the start month or the month after the last report). */
  firstMissingMonth: string;
  /** When the first missing month's report was due (day D of the month after it). */
  deadline: string;
  /** Whole days since that deadline: 0 on day D itself (the alert's measure). */
  daysLate: number;
}

const nextMonth = (month: string): string => monthsBefore(month, -1);

/** Day D of the month after `month`: when `month`'s report is due. */
export const reportDeadline = (month: string, dueDay: number): string =>
  `${nextMonth(month)}-${String(dueDay).padStart(2, '0')}`;

/** The newest month whose report is due at `today`: last month from day D on, else the one before. */
export function dueMonth(today: string, dueDay: number): string {
  const month = today.slice(0, 7);
  return Number(today.slice(8, 10)) >= dueDay ? monthsBefore(month, 1) : monthsBefore(month, 2);
}

/** Whether a project owes a report at `today`, and since when; null when nothing is missing. */
export function missingReport(input: ReportDueInput): MissingReport | null {
  if (input.status !== 'under-construction') return null;
  const due = dueMonth(input.today, input.dueDay);
  const startMonth = input.plannedStartDate.slice(0, 7);
  // Not before the project started: the start month is the first to report.
  if (due < startMonth) return null;
  if (input.reportMonth !== null && input.reportMonth >= due) return null;
  const afterLast = input.reportMonth === null ? startMonth : nextMonth(input.reportMonth);
  const firstMissingMonth = afterLast > startMonth ? afterLast : startMonth;
  const deadline = reportDeadline(firstMissingMonth, input.dueDay);
  return {
    dueMonth: due,
    firstMissingMonth,
    deadline,
    daysLate: Math.max(0, daysBetween(deadline, input.today)),
  };
}
