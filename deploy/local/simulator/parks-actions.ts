/**
 * The simulator's decisions for the parks department, as pure functions (see actions.ts for
 * the projects side and the shared PRNG): which park indicator or campaign task to act on and
 * the bodies it sends. `parks-io.ts` reads the world and plays them.
 */
import { ParkIndicatorsBody, addDays, fromCents, toCents } from '@duban/contracts';
import {
  PlanContext,
  Rng,
  SimMilestone,
  Transport,
  slipForecast,
  troubleLean,
  weightedPick,
} from './actions';

// What the simulator reads from the parks service (only the fields it uses).

export interface SimPark {
  id: string;
  name: string;
  regionCode: string;
  managingUnit: string;
}

export interface SimCampaign {
  id: string;
  name: string;
  regionCode: string;
  leadUnit: string;
}

export type SimTask = Omit<SimMilestone, 'projectId'> & { campaignId: string };

/** A month of a park's indicators; numeric columns come back as "86500.00" strings. */
export interface SimIndicators {
  month: string;
  outputValueWan: string;
  industrialValueAddedWan: string;
  taxWan: string;
  fixedInvestmentWan: string;
  employees: number;
  version: number;
}

export interface ParksWorld {
  parks: SimPark[];
  campaigns: { campaign: SimCampaign; tasks: SimTask[] }[];
}

export const PARKS_KINDS = ['indicators', 'task-complete', 'task-forecast'] as const;
export type ParksActionKind = (typeof PARKS_KINDS)[number];

export type ParksAction =
  | { kind: 'indicators'; park: SimPark; transport: Transport }
  | {
      kind: 'task-complete';
      campaign: SimCampaign;
      task: SimTask;
      transport: Transport;
      body: { actualDate: string };
    }
  | {
      kind: 'task-forecast';
      campaign: SimCampaign;
      task: SimTask;
      transport: 'kafka';
      body: { forecastDate: string };
    };

export type ParksContext = Omit<PlanContext, 'played'> & {
  played: Record<ParksActionKind, number>;
};

/** Busy key of a park whose indicators were just sent (task ids are their own keys). */
export const indicatorsKey = (parkId: string): string => `indicators:${parkId}`;

export function parksCandidates(
  world: ParksWorld,
  today: string,
  busy: ReadonlySet<string> = new Set(),
) {
  const soon = addDays(today, 7);
  const c = {
    indicators: world.parks.filter((p) => !busy.has(indicatorsKey(p.id))),
    'task-complete': [] as { campaign: SimCampaign; task: SimTask }[],
    'task-forecast': [] as { campaign: SimCampaign; task: SimTask }[],
  };
  for (const { campaign, tasks } of world.campaigns) {
    for (const task of tasks) {
      if (task.status !== 'pending' || busy.has(task.id)) continue;
      const due = task.currentPlannedDate;
      if (due <= soon) c['task-complete'].push({ campaign, task });
      if (due >= today && (task.forecastDate === null || task.forecastDate <= due)) {
        c['task-forecast'].push({ campaign, task });
      }
    }
  }
  return c;
}

/** Completions resolve alerts, forecast slips raise them; indicators raise none. */
export function parksWeights(world: ParksWorld, today: string): Record<ParksActionKind, number> {
  const lean = troubleLean(
    world.campaigns.flatMap((c) => c.tasks),
    today,
  );
  return { indicators: 15, 'task-complete': 25 * lean, 'task-forecast': 20 / lean };
}

