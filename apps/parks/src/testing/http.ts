/** The parks service's test harness and request body factories; the rest is in @duban/testing. */
import { Topics, USCC_CHARSET, usccCheckCharacter } from '@duban/contracts';
import { DomainHarness, startDomainHarness, unique } from '@duban/testing';
import { parksSchema } from '../schema';

export { api, chinaDay, chinaMonthFrom, tokens, unique } from '@duban/testing';

export const REGION = '511112';

export const startParksApp = (): Promise<DomainHarness> =>
  startDomainHarness(
    'parks',
    parksSchema,
    async () => (await import('../app.module')).AppModule,
    Topics.parks,
  );

export function parkBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `纺织鞋服产业园 ${unique()}`,
    regionCode: REGION,
    leadIndustry: 'textile-shoes-apparel',
    plannedAreaMu: 5000,
    developedAreaMu: 3860.5,
    managingUnit: 'PARK-TEXTILE',
    ...overrides,
  };
}

/** A fresh valid USCC of region 511112 (a random body with its computed check character). */
export function validUscc(): string {
  const body = `91511112MA${Array.from({ length: 7 }, () => USCC_CHARSET[Math.floor(Math.random() * 31)]).join('')}`;
  return body + usccCheckCharacter(body);
}

export function enterpriseBody(parkId: string, overrides: Record<string, unknown> = {}) {
  return {
    uscc: validUscc(),
    name: `四川某某鞋业有限公司 ${unique()}`,
    parkId,
    industry: '纺织鞋服',
    investmentWan: '52000.00',
    employees: 860,
    aboveDesignatedSize: true,
    ...overrides,
  };
}
