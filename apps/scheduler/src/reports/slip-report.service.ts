import { Injectable } from '@nestjs/common';
import { Workbook } from 'exceljs';
import { DataSource } from 'typeorm';
import { CsvValue, toCsv } from './domain/csv';
import { SlipEntry, daysSlipped, isOverdue, statusLabel } from './domain/slip';

/** One line of the slip report (延期台账): a milestone against its baseline. */
export interface SlipRow {
  milestoneId: string;
  subjectType: 'project' | 'park' | 'campaign-task' | 'transport-work' | 'honour';
  subjectId: string;
  /** The project's name where the scheduler knows it (project plans), else null. */
  subjectName: string | null;
  name: string;
  ownerUnit: string;
  region: string;
  baselineDate: string;
  currentPlannedDate: string;
  forecastDate: string | null;
  actualDate: string | null;
  /** Approved changes (变更次数): reschedules and cancellations. */
  changeCount: number;
  slipDays: number;
  status: SlipEntry['status'];
  overdue: boolean;
}

export interface SlipFilter {
  unit?: string;
  region?: string;
  subjectType?: string;
  /** Baseline dates from and to (inclusive). */
  from?: string;
  to?: string;
}

/** At most this many lines in one report (a county's milestones fit many times over). */
export const SLIP_REPORT_MAX_ROWS = 20_000;

const SUBJECT_TYPES: Record<SlipRow['subjectType'], string> = {
  project: '项目',
  park: '园区',
  'campaign-task': '专项任务',
  'transport-work': '交通工程',
  honour: '创建争先',
};

const COLUMNS: { header: string; width: number; value: (r: SlipRow, today: string) => CsvValue }[] =
  [
    { header: '项目/事项', width: 30, value: (r) => r.subjectName ?? r.subjectId },
    { header: '节点', width: 28, value: (r) => r.name },
    { header: '类型', width: 10, value: (r) => SUBJECT_TYPES[r.subjectType] },
    { header: '责任单位', width: 12, value: (r) => r.ownerUnit },
    { header: '区域', width: 10, value: (r) => r.region },
    { header: '基准日期', width: 12, value: (r) => r.baselineDate },
    { header: '当前计划', width: 12, value: (r) => r.currentPlannedDate },
    { header: '预计完成', width: 12, value: (r) => r.forecastDate },
    { header: '实际完成', width: 12, value: (r) => r.actualDate },
    { header: '变更次数', width: 10, value: (r) => r.changeCount },
    { header: '延期天数', width: 10, value: (r) => r.slipDays },
    { header: '状态', width: 12, value: (r, today) => statusLabel(asEntry(r), today) },
    { header: '节点编号', width: 38, value: (r) => r.milestoneId },
  ];

export const SLIP_HEADINGS = COLUMNS.map((c) => c.header);

/** The slip report from the timetable: every milestone's baseline, plan, forecast and actual. */
@Injectable()
export class SlipReportService {
  constructor(private readonly ds: DataSource) {}

  async rows(filter: SlipFilter, today: string): Promise<SlipRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.unit) add('t.owner_unit = ?', filter.unit);
    if (filter.region) add('t.region = ?', filter.region);
    if (filter.subjectType) add('t.subject_type = ?', filter.subjectType);
    if (filter.from) add('t.planned_date >= ?', filter.from);
    if (filter.to) add('t.planned_date <= ?', filter.to);
    params.push(SLIP_REPORT_MAX_ROWS);
    const raw: Omit<SlipRow, 'slipDays' | 'overdue'>[] = await this.ds.query(
      `SELECT t.milestone_id AS "milestoneId", t.subject_type AS "subjectType",
              t.subject_id AS "subjectId", p.name AS "subjectName", t.name,
              t.owner_unit AS "ownerUnit", t.region,
              to_char(t.planned_date, 'YYYY-MM-DD') AS "baselineDate",
              to_char(t.current_planned_date, 'YYYY-MM-DD') AS "currentPlannedDate",
              to_char(t.forecast_date, 'YYYY-MM-DD') AS "forecastDate",
              to_char(t.actual_date, 'YYYY-MM-DD') AS "actualDate",
              t.change_count AS "changeCount", t.status
         FROM timetable t LEFT JOIN project_plans p ON p.project_id = t.subject_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.owner_unit, t.planned_date, t.milestone_id
        LIMIT $${params.length}`,
      params,
    );
    return raw.map((r) => {
      const entry = asEntry(r);
      return { ...r, slipDays: daysSlipped(entry, today), overdue: isOverdue(entry, today) };
    });
  }

  csv(rows: SlipRow[], today: string): string {
    return toCsv([SLIP_HEADINGS, ...rows.map((r) => cells(r, today))]);
  }

  /** One sheet, 延期台账: the headings frozen in bold, dates as YYYY-MM-DD text, numbers as numbers. */
  async xlsx(rows: SlipRow[], today: string): Promise<Buffer> {
    const book = new Workbook();
    book.creator = 'Duban';
    const sheet = book.addWorksheet('延期台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    for (const r of rows) sheet.addRow(cells(r, today));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
    return Buffer.from(await book.xlsx.writeBuffer());
  }
}

const asEntry = (
  r: Pick<
    SlipRow,
    'baselineDate' | 'currentPlannedDate' | 'forecastDate' | 'actualDate' | 'status'
  >,
): SlipEntry => ({
  plannedDate: r.baselineDate,
  currentPlannedDate: r.currentPlannedDate,
  forecastDate: r.forecastDate,
  actualDate: r.actualDate,
  status: r.status,
});

const cells = (r: SlipRow, today: string): CsvValue[] => COLUMNS.map((c) => c.value(r, today));
