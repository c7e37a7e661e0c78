import {
  AlertEventTypes,
  MeasureCode,
  MilestoneEventTypes,
  ParksEventTypes,
  ProjectEventTypes,
  TransportEventTypes,
} from '@duban/contracts';
import { MeasureDeclaration } from './measure';

const alertChanges = [
  AlertEventTypes.raised,
  AlertEventTypes.severityChanged,
  AlertEventTypes.escalated,
  AlertEventTypes.acknowledged,
  AlertEventTypes.resolved,
];

/** The measures scheme indicators and deductions may name (MeasureCode in the contracts). */
export const MEASURES: Readonly<Record<MeasureCode, MeasureDeclaration>> = {
  'investment-completed': {
    code: 'investment-completed',
    name: '完成投资 (monthly progress reports)',
    eventTypes: [ProjectEventTypes.reportSubmitted, ProjectEventTypes.reportCorrected],
    key: ['projectId', 'month'],
    unitField: 'leadUnit',
    dateFields: ['month'],
    periodMatch: 'within',
    versionField: 'version',
    aggregation: { kind: 'sum', value: { field: 'investmentCompletedWan' } },
    money: true,
  },
  'milestones-on-time': {
    code: 'milestones-on-time',
    name: '节点按期完成率 (met on time over due in the period)',
    eventTypes: Object.values(MilestoneEventTypes),
    key: ['milestoneId'],
    unitField: 'ownerUnit',
    dateFields: ['currentPlannedDate'],
    periodMatch: 'within',
    aggregation: {
      kind: 'ratio',
      numerator: [
        { field: 'status', in: ['met'] },
        { field: 'actualDate', notAfterField: 'currentPlannedDate' },
      ],
      denominator: [{ field: 'status', notIn: ['cancelled'] }],
    },
    money: false,
  },
  'expressway-km-opened': {
    code: 'expressway-km-opened',
    name: '高速公路通车里程 (km of sections opened)',
    eventTypes: [TransportEventTypes.sectionOpened],
    key: ['sectionId'],
    unitField: 'leadUnit',
    dateFields: ['openedOn'],
    periodMatch: 'within',
    filter: [{ field: 'kind', in: ['expressway'] }],
    aggregation: { kind: 'sum', value: { field: 'lengthKm' } },
    money: false,
  },
  'enterprises-in-production': {
    code: 'enterprises-in-production',
    name: '投产企业数 (enterprises in production at the period end)',
    eventTypes: [
      ParksEventTypes.enterpriseRegistered,
      ParksEventTypes.enterpriseUpdated,
      ParksEventTypes.enterpriseStatusChanged,
    ],
    key: ['enterpriseId'],
    // Enterprise events name a park, not a unit: this measure ranks regions.
    unitField: null,
    dateFields: ['changedOn', '$time'],
    periodMatch: 'until-end',
    versionField: 'version',
    aggregation: { kind: 'count-in-state', when: [{ field: 'status', in: ['in-production'] }] },
    money: false,
  },
  'alerts-raised': {
    code: 'alerts-raised',
    name: '督办提醒次数 (alerts raised in the period)',
    eventTypes: [AlertEventTypes.raised],
    key: ['alertId'],
    unitField: 'ownerUnit',
    dateFields: ['raisedAt'],
    periodMatch: 'within',
    aggregation: { kind: 'sum', value: { constant: 1 } },
    money: false,
  },
  'open-major-alerts': {
    code: 'open-major-alerts',
    name: '未办结重大督办提醒 (open major or critical alerts)',
    eventTypes: alertChanges,
    key: ['alertId'],
    unitField: 'ownerUnit',
    dateFields: ['raisedAt'],
    // Resolving leaves the counted state on its resolvedAt; a severity change on its own time.
    changedOnFields: ['resolvedAt', '$time'],
    periodMatch: 'until-end',
    aggregation: {
      kind: 'count-in-state',
      when: [
        { field: 'state', in: ['open', 'acknowledged'] },
        { field: 'severity', in: ['major', 'critical'] },
      ],
    },
    money: false,
  },
};

/** Every event type some measure reads: the consumer subscribes to exactly these. */
export const MEASURED_EVENT_TYPES: readonly string[] = [
  ...new Set(Object.values(MEASURES).flatMap((m) => m.eventTypes)),
];

export const measuresFor = (eventType: string): MeasureDeclaration[] =>
  Object.values(MEASURES).filter((m) => m.eventTypes.includes(eventType));
