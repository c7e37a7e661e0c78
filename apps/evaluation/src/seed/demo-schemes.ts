/**
 * Demo evaluation data from the county work report (/work/shared/seed/county-work-report.zh.txt):
 * the county's 2026 scheme for its units, the city's 2026 scheme ranking its counties, the
 * statistics bureau's figures, and the honours the report pursues. Plain data, no Nest.
 *
 * Money is in 万元: the report's 1500 亿元 is "15000000.00", 1202.09 亿元 "12020900.00".
 */
import {
  CreateHonourBody,
  CreateSchemeBody,
  ManualValuesBody,
  ScoringRule,
} from '@duban/contracts';

export const DEMO_COUNTY = '511112';
export const DEMO_CITY = '511100';
/** The statistics bureau: owner of every manual indicator below. */
export const STATS = 'STATS';

/** The units of the projects demo data (apps/projects/src/seed/demo-projects.ts). */
const UNITS: Record<string, string> = {
  AGRI: '农业农村局',
  WATER: '水务局',
  ECON: '经信局',
  COMMERCE: '商务局',
  DRC: '发改局',
  ENV: '生态环境局',
  HOUSING: '住建局',
  NATRES: '自然资源局',
  FINANCE: '财政局',
  MARKET: '市场监管局',
  'TOWN-QINGFU': '青富镇',
  'TOWN-TAIHE': '太和镇',
  'TOWN-SHINIU': '石牛镇',
};

const manual = { kind: 'manual', ownerUnit: STATS } as const;

export const COUNTY_SCHEME: CreateSchemeBody = {
  code: 'COUNTY-UNITS-2026',
  name: '2026年度县级部门和乡镇目标绩效考评',
  regionCode: DEMO_COUNTY,
  period: '2026',
  subjectKind: 'unit',
  subjects: Object.entries(UNITS).map(([code, name]) => ({ code, name })),
  indicators: [
    {
      code: 'GDP',
      name: '地区生产总值（全年迈上1500亿元台阶）',
      unitOfMeasure: '万元',
      target: '15000000.00',
      weight: 20,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 110 },
      source: manual,
    },
    {
      code: 'BUDGET-REVENUE-EXEC',
      name: '一般公共预算收入执行进度',
      unitOfMeasure: '%',
      target: 100,
      weight: 15,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 110 },
      source: manual,
    },
    {
      code: 'INDUSTRIAL-VA-GROWTH',
      name: '规上工业增加值增速',
      unitOfMeasure: '%',
      target: 10,
      weight: 10,
      direction: 'higher-is-better',
      rule: { kind: 'threshold' },
      source: manual,
    },
    {
      code: 'TECH-RENOVATION-GROWTH',
      name: '技改投资增速',
      unitOfMeasure: '%',
      target: 30,
      weight: 10,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 150 },
      source: manual,
    },
    {
      code: 'INVESTMENT',
      name: '重点项目完成投资',
      unitOfMeasure: '万元',
      target: '30000.00',
      weight: 25,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 120 },
      source: { kind: 'event', measure: 'investment-completed' },
    },
    {
      code: 'MILESTONES-ON-TIME',
      name: '节点按期完成率',
      unitOfMeasure: '%',
      target: 90,
      weight: 20,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 100 },
      source: { kind: 'event', measure: 'milestones-on-time' },
    },
  ],
  deductions: [
    {
      code: 'MAJOR-ALERTS',
      name: '未办结重大督办提醒扣分',
      measure: 'open-major-alerts',
      pointsEach: 2,
      capPoints: 10,
    },
  ],
};

/** The report's mid-year figures, each posted for the unit answerable for it. */
export const COUNTY_VALUES: ManualValuesBody = {
  values: [
    { indicator: 'GDP', subject: 'DRC', value: '12020900.00' },
    { indicator: 'BUDGET-REVENUE-EXEC', subject: 'FINANCE', value: 58.6 },
    { indicator: 'INDUSTRIAL-VA-GROWTH', subject: 'ECON', value: 10.9 },
    { indicator: 'TECH-RENOVATION-GROWTH', subject: 'ECON', value: 50.4 },
  ],
};

/** The counties and districts of the city (GB/T 2260 5111xx); 511112 is the report's county. */
const COUNTIES: Record<string, string> = {
  '511112': '本县',
  '511102': '市中区',
  '511111': '沙湾区',
  '511113': '金口河区',
  '511123': '犍为县',
  '511124': '井研县',
  '511126': '夹江县',
};

const rank: ScoringRule = { kind: 'rank', pointsPct: [100, 90, 80, 70, 60, 50, 40] };

