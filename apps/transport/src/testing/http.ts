/** The transport service's test harness and request body factories; the rest is in @duban/testing. */
import { Topics } from '@duban/contracts';
import { DomainHarness, startDomainHarness, unique } from '@duban/testing';
import { transportSchema } from '../schema';

export { api, chinaDay, tokens, unique } from '@duban/testing';

export const REGION = '511112';
export const WORKS = '/api/v1/transport-works';

export const startTransportApp = (): Promise<DomainHarness> =>
  startDomainHarness(
    'transport',
    transportSchema,
    async () => (await import('../app.module')).AppModule,
    Topics.transport,
  );

export function workBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'railway',
    name: `XX遂内铁路 ${unique()}`,
    regionCode: REGION,
    leadUnit: 'TRANSPORT',
    plannedInvestmentWan: '1850000.00',
    ...overrides,
  };
}

/** Every gate, dated from `plannedDate`, so a test can meet or leave each one as it needs. */
export const allGates = (plannedDate: string) =>
  [
    'pre-feasibility',
    'feasibility-study',
    'approval',
    'preliminary-design',
    'land-and-environment',
  ].map((gate) => ({ gate, plannedDate }));
