import type { DemoDay } from '@duban/platform';
/**
 * Demo key projects (重点项目) for one county (region 511112), taken from the county work
 * report (/work/shared/seed/county-work-report.zh.txt) plus a few projects of the report's
 * "2+1" industries (纺织鞋服, 健康食品, 新能源电池). Plain data, no Nest: `demo-plan.ts` turns
 * it into validated request bodies for a given day, and `seed.ts` feeds those to the services.
 *
 * Milestone dates are mostly RELATIVE to the day the seed runs (China Standard Time), so the
 * demo always shows the same picture: some milestones late by 1, 3, 5, 12, 20 and 45 days, some
 * due within the next week, some far ahead, some met, one formally rescheduled and one whose
 * forecast slips past its planned date.
 */

export const DEMO_REGION_CODE = '511112';

export interface DemoMilestone {
  name: string;
  ownerUnit: string;
  /** The baseline planned date. */
  due: DemoDay;
  /** Formally moved (with a reason) to another date; stays pending. */
  rescheduled?: { to: DemoDay; reason: string };
  /** The owner unit's forecast, when it differs from the plan. */
  forecast?: DemoDay;
  /** Met on this day (must not be after today). */
  metOn?: DemoDay;
}

export interface DemoReport {
  /** 1 = last month, 2 = the month before, ... (never the future). */
  monthsAgo: number;
  /** 本月完成投资, 万元. Cumulative investment is derived from these, so it never falls. */
  investmentCompletedWan: string;
  physicalProgressPct: number;
  narrative: string;
  /** 存在问题 */
  problems?: string[];
  /** 需协调事项 */
  coordinationRequests?: string[];
}

export interface DemoProject {
  code: string;
  name: string;
  category: string;
  level: 'national' | 'provincial' | 'municipal' | 'county';
  /** 牵头单位 */
  leadUnit: string;
  /** 包抓领导 */
  responsibleLeader: string;
  township: string;
  totalPlannedInvestmentWan: string;
  annualPlannedInvestmentWan: string;
  plannedStartDate: string;
  plannedEndDate: string;
  tags: string[];
  /** Where the lifecycle stands; the seed walks reserve → pre-work → under-construction. */
  status: 'reserve' | 'pre-work' | 'under-construction';
  milestones: DemoMilestone[];
  progress?: {
    /** 累计完成投资 before the oldest report below. */
    investedBeforeWan: string;
    /** Oldest first. */
    reports: DemoReport[];
  };
}

