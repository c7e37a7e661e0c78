import { z } from 'zod';
import {
  CompleteMilestoneBody,
  CreateMilestoneBody,
  CreateProjectBody,
  ForecastBody,
  ProgressReportBody,
  RescheduleBody,
  addWan,
  chinaDate,
  chinaMonth,
  monthsBefore,
} from '@duban/contracts';
import { resolveDay } from '@duban/platform';
import { DEMO_PROJECTS, DEMO_REGION_CODE, DemoProject } from './demo-projects';

/**
 * The demo data resolved for one day: every relative date made concrete and every body parsed
 * through the same schemas the HTTP API uses, so bad demo data fails before anything is written.
 */
export interface MilestonePlan {
  create: z.infer<typeof CreateMilestoneBody>;
  reschedule: z.infer<typeof RescheduleBody> | null;
  forecast: z.infer<typeof ForecastBody> | null;
  complete: z.infer<typeof CompleteMilestoneBody> | null;
}

export interface ProjectPlan {
  project: CreateProjectBody;
  /** Status moves after registration, in order (reserve → pre-work → under-construction). */
  statusPath: DemoProject['status'][];
  milestones: MilestonePlan[];
  /** Oldest month first; cumulative investment never falls. */
  reports: ProgressReportBody[];
}

const LIFECYCLE: DemoProject['status'][] = ['reserve', 'pre-work', 'under-construction'];

export function planDemoProjects(
  now: Date,
  projects: readonly DemoProject[] = DEMO_PROJECTS,
): ProjectPlan[] {
  const today = chinaDate(now);
  const thisMonth = chinaMonth(now);
  return projects.map((p) => {
    const where = `demo project ${p.code}`;
    const { milestones, progress, status, ...fields } = p;
    const project = parse(CreateProjectBody, { ...fields, regionCode: DEMO_REGION_CODE }, where);

    const milestonePlans = milestones.map((ms): MilestonePlan => {
      const at = `${where}, milestone ${ms.name}`;
      const complete = ms.metOn
        ? parse(CompleteMilestoneBody, { actualDate: resolveDay(ms.metOn, today) }, at)
        : null;
      if (complete && complete.actualDate > today) {
        throw new Error(`${at}: met on ${complete.actualDate}, after today ${today}`);
      }
      return {
        create: parse(
          CreateMilestoneBody,
          { name: ms.name, ownerUnit: ms.ownerUnit, plannedDate: resolveDay(ms.due, today) },
          at,
        ),
        reschedule: ms.rescheduled
          ? parse(
              RescheduleBody,
              { plannedDate: resolveDay(ms.rescheduled.to, today), reason: ms.rescheduled.reason },
              at,
            )
          : null,
        forecast: ms.forecast
          ? parse(ForecastBody, { forecastDate: resolveDay(ms.forecast, today) }, at)
          : null,
        complete,
      };
    });

    let cumulative = progress?.investedBeforeWan ?? '0.00';
    const reports = [...(progress?.reports ?? [])]
      .sort((a, b) => b.monthsAgo - a.monthsAgo)
      .map((r) => {
        if (r.monthsAgo < 1) throw new Error(`${where}: a report must be for a past month`);
        cumulative = addWan(cumulative, r.investmentCompletedWan);
        return parse(
          ProgressReportBody,
          {
            month: monthsBefore(thisMonth, r.monthsAgo),
            investmentCompletedWan: r.investmentCompletedWan,
            cumulativeInvestmentWan: cumulative,
            physicalProgressPct: r.physicalProgressPct,
            narrative: r.narrative,
            problems: (r.problems ?? []).map((description) => ({ description })),
            coordinationRequests: (r.coordinationRequests ?? []).map((description) => ({
              description,
            })),
          },
          `${where}, report ${r.monthsAgo} month(s) ago`,
        );
      });

    return {
      project,
      statusPath: LIFECYCLE.slice(1, LIFECYCLE.indexOf(status) + 1),
      milestones: milestonePlans,
      reports,
    };
  });
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`);
    throw new Error(`${where} is invalid: ${issues.join('; ')}`);
  }
  return result.data;
}
