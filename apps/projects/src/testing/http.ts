/** The projects service's test harness and request body factory; the rest is in @duban/testing. */
import { Topics } from '@duban/contracts';
import { DomainHarness, startDomainHarness, unique } from '@duban/testing';
import { projectsSchema } from '../schema';

export { api, chinaDay, chinaMonthFrom, tokens, unique } from '@duban/testing';
export type { ReadEvent } from '@duban/testing';

export const REGION = '511112';

export type ProjectsHarness = DomainHarness;

export const startProjectsApp = (): Promise<ProjectsHarness> =>
  startDomainHarness(
    'projects',
    projectsSchema,
    async () => (await import('../app.module')).AppModule,
    Topics.projects,
  );

export function projectBody(overrides: Record<string, unknown> = {}) {
  const suffix = unique();
  return {
    code: `XM-${suffix}`,
    name: `生猪种业产业园 ${suffix}`,
    category: 'agriculture',
    level: 'national',
    leadUnit: 'AGRI',
    responsibleLeader: '张副县长',
    township: '青富镇',
    regionCode: REGION,
    totalPlannedInvestmentWan: '120000.00',
    annualPlannedInvestmentWan: '30000.00',
    plannedStartDate: '2024-03-01',
    plannedEndDate: '2026-12-31',
    tags: ['3+2 agriculture'],
    ...overrides,
  };
}
