/**
 * The department simulator's decisions, as pure functions: which action to play next and the
 * request bodies it sends. Nothing here does I/O or reads the clock; `simulate.ts` does that
 * and passes in today's date (China), the PRNG and what it read from the projects service.
 */
import { addDays, fromCents, toCents } from '@duban/contracts';

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG (mulberry32): the same seed plays the same choices.

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function createRng(seed: number | string): Rng {
  let state = typeof seed === 'number' ? seed >>> 0 : hashSeed(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)];
    },
    chance: (p: number) => next() < p,
  };
}

/** FNV-1a, so `--seed demo` works as well as `--seed 42`. */
function hashSeed(seed: string): number {
  if (/^\d+$/.test(seed)) return Number(seed) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// What the simulator reads from the projects service (only the fields it uses).

export interface SimProject {
  id: string;
  code: string;
  name: string;
  leadUnit: string;
  regionCode: string;
  status: string;
  totalPlannedInvestmentWan: string;
  annualPlannedInvestmentWan: string;
}

export interface SimMilestone {
  id: string;
  projectId: string;
  name: string;
  ownerUnit: string;
  plannedDate: string;
  currentPlannedDate: string;
  forecastDate: string | null;
  actualDate: string | null;
  status: 'pending' | 'met' | 'missed' | 'cancelled';
}

export interface SimReport {
  month: string;
  investmentCompletedWan: string;
  cumulativeInvestmentWan: string;
  physicalProgressPct: number;
}

export interface World {
  projects: { project: SimProject; milestones: SimMilestone[] }[];
}

export type Transport = 'http' | 'kafka';
export const ACTION_KINDS = ['report', 'complete', 'create', 'reschedule', 'forecast'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export type Action =
  | { kind: 'report'; project: SimProject; transport: Transport }
  | {
      kind: 'complete';
      project: SimProject;
      milestone: SimMilestone;
      transport: Transport;
      body: { actualDate: string };
    }
  | {
      kind: 'create';
      project: SimProject;
      transport: 'http';
      body: { name: string; ownerUnit: string; plannedDate: string };
    }
  | {
      kind: 'reschedule';
      project: SimProject;
      milestone: SimMilestone;
      transport: 'http';
      body: { plannedDate: string; reason: string };
    }
  | {
      kind: 'forecast';
      project: SimProject;
      milestone: SimMilestone;
      transport: 'kafka';
      body: { forecastDate: string };
    };

export interface PlanContext {
  today: string;
  rng: Rng;
  /** How many actions of each kind were played so far: drives the HTTP/Kafka alternation. */
  played: Record<ActionKind, number>;
  /**
   * Acted on moments ago (a Kafka update may not have landed yet): milestone ids, and
   * `reportKey(projectId)` for a project whose report was just sent.
   */
  busy?: ReadonlySet<string>;
}

/** A project still being worked on: reports and new milestones make sense for it. */
const ACTIVE_STATUSES = new Set(['reserve', 'pre-work', 'under-construction', 'suspended']);

export const reportKey = (projectId: string): string => `report:${projectId}`;

export const emptyPlayed = (): Record<ActionKind, number> => ({
  report: 0,
  complete: 0,
  create: 0,
  reschedule: 0,
  forecast: 0,
});

interface Candidates {
  report: SimProject[];
  complete: { project: SimProject; milestone: SimMilestone }[];
  create: SimProject[];
  reschedule: { project: SimProject; milestone: SimMilestone }[];
  forecast: { project: SimProject; milestone: SimMilestone }[];
}

/** What each action could be played on today. */
export function candidates(world: World, today: string, busy: ReadonlySet<string> = new Set()) {
  const c: Candidates = { report: [], complete: [], create: [], reschedule: [], forecast: [] };
  const soon = addDays(today, 7);
  for (const { project, milestones } of world.projects) {
    if (ACTIVE_STATUSES.has(project.status)) {
      if (!busy.has(reportKey(project.id))) c.report.push(project);
      c.create.push(project);
    }
    for (const milestone of milestones) {
      if (milestone.status !== 'pending' || busy.has(milestone.id)) continue;
      const due = milestone.currentPlannedDate;
      const pair = { project, milestone };
      // Overdue or due within a week: the owner reports it done.
      if (due <= soon) c.complete.push(pair);
      // Late: the lead unit formally moves it.
      if (due < today) c.reschedule.push(pair);
      // Not yet late and not already slipping: the owner warns it will be.
      if (due >= today && (milestone.forecastDate === null || milestone.forecastDate <= due)) {
        c.forecast.push(pair);
      }
    }
  }
  return c;
}

/**
 * How far to lean towards resolving (> 1) or raising (< 1) alerts, from the share of pending
 * items already in trouble (late, or forecast past their plan): the picture keeps moving
 * without filling up or draining. Every domain's dated items (milestones, campaign tasks,
 * gates) share the milestone columns, so one rule serves them all.
 */
export function troubleLean(
  items: Iterable<Pick<SimMilestone, 'status' | 'currentPlannedDate' | 'forecastDate'>>,
  today: string,
): number {
  let pending = 0;
  let troubled = 0;
  for (const m of items) {
    if (m.status !== 'pending') continue;
    pending++;
    const slipping = m.forecastDate !== null && m.forecastDate > m.currentPlannedDate;
    if (m.currentPlannedDate < today || slipping) troubled++;
  }
  const share = pending === 0 ? 0 : troubled / pending;
  return share > 0.35 ? 1.6 : share < 0.15 ? 0.6 : 1;
}

/**
 * Weights of each kind. Completing and rescheduling resolve alerts; new milestones dated in
 * the past and forecast slips raise them; `troubleLean` tilts between the two.
 */
export function actionWeights(world: World, today: string): Record<ActionKind, number> {
  const lean = troubleLean(
    world.projects.flatMap((p) => p.milestones),
    today,
  );
  return {
    report: 25,
    complete: 25 * lean,
    reschedule: 12 * lean,
    create: 18 / lean,
    forecast: 20 / lean,
  };
}

/** Chooses the next action, or null when nothing at all can be played. */
export function chooseAction(world: World, ctx: PlanContext): Action | null {
  const { today, rng, played } = ctx;
  const c = candidates(world, today, ctx.busy);
  const weights = actionWeights(world, today);
  const available = ACTION_KINDS.filter((k) => c[k].length > 0 && weights[k] > 0);
  if (available.length === 0) return null;
  const kind = weightedPick(
    available,
    available.map((k) => weights[k]),
    rng,
  );
  const alternate = (n: number): Transport => (n % 2 === 0 ? 'http' : 'kafka');
  switch (kind) {
    case 'report':
      return { kind, project: rng.pick(c.report), transport: alternate(played.report) };
    case 'complete': {
      const { project, milestone } = rng.pick(c.complete);
      // Completing a milestone due later this week happens today; one due today or late too.
      return {
        kind,
        project,
        milestone,
        transport: alternate(played.complete + 1),
        body: { actualDate: today },
      };
    }
    case 'create': {
      const project = rng.pick(c.create);
      return { kind, project, transport: 'http', body: newMilestoneBody(world, project, ctx) };
    }
    case 'reschedule': {
      const { project, milestone } = rng.pick(c.reschedule);
      return {
        kind,
        project,
        milestone,
        transport: 'http',
        body: {
          plannedDate: addDays(today, rng.int(10, 60)),
          reason: rng.pick(RESCHEDULE_REASONS),
        },
      };
    }
    case 'forecast': {
      const { project, milestone } = rng.pick(c.forecast);
      return {
        kind,
        project,
        milestone,
        transport: 'kafka',
        body: { forecastDate: slipForecast(milestone, rng) },
      };
    }
  }
}

export function weightedPick<T>(items: readonly T[], weights: readonly number[], rng: Rng): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i];
    if (r < 0) return items[i];
  }
  return items[items.length - 1];
}

