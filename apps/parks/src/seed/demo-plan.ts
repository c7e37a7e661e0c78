import {
  ChangeEnterpriseStatusBody,
  CreateCampaignBody,
  CreateCampaignTaskBody,
  CreateEnterpriseBody,
  CreateParkBody,
  ParkIndicatorsBody,
  addDays,
  chinaDate,
  chinaMonth,
  monthsBefore,
} from '@duban/contracts';
import { MilestoneCommand } from '@duban/milestones';
import {
  DEMO_CAMPAIGNS,
  DEMO_PARKS,
  DEMO_REGION_CODE,
  DemoCampaign,
  DemoDay,
  DemoPark,
} from './demo-parks';

/**
 * The demo data resolved for one day: relative dates made concrete and every body parsed
 * through the schemas the HTTP API uses, so bad demo data fails before anything is written.
 */
export interface ParkPlan {
  park: CreateParkBody;
  /** Bodies without parkId: the park's id is known only once it is registered. */
  enterprises: {
    create: Omit<CreateEnterpriseBody, 'parkId'>;
    moves: ChangeEnterpriseStatusBody[];
  }[];
  indicators: { month: string; body: ParkIndicatorsBody }[];
}

export interface CampaignPlan {
  campaign: CreateCampaignBody;
  /** `park` names the park whose id goes into the task's parkId. */
  tasks: {
    create: Omit<CreateCampaignTaskBody, 'parkId'>;
    park: string | null;
    then: MilestoneCommand[];
  }[];
}

export const resolveDay = (day: DemoDay, today: string): string =>
  'on' in day ? day.on : addDays(today, day.inDays);

export function planDemoParks(now: Date, parks: readonly DemoPark[] = DEMO_PARKS): ParkPlan[] {
  const today = chinaDate(now);
  const thisMonth = chinaMonth(now);
  return parks.map((p) => ({
    park: CreateParkBody.parse({
      name: p.name,
      regionCode: DEMO_REGION_CODE,
      leadIndustry: p.leadIndustry,
      plannedAreaMu: p.plannedAreaMu,
      developedAreaMu: p.developedAreaMu,
      managingUnit: p.managingUnit,
      designations: p.designations,
    }),
    enterprises: p.enterprises.map(({ signedOn, moves, ...e }) => ({
      create: CreateEnterpriseBody.omit({ parkId: true }).parse({
        ...e,
        signedOn: resolveDay(signedOn, today),
      }),
      moves: moves.map((m) =>
        ChangeEnterpriseStatusBody.parse({ status: m.status, changedOn: resolveDay(m.on, today) }),
      ),
    })),
    indicators: p.indicators.map(({ monthsAgo, ...figures }) => ({
      month: monthsBefore(thisMonth, monthsAgo),
      body: ParkIndicatorsBody.parse(figures),
    })),
  }));
}

export function planDemoCampaigns(
  now: Date,
  campaigns: readonly DemoCampaign[] = DEMO_CAMPAIGNS,
): CampaignPlan[] {
  const today = chinaDate(now);
  return campaigns.map((c) => ({
    campaign: CreateCampaignBody.parse({
      name: c.name,
      regionCode: DEMO_REGION_CODE,
      leadUnit: c.leadUnit,
      description: c.description,
    }),
    tasks: c.tasks.map((t) => {
      const then: MilestoneCommand[] = [];
      if (t.rescheduled) {
        then.push({
          kind: 'reschedule',
          plannedDate: resolveDay(t.rescheduled.to, today),
          reason: t.rescheduled.reason,
        });
      }
      if (t.forecast) then.push({ kind: 'forecast', forecastDate: resolveDay(t.forecast, today) });
      if (t.metOn) then.push({ kind: 'complete', actualDate: resolveDay(t.metOn, today) });
      return {
        create: CreateCampaignTaskBody.omit({ parkId: true }).parse({
          name: t.name,
          ownerUnit: t.ownerUnit,
          plannedDate: resolveDay(t.due, today),
        }),
        park: t.park ?? null,
        then,
      };
    }),
  }));
}
