import {
  Controller,
  Get,
  NotAcceptableException,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  CalendarDate,
  MilestoneSubjectType,
  RegionCode,
  UnitCode,
  chinaDate,
} from '@duban/contracts';
import { CurrentPrincipal, Principal, regionFilter } from '@duban/auth';
import { Clock, ZodParam } from '@duban/platform';
import { SlipReportService, SlipRow } from './slip-report.service';

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const JSON_TYPE = 'application/json';
const FORMATS = { json: JSON_TYPE, csv: CSV, xlsx: XLSX } as const;
type Format = keyof typeof FORMATS;

const SlipQuery = z
  .strictObject({
    unit: UnitCode.optional(),
    region: RegionCode.optional(),
    subjectType: MilestoneSubjectType.optional(),
    /** Baseline dates from (inclusive). */
    from: CalendarDate.optional(),
    /** Baseline dates to (inclusive). */
    to: CalendarDate.optional(),
    /** Overrides the Accept header. */
    format: z.enum(['json', 'csv', 'xlsx']).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    message: 'must not be before from',
  });
type SlipQuery = z.infer<typeof SlipQuery>;

export interface SlipReport {
  /** The day (China time) slip of pending milestones is counted to. */
  asOf: string;
  count: number;
  items: SlipRow[];
}

/**
 * The slip report (延期台账): each milestone's baseline, current plan, forecast, actual date,
 * approved changes and days slipped, as JSON, CSV (UTF-8 with BOM) or an Excel workbook.
 * Filtered by baseline date, so a milestone never leaves the period it was first planned for
 * by being rescheduled out of it. A department token sees its own unit's milestones only; a
 * token bound to a region, that region's.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class SlipReportController {
  constructor(
    private readonly report: SlipReportService,
    private readonly clock: Clock,
  ) {}

  @Get('slip')
  @ApiProduces(JSON_TYPE, CSV, XLSX)
  async slip(
    @CurrentPrincipal() actor: Principal,
    @Query(new ZodParam('query', SlipQuery)) q: SlipQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SlipReport | string | StreamableFile> {
    const format = q.format ?? negotiate(req);
    const today = chinaDate(this.clock.now());
    const denied = actor.role === 'department' && q.unit !== undefined && q.unit !== actor.unit;
    const rows = denied
      ? []
      : await this.report.rows(
          {
            unit: actor.role === 'department' ? actor.unit : q.unit,
            region: regionFilter(actor, q.region),
            subjectType: q.subjectType,
            from: q.from,
            to: q.to,
          },
          today,
        );
    res.setHeader('Vary', 'Accept');
    if (format === 'json') return { asOf: today, count: rows.length, items: rows };
    const disposition = attachment(`slip-report-${today}.${format}`, `延期台账-${today}.${format}`);
    if (format === 'csv') {
      res.setHeader('Content-Type', `${CSV}; charset=utf-8`);
      res.setHeader('Content-Disposition', disposition);
      return this.report.csv(rows, today);
    }
    return new StreamableFile(await this.report.xlsx(rows, today), {
      type: XLSX,
      disposition,
    });
  }
}

/** `?format=` wins; otherwise the Accept header (no header, or any type: JSON). */
function negotiate(req: Request): Format {
  const best = req.accepts([JSON_TYPE, CSV, XLSX]);
  if (!best)
    throw new NotAcceptableException(
      `the slip report is available as ${Object.values(FORMATS).join(', ')} (or ?format=json|csv|xlsx)`,
    );
  return (Object.keys(FORMATS) as Format[]).find((f) => FORMATS[f] === best)!;
}

/** An ASCII filename for old clients and the Chinese one (RFC 6266 filename*) for the rest. */
const attachment = (ascii: string, utf8: string) =>
  `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8)}`;
