/**
 * Demo parks (园区) of one county (region 511112), from the county work report
 * (/work/shared/seed/county-work-report.zh.txt): the "2+1" industry parks with the titles the
 * report says they earned, the co-operation parks (武侯智谷, 红原·温州飞地) and the 麦冬—生猪
 * agricultural science park; and the two campaigns the report names, 园区提质 and 企业满园.
 * Plain data, no Nest: `seed.ts` parses it through the HTTP schemas and feeds the services.
 *
 * Illustrative, not from the report: areas, figures, designation dates and issuers, and the
 * enterprises (their USCCs are made up for region 511112, with correct GB 32100-2015 check
 * characters). Dates are mostly RELATIVE to the day the seed runs, so some campaign tasks are
 * always late, some due soon, some met.
 */
import type { Designation } from '@duban/contracts';

export const DEMO_REGION_CODE = '511112';

/** A calendar day: `n` days from today in China (negative = in the past), or a fixed date. */
export type DemoDay = { inDays: number } | { on: string };

export interface DemoEnterprise {
  uscc: string;
  name: string;
  industry: string;
  investmentWan: string;
  employees: number;
  aboveDesignatedSize: boolean;
  signedOn: DemoDay;
  /** Status moves after signing, in order, each on its day. */
  moves: { status: 'under-construction' | 'in-production' | 'exited'; on: DemoDay }[];
}

export interface DemoIndicators {
  /** 1 = last month, 2 = the month before … */
  monthsAgo: number;
  outputValueWan: string;
  industrialValueAddedWan: string;
  taxWan: string;
  fixedInvestmentWan: string;
  employees: number;
}

export interface DemoPark {
  name: string;
  leadIndustry: 'textile-shoes-apparel' | 'health-food' | 'new-energy-batteries' | 'other';
  plannedAreaMu: number;
  developedAreaMu: number;
  managingUnit: string;
  designations: Designation[];
  enterprises: DemoEnterprise[];
  indicators: DemoIndicators[];
}

export interface DemoTask {
  name: string;
  ownerUnit: string;
  due: DemoDay;
  /** The park the task is about, by name. */
  park?: string;
  forecast?: DemoDay;
  rescheduled?: { to: DemoDay; reason: string };
  metOn?: DemoDay;
}

export interface DemoCampaign {
  name: string;
  leadUnit: string;
  description: string;
  tasks: DemoTask[];
}

/** Unit codes used here beyond the projects demo's (see apps/projects/src/seed/demo-projects.ts). */
export const DEMO_PARK_UNITS: Record<string, string> = {
  'PARK-TEXTILE': '纺织鞋服产业园管委会',
  'PARK-FOOD': '健康食品产业园管委会',
  'PARK-BATTERY': '新能源电池产业园管委会',
  'PARK-WH': 'XX·武侯智谷智能制造产业园管委会',
  'PARK-HYWZ': 'XX·红原·温州飞地产业园管委会',
};

const TEXTILE = '纺织鞋服产业园';
const FOOD = '健康食品产业园';
const BATTERY = '新能源电池产业园';

