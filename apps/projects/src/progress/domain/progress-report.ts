import { type FieldIssue, RuleViolation, toCents } from '@duban/contracts';

export interface ReportFigures {
  month: string;
  investmentCompletedWan: string;
  cumulativeInvestmentWan: string;
  physicalProgressPct: number;
  correction: boolean;
}

export interface ReportNeighbours {
  existing: { cumulativeInvestmentWan: string } | null;
  previous: { month: string; cumulativeInvestmentWan: string } | null;
  next: { month: string; cumulativeInvestmentWan: string } | null;
}

export type ItemStatus = 'open' | 'resolved';

export interface ProgressItem {
  id: string;
  kind: 'problem' | 'coordination';
  description: string;
  status: ItemStatus;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
}

/** Throws RuleViolation for the first broken rule set (collect all 'invalid' field issues into one RuleViolation('invalid') with details.errors; conflicts are separate). */
export function checkProgressReport(
  report: ReportFigures,
  neighbours: ReportNeighbours,
  currentMonth: string,
): void {
  const errors = figureIssues(report, currentMonth);
  if (!report.correction && !errors.some((e) => e.field === 'cumulativeInvestmentWan')) {
    errors.push(...sequenceIssues(report.cumulativeInvestmentWan, neighbours));
  }
  if (errors.length) throw new RuleViolation('invalid progress report', 'invalid', { errors });
  checkReplacement(report, neighbours.existing !== null);
}

export function resolveItem(
  item: ProgressItem,
  resolution: string,
  actor: { by: string; at: string },
): ProgressItem {
  if (item.status === 'resolved') {
    throw new RuleViolation(`${item.kind} ${item.id} is already resolved`, 'conflict', {
      resolvedBy: item.resolvedBy,
      resolvedAt: item.resolvedAt,
    });
  }
  if (!resolution.trim()) {
    throw new RuleViolation('invalid resolution', 'invalid', {
      errors: [{ field: 'resolution', message: 'must not be blank' }],
    });
  }
  return {
    ...item,
    status: 'resolved',
    resolvedBy: actor.by,
    resolvedAt: actor.at,
    resolution: resolution.trim(),
  };
}

function figureIssues(report: ReportFigures, currentMonth: string): FieldIssue[] {
  const errors: FieldIssue[] = [];
  if (report.month > currentMonth) {
    errors.push({ field: 'month', message: 'cannot report a month that has not begun' });
  }
  const period = amount('investmentCompletedWan', report.investmentCompletedWan, errors);
  const cumulative = amount('cumulativeInvestmentWan', report.cumulativeInvestmentWan, errors);
  // Only compare amounts that are themselves valid, so one mistake yields one message.
  if (period !== null && cumulative !== null && period > cumulative) {
    errors.push({
      field: 'investmentCompletedWan',
      message: `cannot exceed the cumulative investment of ${report.cumulativeInvestmentWan} 万元`,
    });
  }
  return errors;
}

/** Parses a non-negative 万元 amount, recording a field issue instead of throwing. */
function amount(field: string, wan: string, errors: FieldIssue[]): bigint | null {
  let cents: bigint;
  try {
    cents = toCents(wan);
  } catch (e) {
    if (!(e instanceof RuleViolation)) throw e;
    errors.push({ field, message: e.message });
    return null;
  }
  if (cents < 0n) {
    errors.push({ field, message: 'must not be negative' });
    return null;
  }
  return cents;
}

// Cumulative investment never falls over time, so a new month must sit between its
// neighbours. A correction may legitimately break that, as it is how wrong history is fixed.
function sequenceIssues(cumulativeWan: string, neighbours: ReportNeighbours): FieldIssue[] {
  const cumulative = toCents(cumulativeWan);
  const { previous, next } = neighbours;
  const errors: FieldIssue[] = [];
  if (previous && cumulative < toCents(previous.cumulativeInvestmentWan)) {
    errors.push({
      field: 'cumulativeInvestmentWan',
      message: `is below ${previous.cumulativeInvestmentWan} 万元 reported for ${previous.month}`,
    });
  }
  if (next && cumulative > toCents(next.cumulativeInvestmentWan)) {
    errors.push({
      field: 'cumulativeInvestmentWan',
      message: `is above ${next.cumulativeInvestmentWan} 万元 reported for ${next.month}`,
    });
  }
  return errors;
}

function checkReplacement(report: ReportFigures, exists: boolean): void {
  const { month } = report;
  if (exists && !report.correction) {
    throw new RuleViolation(
      `a report for ${month} exists; send correction: true to replace it`,
      'conflict',
      { month },
    );
  }
  if (!exists && report.correction) {
    throw new RuleViolation(`no report for ${month} to correct`, 'conflict', { month });
  }
}