/** Unit codes (单位) used by the demo, with their names, for readers of the data. */
export const DEMO_UNITS: Record<string, string> = {
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

export const DEMO_PROJECTS: readonly DemoProject[] = [
  {
    code: 'DEMO-PIG-BREEDING-PARK',
    name: '生猪种业国家现代农业产业园',
    category: '现代农业',
    level: 'national',
    leadUnit: 'AGRI',
    responsibleLeader: '王副县长',
    township: '青富镇',
    totalPlannedInvestmentWan: '150000.00',
    annualPlannedInvestmentWan: '32000.00',
    plannedStartDate: '2021-06-01',
    plannedEndDate: '2026-12-31',
    tags: ['3+2', '生猪', '国家现代农业产业园', '种业'],
    status: 'under-construction',
    milestones: [
      {
        name: '通过国家现代农业产业园中期评估',
        ownerUnit: 'AGRI',
        due: { inDays: -120 },
        metOn: { inDays: -124 },
      },
      {
        name: '国家畜禽（生猪）种业创新中心核心育种场二期投用',
        ownerUnit: 'TOWN-QINGFU',
        due: { inDays: -5 },
      },
      // "预计年内完成创建任务"
      { name: '完成国家现代农业产业园创建', ownerUnit: 'AGRI', due: { on: '2026-12-31' } },
    ],
    progress: {
      investedBeforeWan: '118600.00',
      reports: [
        {
          monthsAgo: 3,
          investmentCompletedWan: '2650.00',
          physicalProgressPct: 82,
          narrative:
            '中期评估整改事项推进中，核心育种场二期设备安装完成70%，种猪性能测定站完成主体建设。',
        },
        {
          monthsAgo: 2,
          investmentCompletedWan: '2980.50',
          physicalProgressPct: 86,
          narrative: '核心育种场二期完成环保设施安装，产业园数字化管理平台上线试运行。',
          problems: ['核心育种场二期环评验收资料尚未齐备'],
        },
        {
          monthsAgo: 1,
          investmentCompletedWan: '3120.00',
          physicalProgressPct: 90,
          narrative: '加快推进创建验收材料准备，完成产业园建设绩效自评报告初稿。',
          problems: ['育种场二期引种进度滞后，投用时间较计划推迟'],
          coordinationRequests: ['请协调生态环境局加快育种场二期环评验收'],
        },
      ],
    },
  },
  {
    code: 'DEMO-RURAL-SEWAGE-1000',
    name: '2023年农村生活污水治理千村示范工程',
    category: '生态环保',
    level: 'provincial',
    leadUnit: 'ENV',
    responsibleLeader: '李副县长',
    township: '全县',
    totalPlannedInvestmentWan: '86000.00',
    annualPlannedInvestmentWan: '24000.00',
    plannedStartDate: '2023-03-01',
    plannedEndDate: '2026-12-31',
    tags: ['乡村振兴', '省级生态县创建', '农村生活污水治理'],
    status: 'under-construction',
    milestones: [
      {
        name: '完成第一批400个村治理设施建设',
        ownerUnit: 'ENV',
        due: { inDays: -90 },
        metOn: { inDays: -85 },
      },
      { name: '完成第二批350个村污水管网铺设', ownerUnit: 'WATER', due: { inDays: -20 } },
      { name: '第三批250个村治理设施通水试运行', ownerUnit: 'TOWN-TAIHE', due: { inDays: 2 } },
      { name: '千村示范工程整体竣工验收', ownerUnit: 'ENV', due: { inDays: 45 } },
    ],
    progress: {
      investedBeforeWan: '61250.00',
      reports: [
        {
          monthsAgo: 3,
          investmentCompletedWan: '3400.00',
          physicalProgressPct: 71,
          narrative: '第二批村管网铺设累计完成210个村，第三批村设施设备完成招标。',
          problems: ['汛期降雨频繁，部分村组管网开挖受影响'],
        },
        {
          monthsAgo: 2,
          investmentCompletedWan: '3850.00',
          physicalProgressPct: 76,
          narrative: '第二批村管网铺设累计完成268个村，第三批村一体化处理设备陆续进场。',
        },
        {
          monthsAgo: 1,
          investmentCompletedWan: '4100.00',
          physicalProgressPct: 81,
          narrative: '第二批村管网铺设累计完成305个村，剩余45个村因占地协调未完成。',
          problems: ['第二批剩余45个村管网线路涉及农户承包地，群众工作难度大'],
          coordinationRequests: [
            '请协调相关乡镇做好管网占地群众工作',
            '请协调财政局拨付第二批工程进度款',
          ],
        },
      ],
    },
  },
  {
    code: 'DEMO-WUHOU-ZHIGU-PARK',
    name: 'XX·武侯智谷智能制造产业园',
    category: '区域合作园区',
    level: 'provincial',
    leadUnit: 'ECON',
    responsibleLeader: '张副县长',
    township: '青富镇',
    totalPlannedInvestmentWan: '120000.00',
    annualPlannedInvestmentWan: '30000.00',
    plannedStartDate: '2024-04-01',
    plannedEndDate: '2027-06-30',
    tags: ['成渝地区双城经济圈', '区域合作', '智能制造'],
    status: 'under-construction',
    milestones: [
      {
        name: '首批入园企业签约（不少于5家）',
        ownerUnit: 'ECON',
        due: { inDays: -60 },
        metOn: { inDays: -58 },
      },
      { name: '标准化厂房一期主体封顶', ownerUnit: 'HOUSING', due: { inDays: -45 } },
      { name: '园区道路及配套管网完工', ownerUnit: 'HOUSING', due: { inDays: 4 } },
    ],
    progress: {
      investedBeforeWan: '41200.00',
      reports: [
        {
          monthsAgo: 2,
          investmentCompletedWan: '2800.00',
          physicalProgressPct: 52,
          narrative: '标准化厂房一期完成基础施工，主体结构施工至第三层；园区道路完成路基。',
          problems: ['钢材价格上涨，施工单位资金压力较大'],
        },
        {
          monthsAgo: 1,
          investmentCompletedWan: '3150.00',
          physicalProgressPct: 58,
          narrative: '厂房一期主体封顶推迟，道路管网完成85%；与武侯区对接第二批企业入园。',
          problems: ['施工用电容量不足，塔吊与焊接作业无法同时开展'],
          coordinationRequests: ['请协调电力增容', '请协调住建局加快厂房施工图审查'],
        },
      ],
    },
  },
  {
    code: 'DEMO-HONGYUAN-WENZHOU-PARK',
    name: 'XX·红原·温州飞地产业园',
    category: '区域合作园区',
    level: 'provincial',
    leadUnit: 'ECON',
    responsibleLeader: '张副县长',
    township: '太和镇',
    totalPlannedInvestmentWan: '65000.00',
    annualPlannedInvestmentWan: '15000.00',
    plannedStartDate: '2024-09-01',
    plannedEndDate: '2027-12-31',
    tags: ['飞地经济', '区域合作', '纺织鞋服'],
    status: 'pre-work',
    milestones: [
      {
        name: '签订三方合作协议及利益分成办法',
        ownerUnit: 'DRC',
        due: { inDays: -150 },
        metOn: { inDays: -152 },
      },
      {
        name: '完成园区控制性详细规划批复',
        ownerUnit: 'NATRES',
        due: { inDays: -10 },
        rescheduled: {
          to: { inDays: 25 },
          reason: '规划方案需按省级园区认定要求补充产业布局论证，经县政府专题会议研究同意调整',
        },
      },
      { name: '一期用地征收及场平完成', ownerUnit: 'TOWN-TAIHE', due: { inDays: 90 } },
    ],
    progress: {
      investedBeforeWan: '1850.00',
      reports: [
        {
          monthsAgo: 2,
          investmentCompletedWan: '320.00',
          physicalProgressPct: 8,
          narrative: '完成园区概念规划评审，启动控制性详细规划编制。',
        },
        {
          monthsAgo: 1,
          investmentCompletedWan: '410.00',
          physicalProgressPct: 10,
          narrative: '控规方案完成初稿，按省级园区认定要求补充产业布局论证；一期用地完成勘界。',
          coordinationRequests: ['请协调自然资源局加快控规方案技术审查'],
        },
      ],
    },
  },
  {
    code: 'DEMO-COUNTY-COMMERCE',
    name: '国家县域商业体系建设行动',
    category: '商贸流通',
    level: 'national',
    leadUnit: 'COMMERCE',
    responsibleLeader: '刘副县长',
    township: '全县',
    totalPlannedInvestmentWan: '12000.00',
    annualPlannedInvestmentWan: '5000.00',
    plannedStartDate: '2024-01-01',
    plannedEndDate: '2026-12-31',
    tags: ['县域商业', '1+2现代服务业', '现代物流'],
    status: 'under-construction',
    milestones: [
      { name: '县级物流配送中心建成投用', ownerUnit: 'COMMERCE', due: { inDays: -1 } },
      { name: '完成10个乡镇商贸中心改造提升', ownerUnit: 'COMMERCE', due: { inDays: 7 } },
      { name: '通过省商务厅年度绩效评价', ownerUnit: 'COMMERCE', due: { inDays: 50 } },
    ],
    progress: {
      investedBeforeWan: '7420.00',
      reports: [
        {
          monthsAgo: 3,
          investmentCompletedWan: '380.00',
          physicalProgressPct: 66,
          narrative: '县级物流配送中心完成分拣线安装，6个乡镇商贸中心完成改造。',
        },
        {
          monthsAgo: 2,
          investmentCompletedWan: '420.00',
          physicalProgressPct: 72,
          narrative: '物流配送中心开展联调，新增2个乡镇商贸中心完成改造。',
        },
        {
          monthsAgo: 1,
          investmentCompletedWan: '455.50',
          physicalProgressPct: 78,
          narrative: '物流配送中心消防验收未通过，需整改后复验；累计9个乡镇商贸中心完成改造。',
          problems: ['物流配送中心消防设施整改尚需约2周'],
          coordinationRequests: ['请协调住建局安排消防验收复验'],
        },
      ],
    },
  },
  {
    code: 'DEMO-CONSUMER-VOUCHERS',
    name: '“乐购XX州·消费惠民”消费券发放',
    category: '消费促进',
    level: 'county',
    leadUnit: 'COMMERCE',
    responsibleLeader: '刘副县长',
    township: '全县',
    totalPlannedInvestmentWan: '3000.00',
    annualPlannedInvestmentWan: '3000.00',
    plannedStartDate: '2026-01-01',
    plannedEndDate: '2026-12-31',
    tags: ['消费券', '消费惠民', '1+2现代服务业'],
    status: 'under-construction',
    milestones: [
      {
        name: '第一批消费券1000万元发放完毕',
        ownerUnit: 'COMMERCE',
        due: { inDays: -150 },
        metOn: { inDays: -152 },
      },
      {
        name: '第二批消费券1000万元发放完毕',
        ownerUnit: 'COMMERCE',
        due: { inDays: -60 },
        metOn: { inDays: -55 },
      },
      { name: '第三批消费券1000万元发放及核销', ownerUnit: 'FINANCE', due: { inDays: 20 } },
    ],
    progress: {
      investedBeforeWan: '1650.00',
      reports: [
        {
          monthsAgo: 3,
          investmentCompletedWan: '350.00',
          physicalProgressPct: 67,
          narrative: '第二批消费券分三轮发放，核销率82%，拉动消费约1.6亿元。',
        },
        {
          monthsAgo: 2,
          investmentCompletedWan: '280.00',
          physicalProgressPct: 75,
          narrative: '第二批消费券发放完毕，启动第三批消费券商户招募。',
          problems: ['部分乡镇商户参与积极性不高，核销集中在县城商超'],
        },
        {
          monthsAgo: 1,
          investmentCompletedWan: '300.00',
          physicalProgressPct: 82,
          narrative: '第三批消费券首轮发放300万元，新增乡镇参与商户126家。',
        },
      ],
    },
  },
  {
    code: 'DEMO-TEXTILE-SHOES-PLANT-2',
    name: '纺织鞋服产业园标准化厂房（二期）',
    category: '工业',
    level: 'municipal',
    leadUnit: 'ECON',
    responsibleLeader: '陈副县长',
    township: '石牛镇',
    totalPlannedInvestmentWan: '48000.00',
    annualPlannedInvestmentWan: '20000.00',
    plannedStartDate: '2025-03-01',
    plannedEndDate: '2027-03-31',
    tags: ['2+1', '纺织鞋服', '企业满园', '省级重点特色园区'],
    status: 'under-construction',
    milestones: [
      { name: '1#—4#厂房主体封顶', ownerUnit: 'HOUSING', due: { inDays: -12 } },
      { name: '厂房竣工验收并交付入园企业', ownerUnit: 'ECON', due: { inDays: 60 } },
    ],
    progress: {
      investedBeforeWan: '16800.00',
      reports: [
        {
          monthsAgo: 2,
          investmentCompletedWan: '1900.00',
          physicalProgressPct: 55,
          narrative: '1#—4#厂房主体施工至第四层，5#—6#厂房完成基础。',
        },
        {
          monthsAgo: 1,
          investmentCompletedWan: '2050.00',
          physicalProgressPct: 61,
          narrative: '3#、4#厂房因设计变更暂停施工两周，主体封顶推迟。',
          problems: ['入园企业提出增加行车荷载，3#、4#厂房需设计变更'],
          coordinationRequests: ['请协调住建局加快设计变更审查'],
        },
      ],
    },
  },
  {
    code: 'DEMO-BATTERY-10GWH',
    name: '年产10GWh新能源电池储能电芯项目',
    category: '工业',
    level: 'provincial',
    leadUnit: 'ECON',
    responsibleLeader: '陈副县长',
    township: '青富镇',
    totalPlannedInvestmentWan: '520000.00',
    annualPlannedInvestmentWan: '150000.00',
    plannedStartDate: '2025-06-01',
    plannedEndDate: '2027-12-31',
    tags: ['2+1', '新能源电池', '招商引资', '省重点项目'],
    status: 'under-construction',
    milestones: [
      {
        name: '一期主厂房钢结构吊装完成',
        ownerUnit: 'ECON',
        due: { inDays: -30 },
        metOn: { inDays: -33 },
      },
      {
        name: '一期生产线设备进场安装',
        ownerUnit: 'ECON',
        due: { inDays: 6 },
        // The supplier's delivery slips: the owner unit forecasts a later date.
        forecast: { inDays: 21 },
      },
      { name: '一期首条产线试生产', ownerUnit: 'ECON', due: { inDays: 120 } },
    ],
    progress: {
      investedBeforeWan: '96500.00',
      reports: [
        {
          monthsAgo: 3,
          investmentCompletedWan: '12600.00',
          physicalProgressPct: 38,
          narrative: '一期主厂房钢结构吊装完成60%，动力站完成基础施工。',
        },
        {
          monthsAgo: 2,
          investmentCompletedWan: '14200.00',
          physicalProgressPct: 45,
          narrative: '一期主厂房钢结构吊装全部完成，开始屋面及墙面围护施工。',
        },
        {
          monthsAgo: 1,
          investmentCompletedWan: '15350.00',
          physicalProgressPct: 51,
          narrative: '洁净车间装修施工中；涂布、卷绕设备供应商交付延迟约两周。',
          problems: ['进口涂布设备海运延误，设备进场时间预计推迟'],
          coordinationRequests: [
            '请协调电力增容（110千伏专线接入）',
            '请协调海关开辟设备通关绿色通道',
          ],
        },
      ],
    },
  },
  {
    code: 'DEMO-OPHIOPOGON-FOOD',
    name: '麦冬健康食品精深加工项目',
    category: '健康食品',
    level: 'municipal',
    leadUnit: 'ECON',
    responsibleLeader: '王副县长',
    township: '石牛镇',
    totalPlannedInvestmentWan: '35000.00',
    annualPlannedInvestmentWan: '12000.00',
    plannedStartDate: '2025-09-01',
    plannedEndDate: '2027-06-30',
    tags: ['2+1', '健康食品', '3+2', '麦冬', '省级农产品加工示范园区'],
    status: 'under-construction',
    milestones: [
      {
        name: '提取车间主体完工',
        ownerUnit: 'HOUSING',
        due: { inDays: -26 },
        metOn: { inDays: -20 },
      },
      { name: '取得食品生产许可证（SC）', ownerUnit: 'MARKET', due: { inDays: 0 } },
      { name: '项目竣工投产', ownerUnit: 'ECON', due: { inDays: 150 } },
    ],
    progress: {
      investedBeforeWan: '9800.00',
      reports: [
        {
          monthsAgo: 2,
          investmentCompletedWan: '1250.00',
          physicalProgressPct: 40,
          narrative: '提取车间主体施工，冻干粉生产线完成设备采购。',
        },
        {
          monthsAgo: 1,
          investmentCompletedWan: '1420.00',
          physicalProgressPct: 47,
          narrative: '提取车间主体完工，已向市场监管局提交食品生产许可申请。',
        },
      ],
    },
  },
  {
    code: 'DEMO-BATTERY-PARK-220KV',
    name: '新能源电池产业园220千伏输变电工程',
    category: '能源基础设施',
    level: 'municipal',
    leadUnit: 'DRC',
    responsibleLeader: '张副县长',
    township: '青富镇',
    totalPlannedInvestmentWan: '28000.00',
    annualPlannedInvestmentWan: '18000.00',
    plannedStartDate: '2025-10-01',
    plannedEndDate: '2027-06-30',
    tags: ['2+1', '新能源电池', '电力保障'],
    status: 'pre-work',
    milestones: [
      {
        name: '完成变电站用地预审及选址意见',
        ownerUnit: 'NATRES',
        due: { inDays: -40 },
        metOn: { inDays: -38 },
      },
      { name: '取得项目核准批复', ownerUnit: 'DRC', due: { inDays: -3 } },
      { name: '变电站主体工程开工', ownerUnit: 'DRC', due: { inDays: 35 } },
    ],
  },
];
