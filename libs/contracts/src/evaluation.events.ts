import { z } from 'zod';
import { define, EventDefinition } from './event-definition';
import { CalendarDate, Instant, MoneyWan, RegionCode, Text, UnitCode, Uuid } from './values';

/**
 * Evaluation (考评): schemes, scores, rankings, period close and honours — the HTTP bodies of
 * the evaluation service and the events it publishes on duban.evaluation.v1. Honour deadlines
 * go out as the shared milestone events with subjectType `honour`.
 *
 * Money is a MoneyWan string wherever an indicator's unit of measure is 万元; every other
 * quantity is a number. Scores and totals are numbers rounded to two decimals.
 */

/** The unit of measure whose values are money strings in 万元. */
export const MONEY_UNIT = '万元';

/** 年度 `2026`, 季度 `2026-Q3` or 月度 `2026-07`. */
export const EvaluationPeriod = z
  .string()
  .regex(
    /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/,
    'must be a year (2026), a quarter (2026-Q3) or a month (2026-07)',
  );

/** Who is ranked: the county's units (departments, townships) or regions (counties of a city). */
export const SubjectKind = z.enum(['unit', 'region']);
export type SubjectKind = z.infer<typeof SubjectKind>;

export const Direction = z.enum(['higher-is-better', 'lower-is-better']);

/** The event measures the service keeps facts for (declared as data in the service). */
export const MEASURE_CODES = [
  'investment-completed',
  'milestones-on-time',
  'expressway-km-opened',
  'enterprises-in-production',
  'alerts-raised',
  'open-major-alerts',
] as const;
export const MeasureCode = z.enum(MEASURE_CODES);
export type MeasureCode = z.infer<typeof MeasureCode>;

/**
 * How an indicator's actual becomes points: linear to target (capped at `capPct` of target),
 * all-or-nothing at the target, or by rank among the peers (`pointsPct[0]` for the first).
 */
export const ScoringRule = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('linear'),
    capPct: z.number().min(100, 'must be at least 100').max(300, 'must be at most 300'),
  }),
  z.strictObject({ kind: z.literal('threshold') }),
  z.strictObject({
    kind: z.literal('rank'),
    pointsPct: z
      .array(z.number().min(0).max(100))
      .min(1)
      .max(100)
      .refine((p) => p.every((v, i) => i === 0 || v <= p[i - 1]), 'must not increase with rank'),
  }),
]);
export type ScoringRule = z.infer<typeof ScoringRule>;

export const IndicatorSource = z.discriminatedUnion('kind', [
  /** Posted over HTTP by its owner unit, e.g. the statistics bureau (STATS). */
  z.strictObject({ kind: z.literal('manual'), ownerUnit: UnitCode }),
  z.strictObject({ kind: z.literal('event'), measure: MeasureCode }),
]);
export type IndicatorSource = z.infer<typeof IndicatorSource>;

const ItemCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, 'must be 1-32 upper-case letters, digits or hyphens');
const Positive = z.number().positive('must be positive').finite();

/** A target or actual: MoneyWan for 万元 indicators, a number otherwise. */
export const IndicatorValue = z.union([
  MoneyWan,
  z.number().min(-1e12, 'must be at least -1e12').max(1e12, 'must be at most 1e12'),
]);
export type IndicatorValue = z.infer<typeof IndicatorValue>;

export const IndicatorDefinition = z.strictObject({
  code: ItemCode,
  name: Text(100),
  unitOfMeasure: Text(20),
  target: IndicatorValue,
  weight: Positive,
  direction: Direction,
  rule: ScoringRule,
  source: IndicatorSource,
});
export type IndicatorDefinition = z.infer<typeof IndicatorDefinition>;

/** 扣分: `pointsEach` per counted item (e.g. an open major alert), at most `capPoints`. */
export const DeductionDefinition = z.strictObject({
  code: ItemCode,
  name: Text(100),
  measure: MeasureCode,
  pointsEach: Positive,
  capPoints: Positive,
});
export type DeductionDefinition = z.infer<typeof DeductionDefinition>;

