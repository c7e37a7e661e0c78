import { COUNTY_SCHEME } from '../seed/demo-schemes';

/** The OpenAPI example: the county scheme of the demo data, with two of its indicators. */
export const COUNTY_SCHEME_EXAMPLE = {
  ...COUNTY_SCHEME,
  subjects: COUNTY_SCHEME.subjects.slice(0, 3),
  indicators: COUNTY_SCHEME.indicators.filter((i) => ['GDP', 'INVESTMENT'].includes(i.code)),
};