export function chooseParksAction(world: ParksWorld, ctx: ParksContext): ParksAction | null {
  const { today, rng, played } = ctx;
  const c = parksCandidates(world, today, ctx.busy);
  const weights = parksWeights(world, today);
  const available = PARKS_KINDS.filter((k) => c[k].length > 0);
  if (available.length === 0) return null;
  const kind = weightedPick(
    available,
    available.map((k) => weights[k]),
    rng,
  );
  const alternate = (n: number): Transport => (n % 2 === 0 ? 'http' : 'kafka');
  switch (kind) {
    case 'indicators':
      return { kind, park: rng.pick(c.indicators), transport: alternate(played.indicators) };
    case 'task-complete': {
      const { campaign, task } = rng.pick(c['task-complete']);
      return {
        kind,
        campaign,
        task,
        transport: alternate(played['task-complete']),
        body: { actualDate: today },
      };
    }
    case 'task-forecast': {
      const { campaign, task } = rng.pick(c['task-forecast']);
      return {
        kind,
        campaign,
        task,
        transport: 'kafka',
        body: { forecastDate: slipForecast(task, rng) },
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Monthly park indicators

export type IndicatorsPlan =
  | { outcome: 'submit'; correction: boolean; body: ParkIndicatorsBody }
  | { outcome: 'skip'; why: string };

/**
 * This month's indicators for a park, given the months it already has (any order). Each figure
 * grows 0–3% from the latest earlier month (tax up to 4%, employees up to 1.5%), so a month
 * never reports less than the one before; value added is capped at output. A month already
 * reported is skipped, or now and then corrected upwards with its version as the guard.
 */
export function buildIndicators(
  months: readonly SimIndicators[],
  month: string,
  rng: Rng,
  correctionChance = 0.3,
): IndicatorsPlan {
  const existing = months.find((m) => m.month === month);
  if (existing) {
    if (!rng.chance(correctionChance)) return { outcome: 'skip', why: `${month} already reported` };
    // A late-counted amount; at least one fen more, so the correction is a change.
    const output = toCents(existing.outputValueWan) + 1n + BigInt(rng.int(0, 50000));
    const added = min(
      output,
      toCents(existing.industrialValueAddedWan) + BigInt(rng.int(0, 12000)),
    );
    return {
      outcome: 'submit',
      correction: true,
      body: {
        outputValueWan: fromCents(output),
        industrialValueAddedWan: fromCents(added),
        taxWan: fromCents(toCents(existing.taxWan) + 1n + BigInt(rng.int(0, 5000))),
        fixedInvestmentWan: existing.fixedInvestmentWan,
        employees: existing.employees + rng.int(0, 20),
        version: existing.version,
      },
    };
  }
  const earlier = months
    .filter((m) => m.month < month)
    .sort((a, b) => (a.month < b.month ? 1 : -1))[0];
  const base = earlier ?? firstMonth(rng);
  const output = grow(toCents(base.outputValueWan), rng, 300);
  return {
    outcome: 'submit',
    correction: false,
    body: {
      outputValueWan: fromCents(output),
      industrialValueAddedWan: fromCents(
        min(output, grow(toCents(base.industrialValueAddedWan), rng, 300)),
      ),
      taxWan: fromCents(grow(toCents(base.taxWan), rng, 400)),
      fixedInvestmentWan: fromCents(grow(toCents(base.fixedInvestmentWan), rng, 300)),
      employees: base.employees + Math.floor((base.employees * rng.int(0, 150)) / 10000),
    },
  };
}

/** A park with no month yet: figures of the size the demo parks report. */
function firstMonth(rng: Rng): Omit<SimIndicators, 'month' | 'version'> {
  const output = BigInt(rng.int(20000, 90000)) * 100n;
  return {
    outputValueWan: fromCents(output),
    industrialValueAddedWan: fromCents((output * BigInt(rng.int(20, 30))) / 100n),
    taxWan: fromCents((output * BigInt(rng.int(15, 25))) / 1000n),
    fixedInvestmentWan: fromCents((output * BigInt(rng.int(10, 18))) / 100n),
    employees: rng.int(800, 7000),
  };
}

/** `cents` grown by 0 to `maxBasisPoints` hundredths of a percent, in whole fen. */
function grow(cents: bigint, rng: Rng, maxBasisPoints: number): bigint {
  return cents + (cents * BigInt(rng.int(0, maxBasisPoints))) / 10000n;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