export const SchemeSubject = z.strictObject({ code: z.string(), name: Text(100) });

const SchemeFields = z.strictObject({
  code: ItemCode,
  name: Text(200),
  /** The region that owns the scheme: the county for unit schemes, the city for region ones. */
  regionCode: RegionCode,
  period: EvaluationPeriod,
  subjectKind: SubjectKind,
  subjects: z.array(SchemeSubject).min(1).max(500),
  indicators: z.array(IndicatorDefinition).min(1).max(50),
  deductions: z.array(DeductionDefinition).max(20).default([]),
});
export const CreateSchemeBody = SchemeFields.superRefine(checkScheme);
export type CreateSchemeBody = z.infer<typeof CreateSchemeBody>;

function checkScheme(s: z.output<typeof SchemeFields>, ctx: z.RefinementCtx): void {
  const codeFormat = s.subjectKind === 'unit' ? UnitCode : RegionCode;
  const seenSubjects = new Set<string>();
  s.subjects.forEach((subject, i) => {
    const bad = codeFormat.safeParse(subject.code);
    if (!bad.success) issue(ctx, ['subjects', i, 'code'], bad.error.issues[0].message);
    else if (seenSubjects.has(subject.code)) issue(ctx, ['subjects', i, 'code'], 'duplicate');
    seenSubjects.add(subject.code);
  });
  const seenItems = new Set<string>();
  [...s.indicators, ...s.deductions].forEach((item, i) => {
    const path =
      i < s.indicators.length ? ['indicators', i] : ['deductions', i - s.indicators.length];
    if (seenItems.has(item.code)) issue(ctx, [...path, 'code'], `duplicate code ${item.code}`);
    seenItems.add(item.code);
  });
  s.indicators.forEach((ind, i) => {
    const money = ind.unitOfMeasure === MONEY_UNIT;
    if (money !== (typeof ind.target === 'string')) {
      issue(ctx, ['indicators', i, 'target'], targetMessage(money));
    }
    // Lower is better too: target / actual with a target ≤ 0 would make any actual above 0
    // either score nothing or, clamped, the cap.
    if (ind.rule.kind === 'linear' && Number(ind.target) <= 0)
      issue(ctx, ['indicators', i, 'target'], 'a linear rule needs a positive target');
  });
}

const targetMessage = (money: boolean) =>
  money
    ? `must be a decimal string in 万元 with two decimals for a ${MONEY_UNIT} indicator`
    : 'must be a number (only 万元 indicators take money strings)';