export const DEMO_PARKS: readonly DemoPark[] = [
  {
    name: TEXTILE,
    leadIndustry: 'textile-shoes-apparel',
    plannedAreaMu: 5200,
    developedAreaMu: 3860.5,
    managingUnit: 'PARK-TEXTILE',
    designations: [
      {
        title: '四XX省“5+1”重点特色园区（首批）',
        earnedOn: '2022-12-20',
        issuer: '四XX省经济和信息化厅',
      },
      {
        title: '全市首批特色（专业）园区及培育名单',
        earnedOn: '2024-04-18',
        issuer: 'XX阳市人民政府',
      },
    ],
    enterprises: [
      {
        uscc: '91511112MA6CUT000B',
        name: 'XX足下鞋业有限公司',
        industry: '纺织鞋服',
        investmentWan: '52000.00',
        employees: 1260,
        aboveDesignatedSize: true,
        signedOn: { on: '2023-03-18' },
        moves: [
          { status: 'under-construction', on: { on: '2023-06-01' } },
          { status: 'in-production', on: { on: '2024-05-20' } },
        ],
      },
      {
        uscc: '91511112MA62TX1R38',
        name: 'XX锦程服饰有限公司',
        industry: '纺织鞋服',
        investmentWan: '18500.00',
        employees: 430,
        aboveDesignatedSize: false,
        signedOn: { inDays: -150 },
        moves: [{ status: 'under-construction', on: { inDays: -90 } }],
      },
      {
        uscc: '91511112MA6ABCXY58',
        name: 'XX织梦纺织科技有限公司',
        industry: '纺织鞋服',
        investmentWan: '9600.00',
        employees: 0,
        aboveDesignatedSize: false,
        signedOn: { inDays: -20 },
        moves: [],
      },
    ],
    indicators: [
      {
        monthsAgo: 3,
        outputValueWan: '81200.00',
        industrialValueAddedWan: '19800.00',
        taxWan: '1760.40',
        fixedInvestmentWan: '11300.00',
        employees: 6210,
      },
      {
        monthsAgo: 2,
        outputValueWan: '84350.00',
        industrialValueAddedWan: '20650.00',
        taxWan: '1842.75',
        fixedInvestmentWan: '11850.00',
        employees: 6330,
      },
      {
        monthsAgo: 1,
        outputValueWan: '86500.00',
        industrialValueAddedWan: '21300.00',
        taxWan: '1930.25',
        fixedInvestmentWan: '12000.00',
        employees: 6400,
      },
    ],
  },
  {
    name: FOOD,
    leadIndustry: 'health-food',
    plannedAreaMu: 3600,
    developedAreaMu: 2480,
    managingUnit: 'PARK-FOOD',
    designations: [
      { title: '省级农产品加工示范园区', earnedOn: '2023-01-16', issuer: '四XX省农业农村厅' },
      {
        title: '全市首批特色（专业）园区及培育名单',
        earnedOn: '2024-04-18',
        issuer: 'XX阳市人民政府',
      },
    ],
    enterprises: [
      {
        uscc: '91511112MA6DNE0278',
        name: 'XX乡情豆豉食品有限公司',
        industry: '健康食品',
        investmentWan: '23800.00',
        employees: 520,
        aboveDesignatedSize: true,
        signedOn: { on: '2022-08-08' },
        moves: [
          { status: 'under-construction', on: { on: '2022-08-20' } },
          { status: 'in-production', on: { on: '2022-11-30' } },
        ],
      },
      {
        uscc: '91511112MA6XH00314',
        name: 'XX麦冬生物科技有限公司',
        industry: '健康食品',
        investmentWan: '12000.00',
        employees: 0,
        aboveDesignatedSize: false,
        signedOn: { on: '2023-09-12' },
        moves: [
          { status: 'under-construction', on: { on: '2024-02-01' } },
          { status: 'exited', on: { inDays: -45 } },
        ],
      },
    ],
    indicators: [
      {
        monthsAgo: 2,
        outputValueWan: '46200.00',
        industrialValueAddedWan: '11800.00',
        taxWan: '968.00',
        fixedInvestmentWan: '6400.00',
        employees: 3150,
      },
      {
        monthsAgo: 1,
        outputValueWan: '47950.00',
        industrialValueAddedWan: '12260.00',
        taxWan: '1004.30',
        fixedInvestmentWan: '6850.00',
        employees: 3190,
      },
    ],
  },
  {
    name: BATTERY,
    leadIndustry: 'new-energy-batteries',
    plannedAreaMu: 4000,
    developedAreaMu: 1250,
    managingUnit: 'PARK-BATTERY',
    designations: [],
    enterprises: [
      {
        uscc: '91511112MA6YLD0K4M',
        name: 'XX锂能新材料有限公司',
        industry: '新能源电池',
        investmentWan: '150000.00',
        employees: 380,
        aboveDesignatedSize: true,
        signedOn: { inDays: -400 },
        moves: [
          { status: 'under-construction', on: { inDays: -330 } },
          { status: 'in-production', on: { inDays: -25 } },
        ],
      },
    ],
    indicators: [
      {
        monthsAgo: 1,
        outputValueWan: '8600.00',
        industrialValueAddedWan: '2150.00',
        taxWan: '212.50',
        fixedInvestmentWan: '24000.00',
        employees: 380,
      },
    ],
  },
  {
    name: 'XX·武侯智谷智能制造产业园',
    leadIndustry: 'other',
    plannedAreaMu: 1500,
    developedAreaMu: 620,
    managingUnit: 'PARK-WH',
    designations: [],
    enterprises: [
      {
        uscc: '91511112MA6JK0056Q',
        name: 'XX智造精密电子有限公司',
        industry: '智能制造',
        investmentWan: '32000.00',
        employees: 0,
        aboveDesignatedSize: false,
        signedOn: { inDays: -75 },
        moves: [],
      },
    ],
    indicators: [],
  },
  {
    name: 'XX·红原·温州飞地产业园',
    leadIndustry: 'other',
    plannedAreaMu: 1000,
    developedAreaMu: 300,
    managingUnit: 'PARK-HYWZ',
    designations: [],
    enterprises: [],
    indicators: [],
  },
  {
    name: '麦冬—生猪农业科技示范园区',
    leadIndustry: 'other',
    plannedAreaMu: 12000,
    developedAreaMu: 9800,
    managingUnit: 'AGRI',
    designations: [
      {
        title: '首批省级农业科技示范园区创建园区',
        earnedOn: '2024-06-28',
        issuer: '四XX省科学技术厅',
      },
    ],
    enterprises: [
      {
        uscc: '91511112MA6FD00614',
        name: 'XX生猪种业有限公司',
        industry: '生猪种业',
        investmentWan: '68000.00',
        employees: 410,
        aboveDesignatedSize: true,
        signedOn: { on: '2021-06-01' },
        moves: [
          { status: 'under-construction', on: { on: '2021-09-01' } },
          { status: 'in-production', on: { on: '2023-03-15' } },
        ],
      },
    ],
    indicators: [],
  },
];

