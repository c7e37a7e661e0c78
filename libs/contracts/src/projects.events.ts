import { z } from 'zod';
import {
  CalendarDate,
  MoneyWan,
  Month,
  NonNegativeWan,
  Percent,
  RegionCode,
  Text,
  UnitCode,
  Uuid,
  Version,
} from './values';

/**
 * Key projects (重点项目): the wire shapes of the projects service. HTTP bodies and the
 * ingest topic share these schemas, so both paths validate alike. Event data is read
 * tolerantly (unknown fields are dropped) so that schemas can grow additively.
 */

/** 国家级 / 省级 / 市级 / 县级 key project. */
export const PROJECT_LEVELS = ['national', 'provincial', 'municipal', 'county'] as const;
export const ProjectLevel = z.enum(PROJECT_LEVELS);

/** 储备 reserve, 前期 pre-work, 在建 under-construction, 竣工 completed, 投产 in-operation, 停缓建 suspended. */
export const PROJECT_STATUSES = [
  'reserve',
  'pre-work',
  'under-construction',
  'completed',
  'in-operation',
  'suspended',
] as const;
export const ProjectStatus = z.enum(PROJECT_STATUSES);

const ProjectFields = {
  code: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/, 'must be 2-40 letters, digits or hyphens'),
  name: Text(200),
  category: Text(100),
  level: ProjectLevel,
  leadUnit: UnitCode,
  /** 包抓领导: the county leader answerable for the project. */
  responsibleLeader: Text(100),
  township: Text(100),
  regionCode: RegionCode,
  totalPlannedInvestmentWan: NonNegativeWan,
  annualPlannedInvestmentWan: NonNegativeWan,
  plannedStartDate: CalendarDate,
  plannedEndDate: CalendarDate,
  parkId: Uuid.nullable(),
  tags: z.array(Text(50)).max(20),
};

const datesInOrder = (p: { plannedStartDate?: string; plannedEndDate?: string }) =>
  !p.plannedStartDate || !p.plannedEndDate || p.plannedStartDate <= p.plannedEndDate;
const datesMessage = { message: 'must not be before plannedStartDate', path: ['plannedEndDate'] };

export const CreateProjectBody = z
  .strictObject({
    ...ProjectFields,
    parkId: Uuid.nullable().default(null),
    tags: ProjectFields.tags.default([]),
  })
  .refine(datesInOrder, datesMessage);
export type CreateProjectBody = z.infer<typeof CreateProjectBody>;

/** A partial update; `version` must match the stored one (optimistic concurrency). */
export const UpdateProjectBody = z
  .strictObject(ProjectFields)
  .omit({ code: true, regionCode: true })
  .partial()
  .extend({ version: Version })
  .refine(datesInOrder, datesMessage);
export type UpdateProjectBody = z.infer<typeof UpdateProjectBody>;

export const ChangeStatusBody = z.strictObject({
  status: ProjectStatus,
  reason: Text(500).optional(),
  version: Version.optional(),
});

export const ProjectData = z.object({
  projectId: Uuid,
  ...ProjectFields,
  status: ProjectStatus,
  suspendedFrom: ProjectStatus.nullable(),
  version: z.number().int(),
});
export type ProjectData = z.infer<typeof ProjectData>;

export const ProjectStatusChangedData = ProjectData.extend({
  previousStatus: ProjectStatus,
  reason: z.string().nullable(),
});

// Milestones (bodies; the event shape is the shared MilestoneEventData)
export const CreateMilestoneBody = z.strictObject({
  name: Text(200),
  ownerUnit: UnitCode,
  plannedDate: CalendarDate,
});
export const ForecastBody = z.strictObject({ forecastDate: CalendarDate.nullable() });
export const CompleteMilestoneBody = z.strictObject({ actualDate: CalendarDate });
export const RescheduleBody = z.strictObject({ plannedDate: CalendarDate, reason: Text(500) });
export const CancelMilestoneBody = z.strictObject({ reason: Text(500) });

// Monthly progress reports
const ItemInput = z.strictObject({ description: Text(1000) });
export const ProgressReportBody = z.strictObject({
  month: Month,
  investmentCompletedWan: MoneyWan,
  cumulativeInvestmentWan: MoneyWan,
  physicalProgressPct: Percent,
  narrative: z.string().max(5000).default(''),
  /** 存在问题 */
  problems: z.array(ItemInput).max(50).default([]),
  /** 需协调事项 */
  coordinationRequests: z.array(ItemInput).max(50).default([]),
  correction: z.boolean().default(false),
});
export type ProgressReportBody = z.infer<typeof ProgressReportBody>;
export const ResolveItemBody = z.strictObject({ resolution: Text(1000) });

const ProgressItemData = z.object({
  id: Uuid,
  kind: z.enum(['problem', 'coordination']),
  description: z.string(),
  status: z.enum(['open', 'resolved']),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
});

export const ProgressReportData = z.object({
  reportId: Uuid,
  projectId: Uuid,
  leadUnit: UnitCode,
  month: Month,
  investmentCompletedWan: MoneyWan,
  cumulativeInvestmentWan: MoneyWan,
  physicalProgressPct: Percent,
  narrative: z.string(),
  items: z.array(ProgressItemData),
  version: z.number().int(),
});
export type ProgressReportData = z.infer<typeof ProgressReportData>;

// What department systems send on duban.projects.ingest.v1: the HTTP bodies plus the target.
const ProjectRef = { projectId: Uuid };
const MilestoneRef = { projectId: Uuid, milestoneId: Uuid };
export const ProjectIngest = {
  progressReported: z.strictObject({ ...ProjectRef, report: ProgressReportBody }),
  forecastReported: z.strictObject({ ...MilestoneRef, ...ForecastBody.shape }),
  completionReported: z.strictObject({ ...MilestoneRef, ...CompleteMilestoneBody.shape }),
  statusChangeRequested: z.strictObject({ ...ProjectRef, ...ChangeStatusBody.shape }),
};

export const ProjectEventTypes = {
  registered: 'duban.project.registered',
  updated: 'duban.project.updated',
  statusChanged: 'duban.project.status-changed',
  reportSubmitted: 'duban.progress-report.submitted',
  reportCorrected: 'duban.progress-report.corrected',
  itemResolved: 'duban.progress-report.item-resolved',
  // inbound, on the ingest topic
  ingestProgressReported: 'duban.progress-report.reported',
  ingestForecastReported: 'duban.milestone.forecast-reported',
  ingestCompletionReported: 'duban.milestone.completion-reported',
  ingestStatusChangeRequested: 'duban.project.status-change-requested',
} as const;
