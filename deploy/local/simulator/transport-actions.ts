/**
 * The simulator's decisions for the transport department, as pure functions (see actions.ts
 * for the projects side and the shared PRNG): which gate or section to act on and the bodies it
 * sends. `transport-io.ts` reads the world and plays them.
 */
import { TransportGate, addDays } from '@duban/contracts';
import {
  PlanContext,
  Rng,
  SimMilestone,
  Transport,
  slipForecast,
  troubleLean,
  weightedPick,
} from './actions';

// What the simulator reads from the transport service (only the fields it uses).

export interface SimWork {
  id: string;
  name: string;
  regionCode: string;
  leadUnit: string;
  phase: string;
}

export type SimGate = Omit<SimMilestone, 'projectId'> & { workId: string; gate: TransportGate };

export interface SimSection {
  id: string;
  workId: string;
  name: string;
  progressPct: number;
  openedOn: string | null;
}

export interface TransportWorld {
  works: { work: SimWork; gates: SimGate[]; sections: SimSection[] }[];
}

export const TRANSPORT_KINDS = ['gate-met', 'gate-forecast', 'section-progress'] as const;
export type TransportActionKind = (typeof TRANSPORT_KINDS)[number];

export type TransportAction =
  | {
      kind: 'gate-met';
      work: SimWork;
      gate: SimGate;
      /** The gate's owner, or now and then the work's lead unit: both may report it. */
      unit: string;
      transport: Transport;
      body: { actualDate: string };
    }
  | {
      kind: 'gate-forecast';
      work: SimWork;
      gate: SimGate;
      transport: 'kafka';
      body: { forecastDate: string };
    }
  | {
      kind: 'section-progress';
      work: SimWork;
      section: SimSection;
      transport: 'kafka';
      body: { progressPct: number };
    };

export type TransportContext = Omit<PlanContext, 'played'> & {
  played: Record<TransportActionKind, number>;
};

/** Gates further off than this are not reported met: pre-work is not finished months early. */
const MET_HORIZON_DAYS = 60;
/** A late gate is this many times likelier to be reported met than one still to come. */
const LATE_PREFERENCE = 4;

export function transportCandidates(
  world: TransportWorld,
  today: string,
  busy: ReadonlySet<string> = new Set(),
) {
  const horizon = addDays(today, MET_HORIZON_DAYS);
  const c = {
    'gate-met': [] as { work: SimWork; gate: SimGate }[],
    'gate-forecast': [] as { work: SimWork; gate: SimGate }[],
    'section-progress': [] as { work: SimWork; section: SimSection }[],
  };
  for (const { work, gates, sections } of world.works) {
    for (const gate of gates) {
      if (gate.status !== 'pending' || busy.has(gate.id)) continue;
      const due = gate.currentPlannedDate;
      if (due <= horizon) c['gate-met'].push({ work, gate });
      if (due >= today && (gate.forecastDate === null || gate.forecastDate <= due)) {
        c['gate-forecast'].push({ work, gate });
      }
    }
    // Progress is reported while a section is being built; an opened one is final at 100.
    if (work.phase !== 'construction') continue;
    for (const section of sections) {
      if (section.openedOn !== null || section.progressPct >= 100 || busy.has(section.id)) continue;
      c['section-progress'].push({ work, section });
    }
  }
  return c;
}

/** Gates met resolve alerts, forecast slips raise them; section progress raises none. */
export function transportWeights(
  world: TransportWorld,
  today: string,
): Record<TransportActionKind, number> {
  const lean = troubleLean(
    world.works.flatMap((w) => w.gates),
    today,
  );
  return { 'gate-met': 25 * lean, 'gate-forecast': 20 / lean, 'section-progress': 15 };
}

export function chooseTransportAction(
  world: TransportWorld,
  ctx: TransportContext,
): TransportAction | null {
  const { today, rng, played } = ctx;
  const c = transportCandidates(world, today, ctx.busy);
  const weights = transportWeights(world, today);
  const available = TRANSPORT_KINDS.filter((k) => c[k].length > 0);
  if (available.length === 0) return null;
  const kind = weightedPick(
    available,
    available.map((k) => weights[k]),
    rng,
  );
  switch (kind) {
    case 'gate-met': {
      const pairs = c['gate-met'];
      const { work, gate } = weightedPick(
        pairs,
        pairs.map((p) => (p.gate.currentPlannedDate < today ? LATE_PREFERENCE : 1)),
        rng,
      );
      return {
        kind,
        work,
        gate,
        unit: rng.chance(0.25) ? work.leadUnit : gate.ownerUnit,
        transport: played['gate-met'] % 2 === 0 ? 'kafka' : 'http',
        body: { actualDate: gateMetDate(today, rng) },
      };
    }
    case 'gate-forecast': {
      const { work, gate } = rng.pick(c['gate-forecast']);
      return {
        kind,
        work,
        gate,
        transport: 'kafka',
        body: { forecastDate: slipForecast(gate, rng) },
      };
    }
    case 'section-progress': {
      const { work, section } = rng.pick(c['section-progress']);
      return {
        kind,
        work,
        section,
        transport: 'kafka',
        body: { progressPct: nextProgress(section.progressPct, rng) },
      };
    }
  }
}

/** Today or up to two days ago: a gate is often reported a little after it was met. */
export function gateMetDate(today: string, rng: Rng): string {
  return addDays(today, -rng.int(0, 2));
}

/** 0.5 to 4 points more, two decimals, at most 100: progress never falls or repeats. */
export function nextProgress(previous: number, rng: Rng): number {
  const step = 0.5 + rng.int(0, 350) / 100;
  return Math.min(100, Math.round((previous + step) * 100) / 100);
}