export const DEMO_CAMPAIGNS: readonly DemoCampaign[] = [
  {
    name: '园区提质',
    leadUnit: 'ECON',
    description: '七大攻坚行动之一：提升园区承载能力、产出效益和亩均税收',
    tasks: [
      {
        name: '纺织鞋服产业园标准厂房二期竣工验收',
        ownerUnit: 'PARK-TEXTILE',
        due: { inDays: -12 },
        park: TEXTILE,
        forecast: { inDays: 20 },
      },
      {
        name: '健康食品产业园污水处理厂提标改造完成',
        ownerUnit: 'PARK-FOOD',
        due: { inDays: -5 },
        park: FOOD,
      },
      {
        name: '新能源电池产业园220千伏变电站投运',
        ownerUnit: 'PARK-BATTERY',
        due: { inDays: 6 },
        park: BATTERY,
      },
      {
        name: '申报省级经济开发区扩区调位',
        ownerUnit: 'ECON',
        due: { inDays: -30 },
        rescheduled: { to: { inDays: 45 }, reason: '省级审批批次调整' },
      },
      {
        name: '完成园区“亩均论英雄”综合评价',
        ownerUnit: 'ECON',
        due: { inDays: -40 },
        metOn: { inDays: -43 },
      },
    ],
  },
  {
    name: '企业满园',
    leadUnit: 'COMMERCE',
    description: '七大攻坚行动之一：招引项目入园，盘活闲置厂房，推动签约企业早开工早投产',
    tasks: [
      {
        name: '纺织鞋服产业园新增签约入园企业10户',
        ownerUnit: 'PARK-TEXTILE',
        due: { inDays: -3 },
        park: TEXTILE,
        forecast: { inDays: 15 },
      },
      {
        name: '盘活健康食品产业园闲置厂房5万平方米',
        ownerUnit: 'PARK-FOOD',
        due: { inDays: 25 },
        park: FOOD,
      },
      {
        name: '武侯智谷签约企业开工率达到80%',
        ownerUnit: 'PARK-WH',
        due: { inDays: -20 },
        park: 'XX·武侯智谷智能制造产业园',
      },
      {
        name: '举办新能源电池产业链专题招商推介会',
        ownerUnit: 'COMMERCE',
        due: { inDays: -60 },
        metOn: { inDays: -58 },
      },
    ],
  },
];