/** A forecast 3 to 40 days after the current planned date: a forecast slip. */
export function slipForecast(m: Pick<SimMilestone, 'currentPlannedDate'>, rng: Rng): string {
  return addDays(m.currentPlannedDate, rng.int(3, 40));
}

const MILESTONE_NAMES = [
  '完成施工图审查',
  '完成环评批复',
  '取得施工许可证',
  '完成用地报批',
  '主体结构封顶',
  '完成设备招标采购',
  '完成水电气接入',
  '完成竣工验收备案',
  '完成安全生产条件审查',
  '完成节能审查',
  '完成年度投资计划过半',
  '完成征地拆迁清零',
];

const RESCHEDULE_REASONS = [
  '用地报批延后，经县政府专题会议同意调整',
  '受连续降雨影响，施工工期顺延',
  '设备供货延迟，经督查室同意调整节点',
  '设计方案调整，需重新审查',
  '征地拆迁协调未完成，报县领导同意后调整',
];

/**
 * A new milestone dated 1 to 5 days ago (the scheduler raises an overdue alert at once) or
 * 1 to 5 days ahead (a due-soon warning now, an alert within the week), owned by the lead unit
 * or by a unit already working on the project.
 */
export function newMilestoneBody(
  world: World,
  project: SimProject,
  ctx: Pick<PlanContext, 'today' | 'rng'>,
): { name: string; ownerUnit: string; plannedDate: string } {
  const { rng, today } = ctx;
  const units = new Set([project.leadUnit]);
  for (const entry of world.projects) {
    if (entry.project.id === project.id) entry.milestones.forEach((m) => units.add(m.ownerUnit));
  }
  const offset = rng.int(1, 5) * (rng.chance(0.5) ? -1 : 1);
  const serial = String(rng.int(1, 99)).padStart(2, '0');
  return {
    name: `${rng.pick(MILESTONE_NAMES)}（督办节点${serial}）`,
    ownerUnit: rng.pick([...units].sort()),
    plannedDate: addDays(today, offset),
  };
}

