/**
 * Demo transport works (交通建设攻坚大会战) for one county (region 511112), taken from the
 * county work report (/work/shared/seed/county-work-report.zh.txt): "高速公路通车里程达141公里、
 * 全市第一，目前正积极谋划推进XX阳机场南迁、XX通用机场、XX遂内铁路、成巴铁路、茂犍高速前期工作".
 * The five named works are in pre-work (前期工作) with their gates; a trunk road in construction
 * with one section open shows the mileage side. Plain data, no Nest: `demo-plan.ts` turns it into
 * validated request bodies for a given day, and `seed.ts` feeds those to the services.
 *
 * Gate dates are RELATIVE to the day the seed runs (China Standard Time), so the demo always
 * shows the same picture: gates late by 5, 20 and 45 days, one due within the week, some met,
 * one formally rescheduled and one whose forecast slips past its planned date.
 */
import type { TransportGate, TransportKind } from '@duban/contracts';
import type { DemoDay } from '@duban/platform';

export type { DemoDay };
export const DEMO_REGION_CODE = '511112';

/** The report's "141 km of expressway already open", which predates the system. */
export const DEMO_BASELINES: readonly { kind: TransportKind; baselineKm: number }[] = [
  { kind: 'expressway', baselineKm: 141 },
];

export interface DemoGate {
  gate: TransportGate;
  /** Defaults to the work's lead unit. */
  ownerUnit?: string;
  /** The baseline planned date. */
  due: DemoDay;
  rescheduled?: { to: DemoDay; reason: string };
  forecast?: DemoDay;
  metOn?: DemoDay;
}

export interface DemoSection {
  name: string;
  lengthKm: number;
  progressPct?: number;
  openedOn?: DemoDay;
}

export interface DemoWork {
  kind: TransportKind;
  name: string;
  leadUnit: string;
  plannedInvestmentWan: string;
  /** Where the work stands; the seed walks planning → … → this phase. */
  phase: 'pre-work' | 'construction';
  gates: DemoGate[];
  sections?: DemoSection[];
}

/** Unit codes (单位) used by the demo, with their names, for readers of the data. */
export const DEMO_UNITS: Record<string, string> = {
  TRANSPORT: '交通运输局',
  DRC: '发改局',
  NATRES: '自然资源局',
  ENV: '生态环境局',
};

export const DEMO_WORKS: readonly DemoWork[] = [
  {
    kind: 'airport',
    name: 'XX阳机场南迁',
    leadUnit: 'DRC',
    plannedInvestmentWan: '680000.00',
    phase: 'pre-work',
    gates: [
      { gate: 'pre-feasibility', due: { inDays: -210 }, metOn: { inDays: -215 } },
      // Slipping: the forecast is two months past the plan, and the plan itself has passed.
      { gate: 'feasibility-study', due: { inDays: -20 }, forecast: { inDays: 40 } },
      { gate: 'approval', due: { inDays: 120 } },
      { gate: 'preliminary-design', due: { inDays: 220 } },
      { gate: 'land-and-environment', ownerUnit: 'NATRES', due: { inDays: 300 } },
    ],
  },
  {
    kind: 'general-aviation-airport',
    name: 'XX通用机场',
    leadUnit: 'TRANSPORT',
    plannedInvestmentWan: '48000.00',
    phase: 'pre-work',
    gates: [
      { gate: 'pre-feasibility', due: { inDays: -300 }, metOn: { inDays: -290 } },
      { gate: 'feasibility-study', due: { inDays: -120 }, metOn: { inDays: -121 } },
      { gate: 'approval', due: { inDays: -5 } },
      { gate: 'preliminary-design', due: { inDays: 90 } },
      { gate: 'land-and-environment', ownerUnit: 'ENV', due: { inDays: 150 } },
    ],
  },
  {
    kind: 'railway',
    name: 'XX遂内铁路',
    leadUnit: 'DRC',
    plannedInvestmentWan: '1850000.00',
    phase: 'pre-work',
    gates: [
      { gate: 'pre-feasibility', due: { inDays: -45 } },
      { gate: 'feasibility-study', due: { inDays: 180 } },
      { gate: 'approval', due: { inDays: 300 } },
      { gate: 'preliminary-design', due: { inDays: 420 } },
      { gate: 'land-and-environment', ownerUnit: 'NATRES', due: { inDays: 480 } },
    ],
  },
  {
    kind: 'railway',
    name: '成巴铁路',
    leadUnit: 'DRC',
    plannedInvestmentWan: '2600000.00',
    phase: 'pre-work',
    gates: [
      { gate: 'pre-feasibility', due: { inDays: -400 }, metOn: { inDays: -410 } },
      {
        gate: 'feasibility-study',
        due: { inDays: -10 },
        rescheduled: { to: { inDays: 50 }, reason: '线路走向比选方案调整，工可报告重新评审' },
      },
      { gate: 'approval', due: { inDays: 160 } },
      { gate: 'preliminary-design', due: { inDays: 260 } },
      { gate: 'land-and-environment', ownerUnit: 'NATRES', due: { inDays: 320 } },
    ],
  },
  {
    kind: 'expressway',
    name: '茂犍高速',
    leadUnit: 'TRANSPORT',
    plannedInvestmentWan: '1320000.00',
    phase: 'pre-work',
    gates: [
      { gate: 'pre-feasibility', due: { inDays: -250 }, metOn: { inDays: -260 } },
      { gate: 'feasibility-study', due: { inDays: -60 }, metOn: { inDays: -58 } },
      { gate: 'approval', due: { inDays: 3 } },
      { gate: 'preliminary-design', due: { inDays: 100 } },
      { gate: 'land-and-environment', ownerUnit: 'NATRES', due: { inDays: 140 } },
    ],
  },
  {
    kind: 'trunk-road',
    name: 'S207线XX过境段改建工程',
    leadUnit: 'TRANSPORT',
    plannedInvestmentWan: '96000.00',
    phase: 'construction',
    gates: [
      { gate: 'pre-feasibility', due: { inDays: -700 }, metOn: { inDays: -705 } },
      { gate: 'feasibility-study', due: { inDays: -600 }, metOn: { inDays: -590 } },
      { gate: 'approval', due: { inDays: -520 }, metOn: { inDays: -525 } },
      { gate: 'preliminary-design', due: { inDays: -450 }, metOn: { inDays: -440 } },
      {
        gate: 'land-and-environment',
        ownerUnit: 'NATRES',
        due: { inDays: -380 },
        metOn: { inDays: -376 },
      },
    ],
    sections: [
      { name: 'K0+000—K8+350 标段', lengthKm: 8.35, openedOn: { inDays: -30 } },
      { name: 'K8+350—K15+600 标段', lengthKm: 7.25, progressPct: 65 },
    ],
  },
];