function issue(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** Values of manual indicators, posted by the indicator's owner unit. */
export const ManualValuesBody = z.strictObject({
  values: z
    .array(
      z.strictObject({
        indicator: ItemCode,
        subject: z.string().min(1).max(32),
        value: IndicatorValue,
      }),
    )
    .min(1)
    .max(500),
});
export type ManualValuesBody = z.infer<typeof ManualValuesBody>;

// Event data

export const IndicatorResult = z.object({
  code: z.string(),
  /** MoneyWan for 万元 indicators; null when nothing is known yet (or nothing was due). */
  actual: IndicatorValue.nullable(),
  completionPct: z.number().nullable(),
  score: z.number(),
});
export type IndicatorResult = z.infer<typeof IndicatorResult>;

export const DeductionResult = z.object({
  code: z.string(),
  count: z.number(),
  points: z.number(),
});
export type DeductionResult = z.infer<typeof DeductionResult>;

export const ScoreChangedData = z.object({
  schemeId: Uuid,
  schemeCode: z.string(),
  period: z.string(),
  subject: z.string(),
  subjectName: z.string(),
  /** Indicator points minus deduction points, two decimals. */
  total: z.number(),
  indicatorPoints: z.number(),
  deductionPoints: z.number(),
  results: z.array(IndicatorResult),
  deductions: z.array(DeductionResult),
});
export type ScoreChangedData = z.infer<typeof ScoreChangedData>;

export const RankingEntry = z.object({
  rank: z.number().int().min(1),
  subject: z.string(),
  name: z.string(),
  total: z.number(),
});
export type RankingEntry = z.infer<typeof RankingEntry>;

export const RankingPublishedData = z.object({
  schemeId: Uuid,
  schemeCode: z.string(),
  period: z.string(),
  subjectKind: SubjectKind,
  ranking: z.array(RankingEntry),
});
export type RankingPublishedData = z.infer<typeof RankingPublishedData>;

export const PeriodClosedData = RankingPublishedData.extend({ closedAt: Instant });
export type PeriodClosedData = z.infer<typeof PeriodClosedData>;

// Honours (荣誉称号)

/** 目标 targeted → 已申报 applied → 入围 shortlisted → 获评 awarded | 未获评 not-awarded. */
export const HONOUR_STATUSES = [
  'targeted',
  'applied',
  'shortlisted',
  'awarded',
  'not-awarded',
] as const;
export const HonourStatus = z.enum(HONOUR_STATUSES);
export type HonourStatus = z.infer<typeof HonourStatus>;

/** 蝉联 keep a title already held, 争创 strive for a new one. */
export const HonourAmbition = z.enum(['retain', 'strive']);
export const HonourLevel = z.enum(['national', 'provincial', 'municipal']);
/** The status whose reaching meets a deadline, e.g. `applied` for the application deadline. */
export const DeadlineStage = z.enum(['applied', 'shortlisted', 'awarded']);

export const CreateHonourBody = z.strictObject({
  name: Text(200),
  ambition: HonourAmbition,
  level: HonourLevel,
  ownerUnit: UnitCode,
  regionCode: RegionCode,
  targetYear: z.number().int().min(2000).max(2100),
  deadlines: z
    .array(z.strictObject({ name: Text(200), plannedDate: CalendarDate, stage: DeadlineStage }))
    .max(20)
    .default([]),
});
export type CreateHonourBody = z.infer<typeof CreateHonourBody>;

export const ChangeHonourStatusBody = z.strictObject({
  status: HonourStatus,
  /** The day it happened (China time); defaults to today. */
  on: CalendarDate.optional(),
  note: z.string().max(1000).optional(),
});
export type ChangeHonourStatusBody = z.infer<typeof ChangeHonourStatusBody>;

export const HonourDeadlineData = z.object({
  milestoneId: Uuid,
  name: z.string(),
  plannedDate: CalendarDate,
  stage: DeadlineStage,
  status: z.enum(['pending', 'met', 'cancelled']),
  actualDate: CalendarDate.nullable(),
});

export const HonourData = z.object({
  honourId: Uuid,
  name: z.string(),
  ambition: HonourAmbition,
  level: HonourLevel,
  ownerUnit: UnitCode,
  regionCode: RegionCode,
  targetYear: z.number().int(),
  status: HonourStatus,
  deadlines: z.array(HonourDeadlineData),
  version: z.number().int(),
});
export type HonourData = z.infer<typeof HonourData>;

export const HonourStatusChangedData = HonourData.extend({
  previousStatus: HonourStatus,
  on: CalendarDate,
  note: z.string().nullable(),
});

export const EvaluationEventTypes = {
  scoreChanged: 'duban.score.changed',
  rankingPublished: 'duban.ranking.published',
  periodClosed: 'duban.period.closed',
  honourTargeted: 'duban.honour.targeted',
  honourStatusChanged: 'duban.honour.status-changed',
} as const;

const E = EvaluationEventTypes;
export const EVALUATION_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  define(E.scoreChanged, ScoreChangedData, "A subject's total or per-indicator results changed"),
  define(E.rankingPublished, RankingPublishedData, "A scheme's ranking (the order) changed"),
  define(E.periodClosed, PeriodClosedData, "A scheme's period was closed: its results froze"),
  define(E.honourTargeted, HonourData, 'An honour or title is pursued (蝉联 / 争创)'),
  define(E.honourStatusChanged, HonourStatusChangedData, "An honour's status moved"),
];