// ---------------------------------------------------------------------------------------------
// Monthly progress reports

export interface ProgressReportBody {
  month: string;
  investmentCompletedWan: string;
  cumulativeInvestmentWan: string;
  physicalProgressPct: number;
  narrative: string;
  problems: { description: string }[];
  coordinationRequests: { description: string }[];
  correction: boolean;
}

export type ReportPlan =
  { outcome: 'submit'; body: ProgressReportBody } | { outcome: 'skip'; why: string };

const PROBLEMS = ['部分设备到货延迟', '施工用电负荷不足', '雨季影响土方施工', '融资到位慢于计划'];
const COORDINATION = [
  '请协调电力增容',
  '请协调办理施工许可',
  '请协调用地指标',
  '请协调银行贷款投放',
];
const NARRATIVES = ['按计划推进', '主体工程加快施工', '设备安装调试中', '配套工程同步推进'];

/**
 * This month's report for a project, given the reports it already has (any order). The
 * cumulative investment is the latest earlier month's plus a random monthly amount, so it never
 * falls. If this month is already reported, the plan is to skip, or now and then to file a
 * correction that adds a late-counted amount (still never below what was reported).
 */
export function buildProgressReport(
  project: Pick<SimProject, 'annualPlannedInvestmentWan' | 'totalPlannedInvestmentWan'>,
  reports: readonly SimReport[],
  month: string,
  rng: Rng,
  correctionChance = 0.3,
): ReportPlan {
  const existing = reports.find((r) => r.month === month);
  const earlier = reports
    .filter((r) => r.month < month)
    .sort((a, b) => (a.month < b.month ? 1 : -1))[0];
  const monthly = monthlyAmountCents(project, rng);

  if (existing) {
    if (!rng.chance(correctionChance)) {
      return { outcome: 'skip', why: `${month} already reported` };
    }
    const extra = monthly / 5n + 1n;
    return {
      outcome: 'submit',
      body: {
        month,
        investmentCompletedWan: fromCents(toCents(existing.investmentCompletedWan) + extra),
        cumulativeInvestmentWan: fromCents(toCents(existing.cumulativeInvestmentWan) + extra),
        physicalProgressPct: nextPct(existing.physicalProgressPct, rng, 0, 2),
        narrative: `更正：补报本月完成投资 ${fromCents(extra)} 万元`,
        problems: [],
        coordinationRequests: [],
        correction: true,
      },
    };
  }

  const previous = earlier ? toCents(earlier.cumulativeInvestmentWan) : 0n;
  const problems = rng.chance(0.3) ? [{ description: rng.pick(PROBLEMS) }] : [];
  const coordination = rng.chance(0.25) ? [{ description: rng.pick(COORDINATION) }] : [];
  return {
    outcome: 'submit',
    body: {
      month,
      investmentCompletedWan: fromCents(monthly),
      cumulativeInvestmentWan: fromCents(previous + monthly),
      physicalProgressPct: nextPct(earlier?.physicalProgressPct ?? 0, rng, 1, 8),
      narrative: rng.pick(NARRATIVES),
      problems,
      coordinationRequests: coordination,
      correction: false,
    },
  };
}

/** Around a twelfth of the annual plan (40%–130%), in fen; at least 10 万元. */
function monthlyAmountCents(
  project: Pick<SimProject, 'annualPlannedInvestmentWan' | 'totalPlannedInvestmentWan'>,
  rng: Rng,
): bigint {
  let annual = toCents(project.annualPlannedInvestmentWan);
  if (annual <= 0n) annual = toCents(project.totalPlannedInvestmentWan) / 3n;
  const twelfth = annual / 12n;
  const scaled = (twelfth * BigInt(rng.int(40, 130))) / 100n;
  return scaled > 1000n ? scaled : 1000n + BigInt(rng.int(0, 5000));
}

function nextPct(previous: number, rng: Rng, minStep: number, maxStep: number): number {
  const step = minStep + rng.int(0, (maxStep - minStep) * 100) / 100;
  return Math.min(100, Math.round((previous + step) * 100) / 100);
}

export const monthOf = (date: string): string => date.slice(0, 7);