export const CITY_SCHEME: CreateSchemeBody = {
  code: 'CITY-COUNTIES-2026',
  name: '2026年度全市县域经济发展考评',
  regionCode: DEMO_CITY,
  period: '2026',
  subjectKind: 'region',
  subjects: Object.entries(COUNTIES).map(([code, name]) => ({ code, name })),
  indicators: [
    {
      code: 'GDP-GROWTH',
      name: '地区生产总值增速',
      unitOfMeasure: '%',
      target: 6,
      weight: 30,
      direction: 'higher-is-better',
      rule: rank,
      source: manual,
    },
    {
      code: 'BUDGET-REVENUE',
      name: '一般公共预算收入',
      unitOfMeasure: '万元',
      target: '150000.00',
      weight: 25,
      direction: 'higher-is-better',
      rule: rank,
      source: manual,
    },
    {
      code: 'INDUSTRIAL-VA-GROWTH',
      name: '规上工业增加值增速',
      unitOfMeasure: '%',
      target: 9,
      weight: 20,
      direction: 'higher-is-better',
      rule: rank,
      source: manual,
    },
    {
      code: 'TECH-RENOVATION-GROWTH',
      name: '技改投资增速',
      unitOfMeasure: '%',
      target: 20,
      weight: 15,
      direction: 'higher-is-better',
      rule: rank,
      source: manual,
    },
    {
      code: 'EXPRESSWAY-KM',
      name: '新增高速公路通车里程',
      unitOfMeasure: 'km',
      target: 10,
      weight: 10,
      direction: 'higher-is-better',
      rule: { kind: 'linear', capPct: 120 },
      source: { kind: 'event', measure: 'expressway-km-opened' },
    },
  ],
  deductions: [],
};

/**
 * 511112's own figures are the report's: GDP growth 4.1 %, budget revenue 19.08 亿元 (first in
 * the city), industrial value-added growth 10.9 % and technical-renovation investment growth
 * 50.4 % (both second). The other counties' figures are made up to fit those ranks.
 */
const CITY_FIGURES: [string, number, string, number, number][] = [
  ['511112', 4.1, '190800.00', 10.9, 50.4],
  ['511102', 5.2, '176500.00', 11.6, 38.2],
  ['511111', 3.8, '98600.00', 9.4, 62.7],
  ['511113', 2.9, '31200.00', 7.1, 12.5],
  ['511123', 4.6, '121300.00', 10.2, 27.9],
  ['511124', 3.5, '64800.00', 8.8, 18.6],
  ['511126', 4.0, '88100.00', 9.9, 33.1],
];

export const CITY_VALUES: ManualValuesBody = {
  values: CITY_FIGURES.flatMap(([subject, gdp, revenue, va, tech]) => [
    { indicator: 'GDP-GROWTH', subject, value: gdp },
    { indicator: 'BUDGET-REVENUE', subject, value: revenue },
    { indicator: 'INDUSTRIAL-VA-GROWTH', subject, value: va },
    { indicator: 'TECH-RENOVATION-GROWTH', subject, value: tech },
  ]),
};

export interface DemoHonour {
  body: Omit<CreateHonourBody, 'deadlines'> & {
    deadlines: { name: string; inDays: number; stage: 'applied' | 'shortlisted' | 'awarded' }[];
  };
  /** Statuses to walk through after creating it, each dated today. */
  statusPath: ('applied' | 'shortlisted')[];
}

const honour = (
  name: string,
  ambition: 'retain' | 'strive',
  level: 'national' | 'provincial',
  ownerUnit: string,
  deadlines: DemoHonour['body']['deadlines'],
  statusPath: DemoHonour['statusPath'] = [],
): DemoHonour => ({
  body: { name, ambition, level, ownerUnit, regionCode: DEMO_COUNTY, targetYear: 2026, deadlines },
  statusPath,
});

/** The report's 2026 goals: 蝉联 / 争创 / 斩获 / 荣获, with deadlines relative to the seed day. */
export const DEMO_HONOURS: DemoHonour[] = [
  honour('国家农业现代化示范区', 'strive', 'national', 'AGRI', [
    { name: '提交创建申报材料', inDays: 10, stage: 'applied' },
    { name: '通过省级审核推荐', inDays: 60, stage: 'shortlisted' },
  ]),
  honour(
    '全省县域经济发展先进县',
    'retain',
    'provincial',
    'DRC',
    [
      { name: '报送年度考核材料', inDays: -5, stage: 'applied' },
      { name: '省级考核评审结果公布', inDays: 40, stage: 'awarded' },
    ],
    ['applied'],
  ),
  honour('全省乡村振兴先进县', 'strive', 'provincial', 'AGRI', [
    { name: '提交先进县申报材料', inDays: 3, stage: 'applied' },
  ]),
  honour('全省农村综合性改革试点县', 'strive', 'provincial', 'AGRI', [
    { name: '提交试点实施方案', inDays: 25, stage: 'applied' },
  ]),
];
